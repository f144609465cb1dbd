"""Access rules of the owners' hub's committee area (issue 15). Shared helpers: ``talents.policies.owners``.

Reading the committee's pages (terms, recalls, filings, published decisions) is ``talents.owners.view``:
everyone of the estate, tenants included. Recording the history (recalls, the town's certificates) is for
committee staff; the committee's own decisions are recorded and published by the members of the serving term
(their ``Backbone`` in office on its team) and by committee staff."""
from django.db.models import Q

from communities.models import Backbone, Community, Team
from communities.policy import ALL_ROLES, STAFF_ROLES, Rule, community_of

from ..models import CommitteeDecision, CommitteeTerm


def serving_member_community_ids(user) -> set[int]:
    """The communities where ``user`` holds an office in the serving term of the owners' committee; once per
    request."""
    if not hasattr(user, "_talents_committee_of"):
        # A backbone of any other team (a squad, a studio) is not a committee member: the term must exist.
        user._talents_committee_of = set(Backbone.objects.filter(
            user_id=user.pk, term_end__isnull=True, team__kind=Team.Kind.OWNERS_COMMITTEE,
            team__committee_term__isnull=False, team__committee_term__ended_on__isnull=True,
        ).values_list("team__community_id", flat=True))
    return user._talents_committee_of


def is_serving_member(user, obj) -> bool:
    community = community_of(obj)
    community_id = community.pk if isinstance(community, Community) else community
    return community_id in serving_member_community_ids(user)


def _member_q(prefix: str):
    return lambda user: Q(**{f"{prefix}__in": serving_member_community_ids(user) or [0]})


RULES: dict[str, Rule] = {
    # Recording a recall or the town's filing and seal certificates: committee staff.
    "talents.committee.manage": Rule(frozenset(STAFF_ROLES), town=False),
    # Recording the committee's decisions, publishing them, recording the notice to the residents' committee
    # (沪物业规定 art. 26): the members of the serving term and committee staff.
    "talents.committee.decide": Rule(frozenset(STAFF_ROLES), town=False, extra=is_serving_member,
                                     extra_roles=ALL_ROLES, extra_scope={
                                         Community: _member_q("pk"), CommitteeTerm: _member_q("community"),
                                         CommitteeDecision: _member_q("community")}),
}
