from django.urls import path

from .views import case_export, cases, dashboard, imports, notifications, photos, places, qr, registrations, routing

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
]
