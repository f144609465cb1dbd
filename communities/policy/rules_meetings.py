"""The core's access rules: meetings (三定) and their topics, duty rotas, leave and qualifications."""
from ..models import Role, Rota, Shift, ShiftAssignment, SwapOffer
from ..models.meetings import Meeting, MeetingSeries
from .relations import (
    _meeting_is_visible, _meeting_visible_q, _organises, _organises_q, _manages_rota, _on_rota, _on_rota_q,
    _own_assignment, _organises_q_manager, _own_assignment_q, _on_rota_via,
)
from .rule import ALL_ROLES, LEADER_ROLES, Rule

RULES: dict[str, Rule] = {
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
}
