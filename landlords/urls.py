from django.urls import path

from .views import team

app_name = "landlords"

# Each area adds its pages in its own block.
urlpatterns: list = [
    # --- elections area: the 蓉治社 team and its officers.
    path("team/", team.team_page, name="team"),
]
