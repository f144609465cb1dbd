"""Access rules of the 蓉庭 app, registered into the core policy module (communities.policy).

The core decides every access through ``policy.can``/``policy.scope``; this module only adds the
landlords app's actions to its table, and tells ``scope`` how each model reaches its community.
Each area adds its rules in its own block below.
"""
from django.db.models import Q

from communities import policy
from communities.models import Role
from communities.policy import ALL_ROLES, Rule

from .models import RentalDeclaration, TenantRegistration

STAFF = frozenset({Role.COMMITTEE_STAFF})
LEADERS = frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})
SUBLANDLORDS = frozenset({Role.SUBLANDLORD})

RULES: dict[str, Rule] = {}
COMMUNITY_PATH: dict = {}


def _person_id(user):
    return policy._person_id(user)  # cached on the user for the request by the core


# --- rentals (租户进出登记) ---------------------------------------------------------------------
# A sublandlord manages only the units they let now, and sees only their own registrations (and the
# active ones of the units they let now); a tenant sees only their own; committee staff and the Party
# secretary see the community's. Town roles get none of it: tenant data stays in the community.


def _lets_unit(user, unit) -> bool:
    pid = _person_id(user)
    return pid is not None and getattr(unit, "sublandlord_id", None) == pid and unit.is_let


def _lets_unit_q(user) -> Q:
    pid = _person_id(user)
    return Q(sublandlord_id=pid, is_let=True) if pid is not None else Q(pk__in=[])


def _sublandlord_of_registration(user, registration) -> bool:
    pid = _person_id(user)
    if pid is None or not isinstance(registration, TenantRegistration):
        return False
    return registration.sublandlord_id == pid or (registration.moved_out is None
                                                   and registration.unit.sublandlord_id == pid)


def _registration_visible(user, registration) -> bool:
    pid = _person_id(user)
    if pid is None or not isinstance(registration, TenantRegistration):
        return False
    return _sublandlord_of_registration(user, registration) or registration.residency.person_id == pid


def _registration_visible_q(user) -> Q:
    pid = _person_id(user)
    if pid is None:
        return Q(pk__in=[])
    return (Q(sublandlord_id=pid) | Q(unit__sublandlord_id=pid, moved_out__isnull=True)
            | Q(residency__person_id=pid))


TENANT_SIDE = frozenset({Role.SUBLANDLORD, Role.TENANT})

RULES.update({
    # The sublandlord's own let units: declare rooms, register tenants moving in.
    "rental.manage": Rule(frozenset(), town=False, extra=_lets_unit, extra_roles=SUBLANDLORDS,
                          extra_scope=_lets_unit_q),
    # Registering a move-out: the sublandlord who registered it, or who lets the unit now.
    "tenant_registration.move_out": Rule(frozenset(), town=False, extra=_sublandlord_of_registration,
                                         extra_roles=SUBLANDLORDS),
    # One registration: staff and the secretary of its community, its sublandlord, the tenant.
    "tenant_registration.view": Rule(LEADERS, town=False, extra=_registration_visible, extra_roles=TENANT_SIDE,
                                     extra_scope=_registration_visible_q),
    # "我的租住登记": any member (the page shows only the user's own registrations).
    "tenant_registration.mine": Rule(ALL_ROLES, town=False),
    # The community's registrations, and the units flagged as over capacity (疑似群租/隔断).
    "tenant_registration.list": Rule(LEADERS, town=False),
    # Unmasked tenant phones (asked for with a reason, logged) and the Excel export (with a purpose, logged).
    "tenant_registration.reveal_phone": Rule(STAFF, town=False),
    "tenant_registration.export": Rule(STAFF, town=False),
    # Opening a 房屋隔断 case from an over-capacity flag.
    "rental.flag_case": Rule(STAFF, town=False),
})
COMMUNITY_PATH.update({
    RentalDeclaration: "unit__building__community",
    TenantRegistration: "unit__building__community",
})


def register() -> None:
    """Called once from the app config: add this app's rules to the core table."""
    for action, rule in RULES.items():
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise RuntimeError(f"landlords.policies: action {action!r} is already defined")
        policy.RULES[action] = rule
    policy.COMMUNITY_PATH.update(COMMUNITY_PATH)
