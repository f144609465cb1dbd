from django.urls import path  # noqa: F401

app_name = "landlords"

# Each area adds its pages in its own block.
urlpatterns: list = []
