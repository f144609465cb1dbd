from django.urls import path

from .views import needs

app_name = "landlords"

# Each area adds its pages in its own block.
urlpatterns: list = [
    # needs: the co-building needs list (共建需求清单)
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/photos/<int:photo_id>/", needs.need_photo, name="need_photo"),
    path("needs/<int:pk>/<slug:action>/", needs.need_action, name="need_action"),
]
