"""The one place that answers "may this user do this action to this object".

Every view is wrapped in :func:`guard` (or marked :func:`public`), every
object is fetched through :func:`get_object_or_404_for`, and every queryset
of community data is narrowed by :func:`scope`. Deny by default: an action
that is not in ``RULES`` is refused, and a user sees nothing of a community
they do not belong to (404, so ids leak nothing).
"""
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from . import viewer
from .models import (
    OPEN_STATUSES, Building, Case, Community, CommunityTitle, DocumentVersion, Election, ElectionVoter, PendingPhoto, Person, PublicPlace, Qualification,
    RegistrationRequest, Residency, Role, RoomBooking, VolunteerCertificate, VolunteerHours,
    Rota, RotaMember, Shift, ShiftAssignment, SwapOffer, Team, Unit, User,
)
from .models.meetings import OPEN_KINDS, Meeting, MeetingInvite, MeetingSeries, TopicProposal

TOWN_ROLES = {User.TownRole.TOWN_STAFF, User.TownRole.TOWN_SECRETARY}
STAFF_ROLES = {Role.COMMITTEE_STAFF}
LEADER_ROLES = {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}
# Roles whose sessions end after 30 minutes idle (they see many people's data).
PRIVILEGED_ROLES = {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}

def _own_unit_q(user) -> Q:
    """Units the user lives in now, or lets as sublandlord."""
    person_id = person_id_of(user)
    if person_id is None:
        return Q(pk__in=[])
    return Q(sublandlord_id=person_id) | Q(residencies__person_id=person_id, residencies__moved_out__isnull=True)


def person_id_of(user):
    """The id of the user's Person (or None), loaded once per request; for the apps' own rules too."""
    if not hasattr(user, "_policy_person_id"):
        user._policy_person_id = Person.objects.filter(user=user).values_list("id", flat=True).first()
    return user._policy_person_id


def _unit_is_own(user, unit) -> bool:
    pid = person_id_of(user)
    if pid is None:
        return False
    if unit.sublandlord_id == pid:
        return True
    return unit.residencies.filter(person_id=pid, moved_out__isnull=True).exists()


def _person_is_visible_phone(user, obj) -> bool:
    """Own phone, or the phones of current residents of a unit the user sublets."""
    pid = person_id_of(user)
    if pid is None:
        return False
    if isinstance(obj, Unit):
        return obj.sublandlord_id == pid
    person = obj
    if person.pk == pid:
        return True
    return Residency.objects.filter(person=person, moved_out__isnull=True, unit__sublandlord_id=pid).exists()


def team_ids_of(user) -> list[int]:
    """The ids of the teams the user belongs to, loaded once per request; for the apps' own rules too."""
    return viewer.facts_of(user).team_ids


def case_relations(user, case) -> set[str]:
    """How ``user`` stands to ``case``: reporter, handler, staff, secretary (see communities.workflow)."""
    relations = set()
    if not user.is_authenticated:
        return relations
    if case.reporter_id == user.pk:
        relations.add("reporter")
    if case.handler_user_id == user.pk or (case.handler_team_id and case.handler_team_id in team_ids_of(user)):
        relations.add("handler")
    roles = roles_in(user, case.community_id)
    if Role.COMMITTEE_STAFF in roles or user.town_role == User.TownRole.TOWN_STAFF:
        relations.add("staff")
    if Role.PARTY_SECRETARY in roles or user.town_role == User.TownRole.TOWN_SECRETARY:
        relations.add("secretary")
    return relations


def _case_is_related(user, case) -> bool:
    """Reporter or handler: the whole case page. A follower alone is not (``case.view_summary``)."""
    return isinstance(case, Case) and bool(case_relations(user, case))


def _case_related_q(user) -> Q:
    return Q(reporter=user) | Q(handler_user=user) | Q(handler_team__in=team_ids_of(user))


def _case_is_followed(user, case) -> bool:
    return _case_is_related(user, case) or case.followers.filter(pk=user.pk).exists()


def _case_followed_q(user) -> Q:
    return _case_related_q(user) | Q(followers=user)


