"""Relations between a user and an object that grant a rule beyond the user's roles (the ``extra`` of a
``Rule``), each with its list form (``…_q``: the same grant as a filter, for ``scope``)."""
from django.db.models import Q

from .. import viewer
from ..models import (
    OPEN_STATUSES, Case, DocumentVersion, Election, ElectionVoter, PendingPhoto, Person, Residency, Role,
    RoomBooking, VolunteerCertificate, Rota, RotaMember, Shift, ShiftAssignment, SwapOffer, Team, Unit, User,
)
from ..models.meetings import OPEN_KINDS, Meeting, MeetingInvite, MeetingSeries


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
    from . import roles_in  # the engine's per-request facts

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
    from . import community_of

    return Team.objects.filter(pk__in=team_ids_of(user), kind=Team.Kind.SQUAD,
                               community_id=community_of(need)).exists()


def _in_a_squad_q(user) -> Q:
    return Q(community__in=_squad_community_ids(user))


def _drafted_it(user, obj) -> bool:
    return isinstance(obj, DocumentVersion) and obj.drafted_by_id == user.pk


def _leads_team_of(user, entry) -> bool:
    """A current backbone (骨干, 主理人, 负责人 …) of the team that organised a volunteer-hours entry."""
    from ..models import Backbone

    team_id = getattr(entry, "team_id", None)
    return bool(team_id) and Backbone.objects.filter(team_id=team_id, user=user, term_end__isnull=True).exists()


def _leads_team_of_q(user) -> Q:
    return Q(team__backbones__user=user, team__backbones__term_end__isnull=True)


def _own_certificate(user, certificate) -> bool:
    return isinstance(certificate, VolunteerCertificate) and certificate.volunteer_id == user.pk
