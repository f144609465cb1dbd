from django.urls import path

from communities.picker import legacy_community_path

from .views import channels, documents, hub, mediation, rentals, rentals_staff, scorecard, team
from .views.legacy import moved_to

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
    path("channels/sync/", channels.channels_sync, name="channels_sync"),
    path("channels/<int:pk>/", channels.channel_detail, name="channel_detail"),
    path("channels/<int:pk>/post/", channels.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", channels.announcement_detail, name="announcement_detail"),
]

# --- elections area: the 蓉治社 team and its officers.
urlpatterns += [
    path("team/", team.team_page, name="team"),
]

# --- needs: the co-building needs list (共建需求清单) moved to the core (/needs/); the old addresses redirect.
urlpatterns += [
    path("needs/", moved_to("communities:need_list"), name="need_list_moved"),
    path("needs/new/", moved_to("communities:need_new"), name="need_new_moved"),
    path("needs/<int:pk>/", moved_to("communities:need_detail"), name="need_detail_moved"),
    path("needs/<int:pk>/photos/<int:photo_id>/", moved_to("communities:need_photo"), name="need_photo_moved"),
    path("needs/<int:pk>/<slug:action>/", moved_to("communities:need_action"), name="need_action_moved"),
]

# --- documents: the charter and the tenant covenant (the community in ``?community=``, communities.picker) ---
urlpatterns += [
    path("documents/<slug:kind>/", documents.document_current, name="document_current"),
    path("documents/<slug:kind>/draft/", documents.document_draft, name="document_draft"),
    path("documents/<slug:kind>/acknowledge/", documents.document_acknowledge, name="document_acknowledge"),
    path("documents/versions/<int:pk>/", documents.document_version, name="document_version"),
    path("documents/versions/<int:pk>/adopt/", documents.document_adopt, name="document_adopt"),
    path("documents/versions/<int:pk>/withdraw/", documents.document_withdraw, name="document_withdraw"),
    path("covenant/paper/", documents.covenant_paper, name="covenant_paper"),
    path("covenant/report/", documents.covenant_report, name="covenant_report"),
    path("covenant/report/buildings/<int:pk>/", documents.covenant_report_building,
         name="covenant_report_building"),
    path("charter/report/", documents.charter_report, name="charter_report"),
]

# --- the older style, with the community in the path: bookmarks, printed pages and the links in stored
# notifications keep working (a GET moves with 301, a POST with 308 and its body), under the page's own guard.
urlpatterns += [
    path("channels/sync/<slug:slug>/",
         legacy_community_path("landlords:channels_sync", "landlords.channel.manage")),
    path("<slug:slug>/documents/<slug:kind>/", legacy_community_path("landlords:document_current", "document.view")),
    path("<slug:slug>/documents/<slug:kind>/draft/",
         legacy_community_path("landlords:document_draft", "document.view")),
    path("<slug:slug>/documents/<slug:kind>/acknowledge/",
         legacy_community_path("landlords:document_acknowledge", "document.view")),
    path("<slug:slug>/covenant/paper/",
         legacy_community_path("landlords:covenant_paper", "landlords.covenant.record_paper")),
    path("<slug:slug>/covenant/report/",
         legacy_community_path("landlords:covenant_report", "landlords.covenant.report")),
    path("<slug:slug>/charter/report/",
         legacy_community_path("landlords:charter_report", "landlords.charter.report")),
]

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