def shared_place_q() -> Q:
    """An open case at a shared place (a building's public parts or a public place), never a flat's: what the
    filing form's similar-case box may show to any member of the community, and so what they may follow."""
    return (Q(status__in=OPEN_STATUSES, unit__isnull=True)
            & (Q(building__isnull=False) | Q(public_place__isnull=False)))


def _may_follow(user, case) -> bool:
    return (isinstance(case, Case) and case.is_open and case.unit_id is None
            and bool(case.building_id or case.public_place_id))


def _may_follow_q(user) -> Q:
    return shared_place_q()


def _uploaded_it(user, photo) -> bool:
    return isinstance(photo, PendingPhoto) and photo.uploaded_by_id == user.pk


def _uploaded_q(user) -> Q:
    return Q(uploaded_by=user)


def _handles_open_case(user, case) -> bool:
    return isinstance(case, Case) and case.is_open and "handler" in case_relations(user, case)


def _handles_open_case_q(user) -> Q:
    return (Q(handler_user=user) | Q(handler_team__in=team_ids_of(user))) & Q(status__in=OPEN_STATUSES)


def _meeting_is_visible(user, meeting) -> bool:
    """Open meetings (议事会, 村民大会) to every member; the others to their invitees and organiser."""
    if not isinstance(meeting, Meeting):
        return False
    if meeting.kind in OPEN_KINDS or meeting.organiser_id == user.pk:
        return True
    return MeetingInvite.objects.filter(meeting_id=meeting.pk, user_id=user.pk).exists()


def _meeting_visible_q(user) -> Q:
    return Q(kind__in=OPEN_KINDS) | Q(organiser=user) | Q(invites__user=user)


def _organises(user, obj) -> bool:
    return isinstance(obj, (Meeting, MeetingSeries)) and obj.organiser_id == user.pk


def _organises_q(user) -> Q:
    return Q(organiser=user)


def _rota_of(obj) -> Rota:
    if isinstance(obj, Rota):
        return obj
    if isinstance(obj, Shift):
        return obj.rota
    if isinstance(obj, ShiftAssignment):
        return obj.shift.rota
    if isinstance(obj, SwapOffer):
        return obj.assignment.shift.rota
    raise TypeError(f"policy: no rota known for {type(obj).__name__}")


def _manages_rota(user, obj) -> bool:
    return _rota_of(obj).manager_id == user.pk


def _on_rota(user, obj) -> bool:
    rota = _rota_of(obj)
    return rota.manager_id == user.pk or RotaMember.objects.filter(rota_id=rota.pk, user=user).exists()


def _on_rota_q(user) -> Q:
    return Q(manager=user) | Q(members__user=user)


def _own_assignment(user, obj) -> bool:
    return isinstance(obj, ShiftAssignment) and obj.user_id == user.pk


def _organises_q_manager(user) -> Q:
    return Q(manager=user)


def _own_assignment_q(user) -> Q:
    return Q(user=user)


def _on_voter_roll(user, obj) -> bool:
    """On the roll of this election (the roll is taken when the election opens)."""
    return (isinstance(obj, Election)
            and ElectionVoter.objects.filter(election_id=obj.pk, user_id=user.pk).exists())


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    town: bool = True
    # Extra grant on one object for users without a listed role (e.g. own unit).
    extra: Callable | None = None
    # The roles that `extra` may grant: used for object-less checks ("could this user ever?").
    extra_roles: frozenset = field(default_factory=frozenset)
    # The list form of `extra`: fn(user) -> Q over the model, or {Model: fn} when the rule acts on several.
    extra_scope: Callable | dict | None = None

    def __post_init__(self):
        # scope() must list exactly what can() grants: an extra grant without its list filter is refused
        # when the rule is declared (at start-up), instead of scope() silently narrowing.
        if self.extra is not None and self.extra_scope is None:
            raise ImproperlyConfigured("policy: a rule with an extra grant needs its list filter (extra_scope)")

    def scope_q(self, user, model) -> Q:
        if callable(self.extra_scope):
            return self.extra_scope(user)
        try:
            return self.extra_scope[model](user)
        except KeyError:
            raise ImproperlyConfigured(f"policy: no list filter for {model.__name__}") from None


