from django.urls import path

from .views import case_export, cases, dashboard, imports, notifications, photos, places, qr, registrations, routing
from .views import rotas

app_name = "communities"

urlpatterns = [
    path("communities/", places.community_list, name="community_list"),
    path("communities/<slug:slug>/", places.community_detail, name="community_detail"),
    path("buildings/<int:pk>/", places.building_detail, name="building_detail"),
    path("units/<int:pk>/", places.unit_detail, name="unit_detail"),
    path("registrations/", registrations.registration_queue, name="registration_queue"),
    path("registrations/<int:pk>/", registrations.registration_decide, name="registration_decide"),
    path("registrations/<int:pk>/approve/", registrations.registration_approve_view, name="registration_approve"),
    path("registrations/<int:pk>/reject/", registrations.registration_reject_view, name="registration_reject"),
    path("imports/residents/", imports.residents_import_view, name="residents_import"),
    path("imports/residents/template.xlsx", imports.residents_import_template, name="residents_import_template"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/new/similar/", cases.case_similar, name="case_similar"),
    path("cases/mine/", cases.case_mine, name="case_mine"),
    path("cases/queue/", cases.case_queue, name="case_queue"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export.xlsx", case_export.case_export, name="case_export"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/rate/", cases.case_rate, name="case_rate"),
    path("cases/<int:pk>/follow/", cases.case_follow_view, name="case_follow"),
    path("cases/<int:case_id>/photos/<int:photo_id>/", photos.case_photo, name="case_photo"),
    path("communities/<slug:slug>/qr/", qr.qr_sheet, name="qr_sheet"),
    path("communities/<slug:slug>/routing/", routing.routing_edit, name="routing_edit"),
    path("cases/<int:pk>/<slug:action>/", cases.case_action, name="case_action"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    # Duty rotas.
    path("rotas/", rotas.rota_list, name="rota_list"),
    path("rotas/mine/", rotas.my_shifts, name="my_shifts"),
    path("rotas/swaps/", rotas.swap_market, name="swap_market"),
    path("rotas/new/", rotas.rota_new, name="rota_new"),
    path("rotas/calendar-link/", rotas.calendar_feed_settings, name="calendar_feed_settings"),
    path("rotas/ical/<str:token>.ics", rotas.calendar_feed, name="calendar_feed"),
    path("rotas/<int:pk>/", rotas.rota_calendar, name="rota_calendar"),
    path("rotas/<int:pk>/edit/", rotas.rota_edit, name="rota_edit"),
    path("rotas/<int:pk>/report/", rotas.rota_fairness, name="rota_fairness"),
    path("shifts/<int:pk>/", rotas.shift_detail, name="shift_detail"),
    path("assignments/<int:pk>/check-in/", rotas.shift_check_in, name="shift_check_in"),
    path("assignments/<int:pk>/check-out/", rotas.shift_check_out, name="shift_check_out"),
    path("assignments/<int:pk>/swap/", rotas.swap_offer, name="swap_offer"),
    path("swaps/<int:pk>/take/", rotas.swap_take, name="swap_take"),
    path("swaps/<int:pk>/withdraw/", rotas.swap_withdraw, name="swap_withdraw"),
]
