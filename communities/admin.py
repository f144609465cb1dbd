from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent, Building, CaseOrigin, Community, CommunityApp, CommunityFigure, Membership, Notification, Person,
    PersonalDataAccess, RegistrationRequest, Residency, Unit, User, VillageGroup,
)


class VillageGroupInline(admin.TabularInline):
    model = VillageGroup
    extra = 0


def community_app_choices() -> list[tuple[str, str]]:
    """The project's own apps besides the core (landlords, talents, propertyservice)."""
    return [(config.label, f"{config.verbose_name} ({config.label})") for config in apps.get_app_configs()
            if Path(config.path).parent == settings.BASE_DIR and config.label != "communities"]


class CommunityAppForm(forms.ModelForm):
    app_label = forms.ChoiceField(label=_("应用"), choices=community_app_choices)

    class Meta:
        model = CommunityApp
        fields = ["community", "app_label", "since"]


class CommunityAppInline(admin.TabularInline):
    """Which apps serve the community: their menu entries and panels show only where they serve."""
    model = CommunityApp
    form = CommunityAppForm
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["community"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "building_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [VillageGroupInline, CommunityAppInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_buildings=Count("buildings"))

    @admin.display(description=_("楼栋数"), ordering="_buildings")
    def building_count(self, obj):
        return obj._buildings


@admin.register(VillageGroup)
class VillageGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "village_group", "address"]
    list_filter = ["community", "village_group"]
    search_fields = ["name", "address"]
    list_select_related = ["community", "village_group"]


class ResidencyInline(admin.TabularInline):
    model = Residency
    extra = 0
    autocomplete_fields = ["person", "unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building", "floor", "floor_area", "capacity", "is_let", "sublandlord",
                    "active_residents", "over_capacity"]
    list_filter = ["is_let", "building__community"]
    search_fields = ["room", "building__name", "sublandlord__name"]
    list_select_related = ["building__community", "sublandlord"]
    autocomplete_fields = ["building", "sublandlord"]
    inlines = [ResidencyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _active=Count("residencies", filter=Q(residencies__moved_out__isnull=True)))

    @admin.display(description=_("在住人数"), ordering="_active")
    def active_residents(self, obj):
        return obj._active

    @admin.display(description=_("超员"), boolean=True)
    def over_capacity(self, obj):
        return obj._active > obj.capacity


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone", "user", "created_at"]
    search_fields = ["name", "phone", "user__username"]
    autocomplete_fields = ["user"]
    inlines = [ResidencyInline]

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return obj.masked_phone


