"""The core's access rules: elections, community titles, the needs list, documents, rooms, teams, volunteer hours
and service evaluation."""
from django.db.models import Q

from ..models import DocumentVersion, Election, Role, RoomBooking, VolunteerCertificate, VolunteerHours
from .relations import (
    _on_voter_roll, _gives_need, _gives_need_q, _booked_it, _in_a_squad_there, _in_a_squad_q, _drafted_it,
    _leads_team_of, _leads_team_of_q, _own_certificate,
)
from .rule import ALL_ROLES, LEADER_ROLES, Rule

RULES: dict[str, Rule] = {
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
