"""Demo: 光明村's station evaluation. The standard v1, adopted by a villagers' meeting (an ``Election`` with the
villagers' rule, published, its motion passed: the tally is written as the meeting recorded it on paper, since
the demo's households have no accounts to vote with); the two months before this one closed, about 60
households each (mostly paper forms typed in by station staff, the ``villager`` login's household in the
app), one criterion low in the last month with its improvement action; and a few answers this month (live).
Idempotent: a second run finds the standard and the months and adds nothing."""
import datetime as dt

from django.utils import timezone

from communities.models import (
    Community, Election, Evaluation, EvaluationCriterion, EvaluationStandard, ImprovementAction, Motion, Residency,
    User,
)
from communities.selectors import evaluations as core_sel
from communities.services import evaluations as core

from ..selectors.evaluation import SUBJECT

G = EvaluationCriterion.Group
TITLE = "光明村物业管理服务站考核办法"
MEETING = "光明村村民会议：服务站考核办法"
CRITERIA = [
    {"name": "巡逻完成率", "group": G.OBJECTIVE, "metric_key": "patrols_completed"},
    {"name": "垃圾清运及时率", "group": G.OBJECTIVE, "metric_key": "garbage_on_time"},
    {"name": "突发事件响应", "group": G.OBJECTIVE, "metric_key": "incident_response"},
    {"name": "热线接听率", "group": G.OBJECTIVE, "metric_key": "hotline_answered"},
    {"name": "无飞线充电", "group": G.OBJECTIVE, "metric_key": "no_flying_wires"},
    {"name": "车棚安全", "group": G.OBJECTIVE, "metric_key": "sheds_safe"},
    {"name": "诉求响应率", "group": G.CASES, "metric_key": "response"},
    {"name": "诉求解决率", "group": G.CASES, "metric_key": "resolution"},
    {"name": "诉求满意率", "group": G.CASES, "metric_key": "satisfaction"},
    {"name": "环境卫生", "group": G.RESIDENTS, "question": "您对村里的环境卫生（垃圾分类、河道、道路保洁）满意吗？"},
    {"name": "治安秩序", "group": G.RESIDENTS, "question": "您对村里的治安和巡逻满意吗？"},
    {"name": "服务态度", "group": G.RESIDENTS, "question": "您对服务站工作人员的服务态度满意吗？"},
]
LABELS = ["满意", "满意", "基本满意", "满意", "基本满意", "一般", "满意", "基本满意", "满意", "不满意"]
LOW = ["不满意", "一般", "不满意", "基本满意", "一般", "不满意", "一般", "不满意", "满意", "不满意"]  # mean 0.36


def _adopting_motion(community, staff, now) -> Motion:
    published = now - dt.timedelta(days=100)
    election, _ = Election.objects.get_or_create(community=community, title=MEETING, defaults={
        "description": "表决《光明村物业管理服务站考核办法》（第 1 版）：客观指标 50%、诉求办理 25%、村民评价 25%。",
        "status": Election.Status.PUBLISHED, "rule": Election.Rule.VILLAGERS, "electorate": "village_households",
        "notice_days": 10, "notice_published_at": published - dt.timedelta(days=14),
        "opens_at": published - dt.timedelta(days=3), "closes_at": published - dt.timedelta(days=1),
        "published_at": published, "created_by": staff})
    motion, _ = Motion.objects.get_or_create(election=election, title="通过《光明村物业管理服务站考核办法》（第 1 版）")
    if not election.tally.get("motions"):
        election.tally = {
            "law": "《村民委员会组织法》及上海市实施办法", "posts": [], "receipts": [], "paper_unconfirmed": 0,
            "eligible": 300, "voted": 231, "eligible_weight": "0.00", "voted_weight": "0.00",
            "rule": "villagers", "counting": "headcount", "households": 300, "households_present": 231,
            "quorum_met": True, "quorum": [{"label": "到会户数达到本村户数的三分之二以上", "part": "231",
                                            "whole": "300", "need": "2/3", "met": True, "strict": False}],
            "motions": [{"id": motion.pk, "title": motion.title, "matter": "ordinary", "passed": True,
                         "approved": True, "participants": 231, "participants_area": "0.00",
                         "matter_label": "一般事项（过半数）",
                         "approval": [{"label": "同意人数超过到会人数的一半", "part": "204", "whole": "231",
                                       "need": "1/2", "met": True, "strict": True}],
                         "counts": {"for": {"n": 204, "area": "0"}, "against": {"n": 11, "area": "0"},
                                    "abstain": {"n": 16, "area": "0"}}}]}
        election.save(update_fields=["tally"])
    return motion


