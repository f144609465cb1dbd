from django.urls import path

from .views import hub, scorecard

app_name = "landlords"

urlpatterns = [
    path("", hub.hub, name="hub"),
    path("scorecard/", scorecard.scorecard_view, name="scorecard"),
    path("scorecard/export/", scorecard.scorecard_export, name="scorecard_export"),
]
# Each area adds its pages in its own block below.