def _phone_visible_q(user) -> Q:
    pid = person_id_of(user)
    if pid is None:
        return Q(pk__in=[])
    return Q(pk=pid) | Q(residencies__moved_out__isnull=True, residencies__unit__sublandlord_id=pid)


def _sublets_q(user) -> Q:
    pid = person_id_of(user)
    return Q(sublandlord_id=pid) if pid is not None else Q(pk__in=[])


def _on_rota_via(prefix: str):
    return lambda user: Q(**{f"{prefix}manager": user}) | Q(**{f"{prefix}members__user": user})


def _gives_need(user, need) -> bool:
    """The claimant of a need, or a member of the team it was claimed for."""
    if getattr(need, "claimed_by_id", None) == user.pk:
        return True
    team_id = getattr(need, "team_id", None)
    return bool(team_id and team_id in team_ids_of(user))


def _gives_need_q(user) -> Q:
    return Q(claimed_by=user) | Q(team__in=team_ids_of(user))


def _booked_it(user, booking) -> bool:
    return isinstance(booking, RoomBooking) and booking.booked_by_id == user.pk


def _squad_community_ids(user):
    """The communities where ``user`` belongs to a governance squad (治理小分队), as a subquery."""
    return Team.objects.filter(pk__in=team_ids_of(user), kind=Team.Kind.SQUAD).values("community_id")


def _in_a_squad_there(user, need) -> bool:
    """A member of one of the need's community's squads: they may claim it (for their squad)."""
    return Team.objects.filter(pk__in=team_ids_of(user), kind=Team.Kind.SQUAD,
                               community_id=community_of(need)).exists()


def _in_a_squad_q(user) -> Q:
    return Q(community__in=_squad_community_ids(user))


def _drafted_it(user, obj) -> bool:
    return isinstance(obj, DocumentVersion) and obj.drafted_by_id == user.pk


def _leads_team_of(user, entry) -> bool:
    """A current backbone (骨干, 主理人, 负责人 …) of the team that organised a volunteer-hours entry."""
    from .models import Backbone

    team_id = getattr(entry, "team_id", None)
    return bool(team_id) and Backbone.objects.filter(team_id=team_id, user=user, term_end__isnull=True).exists()


def _leads_team_of_q(user) -> Q:
    return Q(team__backbones__user=user, team__backbones__term_end__isnull=True)


def _own_certificate(user, certificate) -> bool:
    return isinstance(certificate, VolunteerCertificate) and certificate.volunteer_id == user.pk


ALL_ROLES = frozenset(Role.values)