def _standard(community, staff, now) -> EvaluationStandard:
    standard = EvaluationStandard.objects.filter(community=community, subject=SUBJECT, version=1).first()
    if standard is None:
        standard = core.standard_draft(actor=staff, community=community, subject=SUBJECT, title=TITLE,
                                       criteria=CRITERIA, now=now - dt.timedelta(days=120))
    if standard.status == EvaluationStandard.Status.DRAFT:
        core.standard_adopt(actor=staff, standard=standard, motion=_adopting_motion(community, staff, now), now=now)
    return standard


def _households(community, limit):
    """(unit, first resident) of the village's occupied houses, in a fixed order."""
    seen, rows = set(), []
    for r in (Residency.objects.filter(unit__building__community=community, moved_out__isnull=True)
              .select_related("person__user", "unit__building").order_by("unit_id", "moved_in", "pk")):
        if r.unit_id not in seen:
            seen.add(r.unit_id)
            rows.append((r.unit, r.person))
        if len(rows) >= limit:
            break
    return rows


def _seed_month(community, standard, month, typists, villager, n, low_name, now, *, leave_villager=False) -> int:
    evaluation = core.evaluation_open(community=community, subject=SUBJECT, month=month, now=now)
    residents = [c for c in standard.criteria.all() if c.group == G.RESIDENTS]
    made = 0
    households = _households(community, n)
    for i, (unit, person) in enumerate(households):
        answers = {c.pk: (LOW if c.name == low_name else LABELS)[(i + c.order) % 10] for c in residents}
        in_app = villager is not None and person.user_id == villager.pk
        if in_app and leave_villager:
            continue  # this month is left for the villager login to try
        made += core.household_score(actor=villager if in_app else typists[i % len(typists)], evaluation=evaluation,
                                     unit=unit, person=person, answers=answers, paper=not in_app, now=now)
    return made


def demo_evaluation_seed() -> dict:
    community = Community.objects.filter(slug="guangming").first()
    staff = User.objects.filter(username="staff_guangming").first()
    if community is None or staff is None:
        return {}
    now = timezone.now()
    standard = _standard(community, staff, now)
    typists = list(User.objects.filter(username__in=["station2", "station3", "staff_guangming"]).order_by("username")) \
        or [staff]
    villager = User.objects.filter(username="villager").first()
    head = User.objects.filter(username="station").first()
    this = core_sel.month_of(timezone.localtime(now).date())
    last = core_sel.previous_month(this)
    before = core_sel.previous_month(last)
    made = {"scores": 0, "months_closed": 0}
    for month, n, low in ((before, 60, ""), (last, 62, "环境卫生"), (this, 18, "")):
        if Evaluation.objects.filter(community=community, subject=SUBJECT, month=month).exists():
            continue
        during = min(now, core_sel.month_bounds(month)[0] + dt.timedelta(days=20))
        made["scores"] += _seed_month(community, standard, month, typists, villager, n, low, during,
                                      leave_villager=month == this)
        if month != this:
            evaluation = Evaluation.objects.get(community=community, subject=SUBJECT, month=month)
            made["months_closed"] += core.evaluation_close(
                evaluation_id=evaluation.pk, now=core_sel.month_bounds(core_sel.next_month(month))[0]
                + dt.timedelta(days=1, hours=2))
    for action in ImprovementAction.objects.filter(community=community, owner__isnull=True, status="open"):
        if head is not None:
            core.action_assign(actor=staff, action=action, owner=head,
                               due_on=action.due_on)
    return made
