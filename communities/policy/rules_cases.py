"""The core's access rules: cases (the complaint workflow)."""
from ..models import Case, PendingPhoto, Role
from .relations import (
    _case_is_related, _case_related_q, _case_is_followed, _case_followed_q, _may_follow, _may_follow_q,
    _uploaded_it, _uploaded_q, _handles_open_case, _handles_open_case_q,
)
from .rule import ALL_ROLES, Rule

RULES: dict[str, Rule] = {
    # Cases (the complaint workflow).
    "case.file": Rule(ALL_ROLES, town=False),
    # Filing for someone else (a caller, a visitor, what a patrol found): committee staff, and the staff of a
    # village's property service station, who answer its 24-hour hotline and patrol (光明村).
    "case.file_on_behalf": Rule(frozenset({Role.COMMITTEE_STAFF, Role.STATION_STAFF})),
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
}
