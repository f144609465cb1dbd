"""郡园's records in the admin, read-only: every change goes through the app's pages and services, which lock,
check the policy (a host manages their own studio only) and write the audit trail or the entry's timeline. Children
(guardianships, child profiles) and the people of an entry are not listed here: they are seen on the app's pages,
where each reveal of a pick-up phone is logged."""
from django.contrib import admin

from communities.admin import ReadOnlyAdmin

from .models import (
    ClassSession, Enrolment, HostQualification, Merchant, ServiceSlot, SquadProposal, Studio, StudioService,
    TalentClass,
)


@admin.register(Studio)
class StudioAdmin(ReadOnlyAdmin):
    list_display = ["team", "slug", "talent_kind", "tagline", "created_at"]
    list_filter = ["talent_kind", "team__community"]
    search_fields = ["team__name", "slug"]
    list_select_related = ["team__community"]


@admin.register(HostQualification)
class HostQualificationAdmin(ReadOnlyAdmin):
    # The host's birth date (the live-stream age check) stays on the staff's qualification page.
    list_display = ["studio", "host", "kind", "number", "checked_on", "expires_on", "checked_by", "reminded_at"]
    list_filter = ["kind", "studio__team__community"]
    list_select_related = ["studio__team", "host", "checked_by"]
    fields = list_display + ["guardian_consent", "notes", "recorded_at"]


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "address", "contact_name", "active", "created_at"]
    list_filter = ["active", "community"]
    search_fields = ["name", "address"]
    list_select_related = ["community"]


@admin.register(TalentClass)
class TalentClassAdmin(ReadOnlyAdmin):
    list_display = ["title", "studio", "kind", "audience", "capacity", "allocation", "opens_at", "status"]
    list_filter = ["status", "kind", "audience", "allocation", "studio__team__community"]
    search_fields = ["title", "studio__team__name"]
    list_select_related = ["studio__team"]


@admin.register(ClassSession)
class ClassSessionAdmin(ReadOnlyAdmin):
    list_display = ["talent_class", "starts_at", "ends_at", "status", "room_booking", "attendance_closed_at"]
    list_filter = ["status", "talent_class__studio__team__community"]
    list_select_related = ["talent_class", "room_booking"]
    date_hierarchy = "starts_at"


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["talent_class", "account", "status", "seats", "position", "requested_at", "offer_expires_at",
                    "enrolled_at", "closed_at"]
    list_filter = ["status", "talent_class__studio__team__community"]
    list_select_related = ["talent_class", "account"]
    fields = list_display


@admin.register(StudioService)
class StudioServiceAdmin(ReadOnlyAdmin):
    list_display = ["title", "studio", "needs_qualification", "duration_minutes", "place", "active", "free"]
    list_filter = ["active", "needs_qualification", "studio__team__community"]
    search_fields = ["title", "studio__team__name"]
    list_select_related = ["studio__team"]


@admin.register(ServiceSlot)
class ServiceSlotAdmin(ReadOnlyAdmin):
    list_display = ["service", "starts_at", "ends_at", "capacity"]
    list_filter = ["service__studio__team__community"]
    list_select_related = ["service__studio__team"]
    date_hierarchy = "starts_at"


@admin.register(SquadProposal)
class SquadProposalAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "proposed_by", "status", "created_at", "decided_by", "decided_at", "team"]
    list_filter = ["status", "community"]
    search_fields = ["name"]
    list_select_related = ["community", "proposed_by", "decided_by", "team"]
