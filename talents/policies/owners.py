"""The owners' hub's shared rules and the one relation its areas share: being an owner of the estate.

An owner (业主) is a person with a current ``Residency`` of relation owner on a unit of the community (the owner
register keeps these); tenants and family members are not owners (RULES.md, owners' decisions). The areas of the
hub keep their own rules in ``owners_<area>.py`` beside this module."""
from django.db.models import Q

from communities.models import Community, Residency, Role
from communities.policy import ALL_ROLES, STAFF_ROLES, Rule, community_of, person_id_of


def owner_community_ids(user) -> set[int]:
    """The communities in which ``user`` owns a unit now; loaded once per request."""
    if not hasattr(user, "_talents_owner_of"):
        person_id = person_id_of(user)
        user._talents_owner_of = set() if person_id is None else set(Residency.objects.filter(
            person_id=person_id, relation=Residency.Relation.OWNER, moved_out__isnull=True,
        ).values_list("unit__building__community_id", flat=True))
    return user._talents_owner_of


def is_owner(user, obj) -> bool:
    """``user`` owns a unit in the community of ``obj``."""
    community = community_of(obj)
    community_id = community.pk if isinstance(community, Community) else community
    return community_id in owner_community_ids(user)


def owner_q(prefix: str = "community"):
    """The list form of ``is_owner`` for a model that reaches its community through ``prefix``."""
    return lambda user: Q(**{f"{prefix}__in": owner_community_ids(user) or [0]})


OWNER_ROLES = frozenset({Role.RESIDENT})  # the role an owner holds; ``is_owner`` decides

RULES: dict[str, Rule] = {
    # The owners' hub and its public pages (committee, election timeline, projects, fund statement, 物业之窗):
    # everyone of the estate, tenants included; the hub's cards that are for owners only check again.
    "talents.owners.view": Rule(ALL_ROLES),
    # Entering the fund's ledger (collections, interest, payments): committee staff.
    "talents.fund.manage": Rule(frozenset(STAFF_ROLES), town=False),
}
