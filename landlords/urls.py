from django.urls import path

from .views import channels, hub, mediation, needs, scorecard, team

app_name = "landlords"

urlpatterns = [
    path("", hub.hub, name="hub"),
    path("scorecard/", scorecard.scorecard_view, name="scorecard"),
    path("scorecard/export/", scorecard.scorecard_export, name="scorecard_export"),
]
# Each area adds its pages in its own block below.

# --- mediation (一室 the mediation room, 二群 the two groups) ---
urlpatterns += [
    path("mediation/", mediation.mediation_log, name="mediation_log"),
    path("mediation/mine/", mediation.mediation_mine, name="mediation_mine"),
    path("mediation/shift/<int:shift_id>/new/", mediation.mediation_record_new, name="mediation_record_new"),
    path("mediation/<int:pk>/", mediation.mediation_record_detail, name="mediation_record_detail"),
    path("mediation/<int:pk>/correct/", mediation.mediation_record_correct_view, name="mediation_record_correct"),
    path("channels/", channels.channel_list, name="channel_list"),
    path("channels/sync/<slug:slug>/", channels.channels_sync, name="channels_sync"),
    path("channels/<int:pk>/", channels.channel_detail, name="channel_detail"),
    path("channels/<int:pk>/post/", channels.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", channels.announcement_detail, name="announcement_detail"),
]

# --- elections area: the 蓉治社 team and its officers.
urlpatterns += [
    path("team/", team.team_page, name="team"),
]

# --- needs: the co-building needs list (共建需求清单)
urlpatterns += [
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/photos/<int:photo_id>/", needs.need_photo, name="need_photo"),
    path("needs/<int:pk>/<slug:action>/", needs.need_action, name="need_action"),
]
