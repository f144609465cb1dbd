"""The core's access rules: places, people and registration (the community, its directory, units, phones,
registrations)."""
from ..models import Person, Role, Unit
from .relations import _own_unit_q, _unit_is_own, _person_is_visible_phone, _phone_visible_q, _sublets_q
from .rule import ALL_ROLES, Rule

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
}
