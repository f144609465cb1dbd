"""Set-up for the service-evaluation tests: a village decision (a villagers' meeting of three households whose
motion passes or fails, run through the real election services), a standard with one criterion per group, and
a fixed clock."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from communities.models import ElectionVoter, EvaluationCriterion, Motion, MotionVote
from communities.services import elections as election_svc
from communities.services import evaluations as svc
from tests.factories import BuildingFactory

from .vote_world import decision, owner_of, unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
G = EvaluationCriterion.Group
FOR, AGAINST = MotionVote.Choice.FOR, MotionVote.Choice.AGAINST
SUBJECT = "tests.station"


def village_motion(staff, village, *, choice=FOR, publish=True, title="通过服务站评价标准", now=None):
    """A villagers' meeting (household roll) with three more households; every household on the roll that has
    an account votes ``choice`` (more than two thirds of households present). Returns the motion, reloaded."""
    now = now or NOW - dt.timedelta(days=20)
    group = BuildingFactory(community=village, name=f"{title}组")
    for i in range(3):
        owner_of(village, unit(group, 0), username=f"hh{title}{i}", born=dt.date(1960, 1, 1))
    election, (motion,) = decision(staff, village, motions=[(title, "ordinary")], electorate="village_households",
                                   rule="villagers", notice_days=10, counting="headcount", title=title)
    election_svc.election_notice_publish(actor=staff, election=election, now=now - dt.timedelta(days=10))
    if publish:
        election_svc.election_open(election=election, actor=staff, now=now)
        for voter in ElectionVoter.objects.filter(election=election, user__isnull=False).select_related("user"):
            election_svc.ballot_cast(election=election, actor=voter.user, choices={},
                                     motions={str(motion.pk): choice}, now=now)
        election_svc.election_close(election=election, actor=staff, now=now)
        election_svc.election_publish(election=election, actor=staff, now=now)
    return Motion.objects.select_related("election").get(pk=motion.pk)


CRITERIA = [
    {"name": "巡逻完成率", "group": G.OBJECTIVE, "metric_key": "patrols_completed", "weight": Decimal(1)},
    {"name": "飞线整治", "group": G.OBJECTIVE, "metric_key": "no_such_metric", "weight": Decimal(1)},
    {"name": "诉求解决率", "group": G.CASES, "metric_key": "resolution", "weight": Decimal(1)},
    {"name": "环境卫生满意度", "group": G.RESIDENTS, "question": "您对村里的环境卫生满意吗？"},
    {"name": "服务态度满意度", "group": G.RESIDENTS, "question": "您对服务站的服务态度满意吗？"},
]


def adopted_standard(staff, village, *, subject=SUBJECT, criteria=CRITERIA, motion=None, title="服务站考核标准"):
    standard = svc.standard_draft(actor=staff, community=village, subject=subject, title=title,
                                  criteria=criteria, now=NOW - dt.timedelta(days=30))
    svc.standard_adopt(actor=staff, standard=standard, motion=motion or village_motion(staff, village,
                                                                                        title=f"通过{title}"))
    standard.refresh_from_db()
    return standard
