"""The station's evaluation (服务站考核): who scores, who types in paper forms, who sees the results and runs the
improvement actions, who drafts the standard. The engine is the core's (``communities.models.evaluations``).

- Villagers (a resident, tenant or volunteer of the village) score for their own household; the service checks
  they live in it now (a residency), since a role alone does not name a household.
- Station staff and committee staff type in the paper forms villagers fill in (纸质评价表).
- The heads (负责人) and the village's committee staff (and its Party secretary, reading) see the results; the
  heads and committee staff run the improvement actions (整改).
- Committee staff draft a new version of the standard; the village adopts it by its own decision.
- The standard is public to every member of the village.
"""
from django.db.models import Q

from communities.models import Community, ImprovementAction, Role
from communities.policy import Rule

from .base import ALL, STAFF, STATION, STATION_AND_STAFF, VILLAGERS, heads_q, is_head

LEADERS = STAFF | frozenset({Role.PARTY_SECRETARY})


def _heads_community_q(prefix: str = ""):
    def q(user) -> Q:
        ids = Community.objects.filter(heads_q(user)).values("pk")
        return Q(pk__in=ids) if not prefix else Q(**{f"{prefix}__in": ids})
    return q


HEAD_SCOPE = {Community: _heads_community_q(), ImprovementAction: _heads_community_q("community")}

RULES: dict[str, Rule] = {
    "propertyservice.evaluation.standard": Rule(ALL),
    "propertyservice.evaluation.score": Rule(VILLAGERS, town=False),
    "propertyservice.evaluation.paper": Rule(STATION_AND_STAFF, town=False),
    "propertyservice.evaluation.view": Rule(LEADERS, extra=is_head, extra_roles=STATION, extra_scope=HEAD_SCOPE),
    "propertyservice.evaluation.actions": Rule(STAFF, town=False, extra=is_head, extra_roles=STATION,
                                               extra_scope=HEAD_SCOPE),
    "propertyservice.evaluation.draft": Rule(STAFF, town=False),
}
