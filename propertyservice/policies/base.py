"""Role sets and relations the station's rules share.

- **Station staff** (服务站工作人员): the ``station_staff`` role of the village.
- **The heads** (负责人): ``Backbone`` rows of office 服务站负责人 (``STATION_HEAD``) on the village's station team
  (core ``Team`` of kind ``station``), in office today. ``is_head`` / ``heads_q`` are the ``extra`` grants.
- **Committee staff** of the village (村委) are the employer of record and may do what a head does.
"""
from django.db.models import Q

from communities.models import Backbone, Role, Team

ALL = frozenset(Role.values)
STAFF = frozenset({Role.COMMITTEE_STAFF})
STATION = frozenset({Role.STATION_STAFF})
STATION_AND_STAFF = STATION | STAFF
VILLAGERS = frozenset({Role.RESIDENT, Role.TENANT, Role.VOLUNTEER})


def _community_id(obj):
    """The community id of ``obj`` as ``policy.scope`` reaches it (``policy.community_of``: a Community, a model's
    ``community_path``, e.g. a parking charge through its gate entry, or its ``community_id``); None if it has none."""
    from communities import policy
    from communities.models import Community

    try:
        community = policy.community_of(obj)
    except TypeError:
        return None
    return community.pk if isinstance(community, Community) else community


def is_head(user, obj) -> bool:
    """``user`` is one of the station's heads (负责人) in the community of ``obj``, in office today."""
    community_id = _community_id(obj)
    return community_id is not None and Backbone.objects.filter(
        user_id=user.pk, office=Backbone.Office.STATION_HEAD, term_end__isnull=True,
        team__kind=Team.Kind.STATION, team__community_id=community_id).exists()


def heads_q(user) -> Q:
    """The communities (``Community`` rows) whose station ``user`` heads."""
    return Q(teams__kind=Team.Kind.STATION, teams__backbones__user=user,
             teams__backbones__office=Backbone.Office.STATION_HEAD, teams__backbones__term_end__isnull=True)
