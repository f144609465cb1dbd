"""Building blocks for the tests of services by appointment and squads: 郡园 with a photographer's studio and its
host, residents, committee staff, and a fixed clock (services take ``now=``; the pages run on the real clock)."""
import datetime as dt
from zoneinfo import ZoneInfo

from communities.models import Backbone, Community, Role, Team
from talents.models import Studio, StudioService

from ..factories import CommunityFactory, make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)  # a Monday morning
TUESDAY = dt.date(2026, 3, 3)


def junyuan():
    return CommunityFactory(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)


def studio_with_host(community, host, *, slug="sheying", name="摄影工作室", kind=Studio.TalentKind.PHOTOGRAPHY):
    team = Team.objects.create(community=community, name=name, kind=Team.Kind.STUDIO)
    Backbone.objects.create(team=team, user=host, office=Backbone.Office.STUDIO_HOST, term_start=NOW.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=host)
    return Studio.objects.create(team=team, slug=slug, talent_kind=kind)


def id_photos(studio, host, **extra):
    fields = {"title": "免费证件照", "duration_minutes": 15, "place": "党群服务中心 摄影工作室", **extra}
    return StudioService.objects.create(studio=studio, created_by=host, **fields)


def people(community, n, prefix="jy", role=Role.RESIDENT):
    return [make_member(community, role, username=f"{prefix}{i}", name=f"居民{prefix}{i}") for i in range(n)]