RULES: dict[str, Rule] = {
    # Seeing that a community exists, its name and public figures.
    "community.view": Rule(ALL_ROLES),
    # The committee's phone, office hours and address on the community page and the QR landing page.
    "community.contacts": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # The directory of buildings and units of a community.
    "directory.view": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY, Role.STATION_STAFF})),
    # One unit and who lives there (phones masked unless person.view_phone).
    "unit.view": Rule(
        frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY, Role.STATION_STAFF}),
        extra=_unit_is_own,
        extra_roles=frozenset({Role.RESIDENT, Role.TENANT, Role.SUBLANDLORD}),
        extra_scope={Unit: _own_unit_q},
    ),
    # The full phone number of a person. Personal data stays in the community: committee staff, the sublandlord
    # of a tenant's flat and the person themself; town roles see it masked, like tenant registrations
    # (landlords.tenant_registration.*), unless they hold a role in that community.
    "person.view_phone": Rule(
        frozenset({Role.COMMITTEE_STAFF}),
        town=False,
        extra=_person_is_visible_phone,
        extra_roles=ALL_ROLES,
        extra_scope={Person: _phone_visible_q, Unit: _sublets_q},
    ),
    "registration.review": Rule(frozenset({Role.COMMITTEE_STAFF})),
    # 代登记: committee staff register a resident of their community on their behalf and print the invitation slip.
    "resident.register_on_behalf": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # Cases (the complaint workflow).
    "case.file": Rule(ALL_ROLES, town=False),
    "case.file_on_behalf": Rule(frozenset({Role.COMMITTEE_STAFF})),
    "case.view": Rule(
        frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}),
        extra=_case_is_related,
        extra_roles=ALL_ROLES,
        extra_scope={Case: _case_related_q},
    ),
    # The reduced case page (category, place, status; no description, photos, timeline or names): a follower
    # who has no other right to the case, and everyone who may see the whole page.
    "case.view_summary": Rule(
        frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}),
        extra=_case_is_followed,
        extra_roles=ALL_ROLES,
        extra_scope={Case: _case_followed_q},
    ),
    # Following an open case instead of filing it again: only what the similar-case box could show a member
    # of the community (an open case at a shared place, ``shared_place_q``), never a flat's own case.
    "case.follow": Rule(frozenset(), town=False, extra=_may_follow, extra_roles=ALL_ROLES,
                        extra_scope={Case: _may_follow_q}),
    # A photo kept from a filing form that came back with an error: its uploader only, nobody else.
    "case.pending_photo": Rule(frozenset(), town=False, extra=_uploaded_it, extra_roles=ALL_ROLES,
                               extra_scope={PendingPhoto: _uploaded_q}),
    # The handler's work queue: anyone cases can be routed to.
    "case.queue": Rule(frozenset({Role.SUBLANDLORD, Role.STATION_STAFF, Role.VOLUNTEER, Role.TALENT,
                                  Role.COMMITTEE_STAFF})),
    "case.list": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})),
    "case.export": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})),
    "case.dashboard": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})),
    "case.qr_sheet": Rule(frozenset({Role.COMMITTEE_STAFF})),
    "case.routing": Rule(frozenset({Role.COMMITTEE_STAFF})),
    # Reporter identity and phone on a case (hidden from handlers when the reporter asked).
    "case.reporter_contact": Rule(frozenset({Role.COMMITTEE_STAFF})),
    # Who lives in the case's flat now (names; phones as person.view_phone allows): the case's handler (a person,
    # or a member of the handling team) while it is open, so they reach the tenants where the work happens.
    # Staff who do not handle it find the residents on the flat's page (unit.view).
    "case.unit_tenants": Rule(frozenset(), town=False, extra=_handles_open_case,
                              extra_roles=ALL_ROLES, extra_scope={Case: _handles_open_case_q}),
    # Choosing a case's handler (the dispatch picker, bulk dispatch): committee staff, as the table's STAFF.
    "case.dispatch": Rule(frozenset({Role.COMMITTEE_STAFF})),
    "residents.import": Rule(frozenset({Role.COMMITTEE_STAFF})),
    # Meetings (三定). Leaders see and run every meeting of their community; organisers run their own.
    "meeting.view": Rule(
        frozenset(LEADER_ROLES),
        extra=_meeting_is_visible,
        extra_roles=ALL_ROLES,
        extra_scope={Meeting: _meeting_visible_q},
    ),
    "meeting.create": Rule(frozenset(LEADER_ROLES)),
    "meeting.manage": Rule(
        frozenset(LEADER_ROLES),
        extra=_organises,
        extra_roles=ALL_ROLES,
        extra_scope={Meeting: _organises_q, MeetingSeries: _organises_q},
    ),
    # Any member may propose a topic ahead (town roles are not members: they do not propose).
    "meeting.propose": Rule(ALL_ROLES, town=False),
    # The community's queue of proposed topics.
    "meeting.review": Rule(frozenset(LEADER_ROLES)),
    # Duty rotas: staff and the Party secretary see all of a community's rotas, members and managers their own.
    "rota.view": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}), extra=_on_rota,
                      extra_roles=ALL_ROLES, extra_scope={Rota: _on_rota_q}),
    "rota.create": Rule(frozenset({Role.COMMITTEE_STAFF})),
    "rota.manage": Rule(frozenset({Role.COMMITTEE_STAFF}), extra=_manages_rota, extra_roles=ALL_ROLES,
                        extra_scope={Rota: _organises_q_manager}),
    # My shifts, the swap market and my calendar link (empty for someone on no rota).
    "rota.mine": Rule(ALL_ROLES),
    # Members act on their own shifts only: checking in, offering a swap.
    "shift.check_in": Rule(frozenset(), town=False, extra=_own_assignment, extra_roles=ALL_ROLES,
                           extra_scope={ShiftAssignment: _own_assignment_q}),
    "swap.offer": Rule(frozenset(), town=False, extra=_own_assignment, extra_roles=ALL_ROLES,
                       extra_scope={ShiftAssignment: _own_assignment_q}),
    "swap.take": Rule(frozenset(), town=False, extra=_on_rota, extra_roles=ALL_ROLES,
                      extra_scope={Rota: _on_rota_q, Shift: _on_rota_via("rota__"),
                                   SwapOffer: _on_rota_via("assignment__shift__rota__")}),
    # One's own leave (请假): the pages and services only ever load the user's own rows.
    "rota.leave": Rule(ALL_ROLES, town=False),
    # Granting and revoking the qualifications of a rota's members: its manager and committee staff
    # (which qualifications each may grant: qualifications_grantable).
    "rota.qualify": Rule(frozenset({Role.COMMITTEE_STAFF}), extra=_manages_rota, extra_roles=ALL_ROLES,
                         extra_scope={Rota: _organises_q_manager}),
    # Naming a community's qualifications, and granting any of them.
    "qualification.create": Rule(frozenset({Role.COMMITTEE_STAFF})),
    # Elections (蓉治社 officers; later 郡园's owners' committee): every member sees elections, their
    # audit trail and published tallies, and may check a receipt; committee staff run them; those on the
    # voter roll vote, once.
    "election.view": Rule(ALL_ROLES),
    "election.manage": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    "election.vote": Rule(frozenset(), town=False, extra=_on_voter_roll, extra_roles=ALL_ROLES,
                          extra_scope={Election: lambda user: Q(voters__user=user)}),
    # Paper ballots: one committee staff member types a signed paper in, a second one confirms it against the
    # paper (the services refuse the same person twice; the database does too).
    "election.paper_enter": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    "election.paper_confirm": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # Community titles (社区身份, e.g. 社区监督员): committee staff award and revoke them in their community.
    "title.award": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # The co-building needs list (共建需求清单): every member sees the list and who gave what (共建榜).
    "need.view": Rule(ALL_ROLES),
    # Committee staff post needs, confirm deliveries, send them back and withdraw needs.
    "need.manage": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # Who may claim an open need: sublandlords, and the members of a governance squad (治理小分队) of the community.
    "need.claim": Rule(frozenset({Role.SUBLANDLORD}), town=False, extra=_in_a_squad_there, extra_roles=ALL_ROLES,
                       extra_scope=_in_a_squad_q),
    # Releasing or delivering a claimed need: its giver only.
    "need.deliver": Rule(frozenset(), town=False, extra=_gives_need, extra_roles=ALL_ROLES,
                         extra_scope=_gives_need_q),
    # The photos (posted and delivered): leaders, the sublandlords and the giver, not every resident.
    "need.photo": Rule(frozenset(LEADER_ROLES | {Role.SUBLANDLORD}), extra=_gives_need, extra_roles=ALL_ROLES,
                       extra_scope=_gives_need_q),
    # Versioned documents (communities.models.documents): every member reads the current texts and their
    # history. The steps of each kind (draft, adopt, acknowledge …) are the rules its app registers.
    "document.view": Rule(ALL_ROLES),
    # Withdrawing a draft: committee staff, or whoever drafted it.
    "document.withdraw": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False, extra=_drafted_it, extra_roles=ALL_ROLES,
                              extra_scope={DocumentVersion: lambda user: Q(drafted_by=user)}),
    # Rooms of the service centre (党群服务中心): every member sees the rooms and their week, with each booking's
    # title (the booker's name only to staff and to the booker).
    "room.view": Rule(ALL_ROLES),
    # Booking a room in person: committee staff (who run the centre and book for residents and volunteers who
    # ask), the Party secretary (the Party layer's activities) and talent hosts (their studios' classes and
    # squads). Volunteers, residents and the other roles ask the committee: the seed's centre is the
    # committee's, and a volunteer activity is booked by whoever organises it. Town roles do not book a
    # community's rooms. Meetings and the apps' sessions book through their own services and rules.
    "room.book": Rule(frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY, Role.TALENT}), town=False),
    # Adding rooms, editing them, closing one for bookings: committee staff.
    "room.manage": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # Cancelling or moving a booking: whoever made it, and committee staff (who then tell the booker).
    "room.booking.cancel": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False, extra=_booked_it,
                                extra_roles=ALL_ROLES, extra_scope={RoomBooking: lambda user: Q(booked_by=user)}),
    # Appointing a team's backbones (骨干, 主理人, 负责人 …) and ending their terms: committee staff.
    "team.appoint": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # The volunteer-hours record (RULES.md, volunteers; communities.services.hours). Every member sees their own
    # entries (平台记录) and asks for corrections; the pages load only the user's own rows.
    "hours.view_own": Rule(ALL_ROLES, town=False),
    # The organiser records: committee staff enter, review and correct entries, export them for the national
    # volunteer system and run the certificate register (谁组织谁记录、谁记录谁证明).
    "hours.manage": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    # Confirming a manual entry (the second person): staff, or a current backbone of the team that organised it.
    "hours.confirm": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False, extra=_leads_team_of,
                          extra_roles=ALL_ROLES, extra_scope={VolunteerHours: _leads_team_of_q}),
    # Totals per team and month (平台记录) for the Party layer: leaders of the community and the town.
    "hours.report": Rule(frozenset(LEADER_ROLES)),
    # The public notice of certificates being published inside the unit (at least 7 days): its members.
    "hours.notice": Rule(ALL_ROLES, town=False),
    # An issued certificate as PDF: staff, and the volunteer it is for.
    "hours.certificate": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False, extra=_own_certificate,
                              extra_roles=ALL_ROLES,
                              extra_scope={VolunteerCertificate: lambda user: Q(volunteer=user)}),
    # Service evaluation (communities.models.evaluations), the engine's generic rules; an app adds its own
    # (``propertyservice.evaluation.*``) for who scores and who manages its subject. A standard is public to the
    # members; the results to the community's leaders; committee staff draft standards and type paper forms.
    "evaluation.standard.view": Rule(ALL_ROLES),
    "evaluation.standard.draft": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
    "evaluation.view": Rule(frozenset(LEADER_ROLES)),
    "evaluation.paper_enter": Rule(frozenset({Role.COMMITTEE_STAFF}), town=False),
}

