"""Studios: who may see, follow and manage them; the hosts' qualifications; the partner merchants.

A studio's hosts are the core's backbones (``Backbone``, office 主理人) of the studio's team, in office today:
the ``extra`` grant of ``talents.studio.manage`` asks for exactly that, so a host of another studio is refused
(403 in the community, 404 outside it: ``communities.policy.get_object_or_404_for``)."""
from django.db.models import Q

from communities.models import Backbone, Role
from communities.policy import Rule

ALL = frozenset(Role.values)
STAFF = frozenset({Role.COMMITTEE_STAFF})


def _hosts_studio(user, studio) -> bool:
    team_id = getattr(studio, "team_id", None)
    return team_id is not None and Backbone.objects.filter(
        team_id=team_id, user_id=user.pk, office=Backbone.Office.STUDIO_HOST, term_end__isnull=True).exists()


def _hosts_studio_q(user) -> Q:
    return Q(team__backbones__user=user, team__backbones__office=Backbone.Office.STUDIO_HOST,
             team__backbones__term_end__isnull=True)


RULES: dict[str, Rule] = {
    # The 郡园 hub and the studio pages: every member of a community the app serves.
    "talents.hub": Rule(ALL),
    "talents.studio.view": Rule(ALL),
    # Following a studio (关注: a TeamMember row of its team) and leaving it: members, not town roles.
    "talents.studio.follow": Rule(ALL, town=False),
    # Editing the studio's page and photos, its follower list: its hosts in office, and committee staff.
    "talents.studio.manage": Rule(STAFF, town=False, extra=_hosts_studio, extra_roles=ALL,
                                  extra_scope=_hosts_studio_q),
    # Opening a studio and appointing its hosts.
    "talents.studio.create": Rule(STAFF, town=False),
    # Recording the hosts' qualifications (医师资格, 背景核查, 年龄核验) and the list of lapsing ones.
    "talents.qualification.manage": Rule(STAFF, town=False),
    # Partner merchants: their page for every member; the list with referral counts and editing for staff.
    "talents.merchant.view": Rule(ALL),
    "talents.merchant.manage": Rule(STAFF, town=False),
}
