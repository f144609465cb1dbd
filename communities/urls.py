from django.urls import path

from .views import imports, notifications, places, registrations

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
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
]