# Actions any signed-in user may take on their own account (home page, inbox,
# password change, elder mode, their own registration).
SELF = "account.self"


def is_town(user) -> bool:
    return user.is_authenticated and user.town_role in TOWN_ROLES


def memberships(user) -> dict[int, set[str]]:
    """{community_id: {role, …}} for the user, loaded once per request."""
    return viewer.facts_of(user).memberships


def roles_in(user, community) -> set[str]:
    cid = community.pk if isinstance(community, Community) else community
    return memberships(user).get(cid, set())


def all_roles(user) -> set[str]:
    return set().union(*memberships(user).values()) if memberships(user) else set()


def is_privileged(user) -> bool:
    return is_town(user) or bool(all_roles(user) & PRIVILEGED_ROLES)


def community_path(model) -> str:
    """How ``model`` reaches its community: its ``community_path`` attribute, named once on the model."""
    try:
        return model.community_path
    except AttributeError:
        raise TypeError(f"policy: no community known for {model.__name__}") from None


def community_of(obj) -> Community | int:
    if isinstance(obj, Community):
        return obj
    path = getattr(type(obj), "community_path", None)
    if path is None:
        community_id = getattr(obj, "community_id", None)
        if community_id is not None:
            return community_id
        raise TypeError(f"policy: no community known for {type(obj).__name__}")
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def _rule(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise ValueError(f"policy: unknown action {action!r}") from None


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? Without ``obj``: could they, anywhere?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action == SELF:
        return True
    rule = _rule(action)
    if obj is None:
        if rule.town and is_town(user):
            return True
        return bool(all_roles(user) & (rule.roles | rule.extra_roles))
    if isinstance(obj, Person):
        return _can_on_person(user, rule, obj)
    community = community_of(obj)
    if rule.town and is_town(user):
        return True
    if roles_in(user, community) & rule.roles:
        return True
    return bool(rule.extra and roles_in(user, community) and rule.extra(user, obj))


def _can_on_person(user, rule: Rule, person: Person) -> bool:
    if rule.town and is_town(user):
        return True
    person_communities = set(
        Residency.objects.filter(person=person, moved_out__isnull=True)
        .values_list("unit__building__community_id", flat=True)
    )
    if any(roles_in(user, cid) & rule.roles for cid in person_communities):
        return True
    return bool(rule.extra and rule.extra(user, person))


def community_ids_for(user, action: str = "community.view") -> set[int] | None:
    """The ids of the communities in which ``user`` may do ``action``; None means every community (town
    roles). ``communities_for`` without a query, for checks made on every page."""
    if not user.is_authenticated:
        return set()
    rule = _rule(action)
    if rule.town and is_town(user):
        return None
    return {cid for cid, roles in memberships(user).items() if roles & rule.roles}


def communities_for(user, action: str = "community.view") -> QuerySet:
    """The communities in which ``user`` may do ``action``."""
    if not user.is_authenticated:
        return Community.objects.none()
    rule = _rule(action)
    if rule.town and is_town(user):
        return Community.objects.all()
    ids = [cid for cid, roles in memberships(user).items() if roles & rule.roles]
    return Community.objects.filter(pk__in=ids)


def scope(user, action: str, queryset: QuerySet) -> QuerySet:
    """Narrow ``queryset`` to the objects ``user`` may do ``action`` to."""
    if not user.is_authenticated:
        return queryset.none()
    rule = _rule(action)
    if rule.town and is_town(user):
        return queryset
    ids = [cid for cid, roles in memberships(user).items() if roles & rule.roles]
    if queryset.model is Person:
        # As can(): a current resident of a community where the user holds the role, or the extra grant.
        q = Q(residencies__moved_out__isnull=True, residencies__unit__building__community__in=ids)
        if rule.extra_scope is not None:
            q |= rule.scope_q(user, Person)
        return queryset.filter(q).distinct()
    path = community_path(queryset.model)
    q = Q(**{f"{path}__in": ids})
    if rule.extra_scope is not None:
        member_of = list(memberships(user))
        q |= rule.scope_q(user, queryset.model) & Q(**{f"{path}__in": member_of})
    return queryset.filter(q).distinct() if rule.extra_scope is not None else queryset.filter(q)


def get_object_or_404_for(user, action: str, queryset: QuerySet, **lookup):
    """Fetch one object for ``action``: 404 outside the user's communities, 403 inside without the right."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if isinstance(obj, Person):
        if not can(user, action, obj):
            raise Http404
        return obj
    community = community_of(obj)
    if not (is_town(user) or roles_in(user, community)):
        raise Http404
    if not can(user, action, obj):
        raise PermissionDenied
    return obj


def qualifications_grantable(user, rota: Rota) -> QuerySet:
    """The qualifications ``user`` may grant to and revoke from ``rota``'s members.

    Staff: any of the community's. A manager who is not staff: only the one the rota requires, so that
    they cannot qualify people for another manager's rota.
    """
    if not can(user, "rota.qualify", rota):
        return Qualification.objects.none()
    every = Qualification.objects.filter(community_id=rota.community_id)
    if can(user, "qualification.create", rota):
        return every
    return every.filter(pk=rota.required_qualification_id) if rota.required_qualification_id else every.none()


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


# --- views -------------------------------------------------------------------

def guard(action: str):
    """Wrap a view: sign-in required, then ``can(user, action)``; the view checks objects itself."""
    _rule(action) if action != SELF else None

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.policy_action = action
        return wrapper

    return decorator


def public(view):
    """Mark a view as reachable without sign-in (login, registration, health)."""
    view.policy_public = True
    return view
