"""蓉庭's records in the admin, read-only: every change goes through the app's services, which lock,
check the policy and write the audit trail. Names and phones of tenants are not listed here."""
from django.contrib import admin

from communities.admin import ReadOnlyAdmin

from .models import Announcement, Channel, MediationRecord, RentalDeclaration, TenantRegistration


@admin.register(RentalDeclaration)
class RentalDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "rooms", "declared_at"]
    list_select_related = ["unit__building"]


@admin.register(TenantRegistration)
class TenantRegistrationAdmin(ReadOnlyAdmin):
    # No tenant names or phones: those are seen on the app's pages, where each reveal is logged.
    list_display = ["unit", "moved_in", "registered_at", "is_late", "moved_out", "anonymised_at"]
    list_filter = ["is_late", "unit__building__community"]
    list_select_related = ["unit__building"]
    fields = list_display


@admin.register(MediationRecord)
class MediationRecordAdmin(ReadOnlyAdmin):
    list_display = ["community", "recorded_at", "outcome", "recorded_by"]
    list_filter = ["outcome", "community"]
    list_select_related = ["community", "recorded_by"]


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ["community", "kind", "name"]
    list_filter = ["kind", "community"]
    list_select_related = ["community"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["channel", "title", "posted_by", "posted_at"]
    list_select_related = ["channel", "posted_by"]
