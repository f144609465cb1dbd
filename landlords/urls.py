from django.urls import path  # noqa: F401

from .views import rentals, rentals_staff

app_name = "landlords"

# Each area adds its pages in its own block.
urlpatterns: list = []

# --- rentals (租户进出登记) -----------------------------------------------------------------------
urlpatterns += [
    path("rentals/", rentals.rental_unit_list, name="rental_unit_list"),
    path("rentals/units/<int:pk>/", rentals.rental_unit_detail, name="rental_unit_detail"),
    path("rentals/units/<int:pk>/declare/", rentals.rental_declare_view, name="rental_declare"),
    path("rentals/units/<int:pk>/move-in/", rentals.tenant_move_in, name="tenant_move_in"),
    path("rentals/registrations/mine/", rentals.tenant_registration_mine, name="tenant_registration_mine"),
    path("rentals/registrations/", rentals_staff.tenant_registration_list, name="tenant_registration_list"),
    path("rentals/registrations/export/", rentals_staff.tenant_registration_export,
         name="tenant_registration_export"),
    path("rentals/registrations/<int:pk>/", rentals.tenant_registration_detail, name="tenant_registration_detail"),
    path("rentals/registrations/<int:pk>/move-out/", rentals.tenant_move_out_view, name="tenant_move_out"),
    path("rentals/flags/", rentals_staff.rental_flag_list, name="rental_flag_list"),
    path("rentals/flags/<int:pk>/case/", rentals_staff.rental_flag_case, name="rental_flag_case"),
]