@admin.register(Residency)
class ResidencyAdmin(admin.ModelAdmin):
    list_display = ["person", "unit", "relation", "moved_in", "moved_out"]
    list_filter = ["relation", "unit__building__community"]
    search_fields = ["person__name", "unit__room", "unit__building__name"]
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit__building__community"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "town_role", "is_active", "last_login"]
    list_filter = ["town_role", "is_active", "is_staff"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("罗店"), {"fields": ["town_role", "elder_mode"]}),)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "created_at"]
    list_filter = ["role", "community"]
    search_fields = ["user__username", "user__person__name"]
    autocomplete_fields = ["user", "community"]
    list_select_related = ["user", "community"]


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "relation", "status", "created_at", "decided_by"]
    list_filter = ["status", "unit__building__community"]
    search_fields = ["name", "user__username"]
    list_select_related = ["unit__building__community", "decided_by"]
    raw_id_fields = ["user", "unit", "decided_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit trails are never edited or deleted, not even by an administrator."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "viewer", "person", "community", "kind", "purpose"]
    list_filter = ["kind", "community"]
    search_fields = ["viewer__username", "person__name", "purpose"]
    list_select_related = ["viewer", "person", "community"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "community", "action"]
    list_filter = ["action", "community"]
    search_fields = ["actor__username", "action"]
    list_select_related = ["actor", "community"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "emailed_at", "email_failed"]
    list_filter = ["email_failed"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


# --- cases ------------------------------------------------------------------------------------
from .models import Agency, Case, CaseCategory, CaseEvent, CasePhoto, CaseRating, CaseReferral  # noqa: E402
from .models import Backbone, PublicPlace, RoutingRule, Team, TeamMember  # noqa: E402


class TeamMemberInline(admin.TabularInline):
    """Members of teams an administrator keeps by hand (squads, stations). The sublandlords' team follows the
    sublandlord role by itself; ``invited_by`` comes only from a real invitation, so it is not typed in here."""
    model = TeamMember
    fk_name = "team"
    extra = 0
    fields = ["user", "joined_at", "left_at", "invited_by"]
    readonly_fields = ["invited_by"]
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind"]
    list_filter = ["kind", "community"]
    search_fields = ["name"]
    inlines = [TeamMemberInline]


@admin.register(Backbone)
class BackboneAdmin(ReadOnlyAdmin):
    """Backbones change through communities.services.teams (an election's result or an audited appointment)."""
    list_display = ["team", "user", "office", "term_start", "term_end", "source"]
    list_filter = ["office", "source", "team__community"]
    list_select_related = ["team", "user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(PublicPlace)
class PublicPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]
    search_fields = ["name"]


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "code", "ack_hours", "fix_hours", "active", "order"]
    list_filter = ["community", "active"]
    list_editable = ["ack_hours", "fix_hours", "active", "order"]
    search_fields = ["name", "code"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["community", "priority", "category", "only_let_units", "target", "team", "user"]
    list_filter = ["community", "target"]
    raw_id_fields = ["user"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read and search; state changes go through the case page so that every step leaves an event."""

    list_display = ["id", "community", "category", "status", "handler_user", "handler_team", "created_at",
                    "escalation_level"]
    list_filter = ["status", "community", "category__name", "channel", "escalation_level"]
    search_fields = ["id", "description", "place_text"]
    list_select_related = ["community", "category", "handler_user", "handler_team"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [CaseEventInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "from_status", "to_status", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["case", "actor"]


@admin.register(CaseRating)
class CaseRatingAdmin(ReadOnlyAdmin):
    list_display = ["case", "score", "partly_fixed", "at"]
    list_filter = ["score", "partly_fixed"]


@admin.register(CaseReferral)
class CaseReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "agency", "referred_by", "at"]
    list_filter = ["agency"]


@admin.register(CasePhoto)
class CasePhotoAdmin(ReadOnlyAdmin):
    list_display = ["case", "event", "width", "height", "size", "uploaded_by", "uploaded_at"]


# --- elections and titles: read-only here; the app's services run them and write the audit trail. Ballots
# are not listed at all: a ballot is only ever looked up by its receipt code.
from .models import CommunityTitle, Election  # noqa: E402


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["community", "title", "status", "counting", "opens_at", "closes_at", "published_at"]
    list_filter = ["status", "community"]
    list_select_related = ["community"]
    exclude = ["tally"]


@admin.register(CommunityTitle)
class CommunityTitleAdmin(ReadOnlyAdmin):
    list_display = ["person", "community", "kind", "other_name", "awarded_at", "revoked_at"]
    list_filter = ["kind", "community"]
    list_select_related = ["person", "community"]


# --- the needs list and versioned documents: read-only; their services lock, check and keep the timeline.
from .models import CommunityNeed, DocumentVersion, NeedEvent  # noqa: E402


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["community", "kind", "number", "title", "status", "adopted_on"]
    list_filter = ["kind", "status", "community"]
    list_select_related = ["community"]


@admin.register(CommunityNeed)
class CommunityNeedAdmin(ReadOnlyAdmin):
    list_display = ["community", "title", "status", "claimed_by", "posted_at"]
    list_filter = ["status", "community"]
    list_select_related = ["community", "claimed_by"]


@admin.register(NeedEvent)
class NeedEventAdmin(ReadOnlyAdmin):
    list_display = ["need", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["need", "actor"]
@admin.register(CommunityApp)
class CommunityAppAdmin(admin.ModelAdmin):
    form = CommunityAppForm
    list_display = ["community", "app_label", "since"]
    list_filter = ["app_label"]
    autocomplete_fields = ["community"]


@admin.register(CaseOrigin)
class CaseOriginAdmin(ReadOnlyAdmin):
    """Written by the service that filed the case; never edited."""
    list_display = ["case", "kind", "object_id", "created_at"]
    list_filter = ["kind"]


@admin.register(CommunityFigure)
class CommunityFigureAdmin(ReadOnlyAdmin):
    """Pushed by the apps (``record_figure``); read by the dashboards."""
    list_display = ["community", "app_label", "key", "day", "value", "label"]
    list_filter = ["app_label", "key"]
    date_hierarchy = "day"


# --- the service centre's rooms and the volunteer-hours record: read-only here. Rooms and bookings change on the
# rooms pages (communities.services.rooms: no clashes, audited); hours are append-only (a correction is a new row
# with a reason, never an edit or a delete); certificates are numbered from the register and voided, not deleted.
from .models import Room, RoomBooking, VolunteerCertificate, VolunteerHours  # noqa: E402


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "where", "capacity", "active"]
    list_filter = ["active", "community"]
    search_fields = ["name", "where"]
    list_select_related = ["community"]


@admin.register(RoomBooking)
class RoomBookingAdmin(ReadOnlyAdmin):
    list_display = ["room", "title", "starts_at", "ends_at", "booked_by", "source_kind", "cancelled_at"]
    list_filter = ["room__community", "source_kind"]
    search_fields = ["title", "room__name"]
    list_select_related = ["room__community", "booked_by"]
    date_hierarchy = "starts_at"


@admin.register(VolunteerHours)
class VolunteerHoursAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "community", "team", "activity", "starts_at", "minutes", "status", "confirmed_how",
                    "corrects"]
    list_filter = ["status", "community", "source_kind"]
    search_fields = ["volunteer__username", "volunteer__person__name", "activity"]
    list_select_related = ["volunteer", "community", "team"]
    date_hierarchy = "starts_at"


@admin.register(VolunteerCertificate)
class VolunteerCertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "community", "volunteer_name", "period_from", "period_to", "total_minutes", "status",
                    "notice_starts_on", "issued_on"]
    list_filter = ["status", "community", "year"]
    search_fields = ["number", "volunteer_name"]
    list_select_related = ["community"]
