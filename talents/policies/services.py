"""Services by appointment: every member of the community sees and books a studio's services; the studio's own
hosts (主理人, a current ``Backbone`` of its team) and committee staff manage them — a host manages their own
studio only."""
from django.db.models import Q

from communities.models import Backbone, Role
from communities.policy import Rule

from ..models import ServiceBooking, ServiceSlot, Studio, StudioService

ALL = frozenset(Role.values)
STAFF = frozenset({Role.COMMITTEE_STAFF})


def _studio_team_id(obj):
    if isinstance(obj, Studio):
        return obj.team_id
    if isinstance(obj, StudioService):
        return obj.studio.team_id
    if isinstance(obj, ServiceSlot):
        return obj.service.studio.team_id
    if isinstance(obj, ServiceBooking):
        return obj.slot.service.studio.team_id
    return None


def hosts_studio(user, obj) -> bool:
    """A current 主理人 of the studio the object belongs to."""
    team_id = _studio_team_id(obj)
    return bool(team_id) and Backbone.objects.filter(team_id=team_id, user_id=user.pk, term_end__isnull=True,
                                                     office=Backbone.Office.STUDIO_HOST).exists()


def _hosted_q(prefix: str):
    return lambda user: Q(**{f"{prefix}team__backbones__user": user, f"{prefix}team__backbones__term_end": None,
                             f"{prefix}team__backbones__office": Backbone.Office.STUDIO_HOST})


def _own_booking(user, obj) -> bool:
    return isinstance(obj, ServiceBooking) and obj.user_id == user.pk


RULES: dict[str, Rule] = {
    # A studio's services and their free slots: every member of the community.
    "talents.service.view": Rule(ALL),
    # Booking a slot: members (town roles are not residents here).
    "talents.service.book": Rule(ALL, town=False),
    # My appointments, and cancelling one's own booking.
    "talents.appointment.mine": Rule(ALL, town=False),
    "talents.appointment.cancel": Rule(frozenset(), town=False, extra=_own_booking, extra_roles=ALL,
                                       extra_scope={ServiceBooking: lambda user: Q(user=user)}),
    # Opening services and slots, confirming bookings, recording no-shows: the studio's hosts and staff.
    "talents.service.manage": Rule(STAFF, town=False, extra=hosts_studio, extra_roles=ALL, extra_scope={
        Studio: _hosted_q(""), StudioService: _hosted_q("studio__"), ServiceSlot: _hosted_q("service__studio__"),
        ServiceBooking: _hosted_q("slot__service__studio__")}),
}
