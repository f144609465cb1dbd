"""Reads of the owners' hub's election area (issue 15): the statutory timeline with its deadlines, the group, the
candidates and the tally's checks in plain words, the hub card.

How the deadlines are counted (《上海市住宅物业管理规定》, RULES.md "Owners' committee in Shanghai"):

- 筹备组成立: the town forms the group within 60 days of the trigger: deadline = trigger date + 60 days.
- 旧业委会移交: within 10 days of the group forming (art. 29): deadline = formation date + 10 days.
- 公示业主名册 / 公示候选人名单 / 书面承诺: "at least 15 days before the assembly", read as the publication date + 15
  ≤ the assembly date (the publication day counts as day 0, the assembly day may be the 15th): deadline =
  assembly date − 15 days. The pledges must be in before the list is published: the same deadline.
- 召开业主大会: the planned assembly date (or the vote's closing day when the vote exists).
- 公布选举结果: within 3 days of the vote closing: deadline = closing date + 3 days.
- 备案: within 30 days of the committee being elected (a reading of art. 23's filing with the town; check the
  current text): deadline = result publication date (else the vote's closing date) + 30 days.

A step is late when today is past its deadline and it is not done; a step done after its deadline is shown as
done late.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from communities import policy

from ..models import CandidateCheck, CommitteeElection, ElectionStep, PreparatoryMember

K = ElectionStep.Kind
LAW = "《上海市住宅物业管理规定》"
DAYS = dt.timedelta(days=1)
GROUP_DAYS, HANDOVER_DAYS, NOTICE_DAYS, RESULT_DAYS, FILING_DAYS = 60, 10, 15, 3, 30

RULE_TEXT = {
    K.GROUP: _l("街道办事处、乡镇人民政府应在 60 日内组建业主大会筹备组（%(law)s）。"),
    K.HANDOVER: _l("筹备组成立后 10 日内，原业主委员会应移交资料和印章（%(law)s第二十九条）。"),
    K.ROSTER: _l("业主名册应在业主大会会议召开 15 日前公示（%(law)s）。"),
    K.CANDIDATES: _l("候选人名单应在业主大会会议召开 15 日前公示（%(law)s）。"),
    K.PLEDGES: _l("候选人应书面承诺履职，拖欠物业费、专项维修资金或有违法行为未改正的不得成为候选人（%(law)s）。"),
    K.ASSEMBLY: _l("选举业主委员会须经参与表决的专有部分面积过半数且人数过半数同意，参与表决须达面积和人数各三分之二"
                  "（《民法典》第二百七十八条）。"),
    K.RESULT: _l("选举结果应在 3 日内公布（%(law)s）。"),
    K.FILING: _l("业主委员会应自选举产生之日起 30 日内向街道办事处、乡镇人民政府备案（%(law)s第二十三条，以现行文本为准）。"),
}


def local_today(now=None) -> dt.date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def vote_closed_on(election: CommitteeElection) -> dt.date | None:
    vote = election.assembly.election if election.assembly_id else None
    if vote is not None and vote.closes_at is not None:
        return timezone.localtime(vote.closes_at).date()
    return None


def step_deadline(election: CommitteeElection, kind: str) -> dt.date | None:
    """The last day ``kind`` may be done on, or None while the date it runs from is unknown."""
    closed = vote_closed_on(election)
    if kind == K.GROUP:
        return election.triggered_on + GROUP_DAYS * DAYS
    if kind == K.HANDOVER:
        return election.group_formed_on + HANDOVER_DAYS * DAYS if election.group_formed_on else None
    if kind in (K.ROSTER, K.CANDIDATES, K.PLEDGES):
        return election.assembly_on - NOTICE_DAYS * DAYS if election.assembly_on else None
    if kind == K.ASSEMBLY:
        return closed or election.assembly_on
    if kind == K.RESULT:
        return closed + RESULT_DAYS * DAYS if closed else None
    if kind == K.FILING:
        start = election.result_published_on or closed
        return start + FILING_DAYS * DAYS if start else None
    return None


def _linked_dates(election: CommitteeElection) -> dict:
    """Dates the other areas record: the register's latest roster publication (the statutory notice of the owner
    list), the committee's town filing (备案证明) of the term this election produced."""
    from ..models import CommitteeFiling
    from .owners_register import latest_roster

    out = {}
    roster = latest_roster(community=election.community)
    if roster is not None and roster.published_at:
        published = timezone.localtime(roster.published_at).date()
        if election.assembly_on is None or published <= election.assembly_on:
            out[K.ROSTER] = published
    if election.term_id:
        filing = (CommitteeFiling.objects.filter(term_id=election.term_id, kind=CommitteeFiling.Kind.FILING)
                  .order_by("issued_on").first())
        if filing is not None:
            out[K.FILING] = filing.issued_on
    return out


@dataclass
class TimelineRow:
    kind: str
    label: str
    rule: str
    deadline: dt.date | None
    done_on: dt.date | None
    document: object
    note: str
    late: bool
    done_late: bool
    days_late: int
    linked: bool  # the date comes from another area's record


def timeline(*, election: CommitteeElection, today: dt.date, steps: list[ElectionStep] | None = None) -> list:
    """The statutory steps in order, each with its deadline, done date and whether it is late."""
    rows = {s.kind: s for s in (steps if steps is not None else election.steps.all())}
    linked = _linked_dates(election)
    out = []
    for kind, label in K.choices:
        step = rows.get(kind)
        done = (step.done_on if step else None) or linked.get(kind)
        deadline = step_deadline(election, kind)
        late = done is None and deadline is not None and today > deadline
        done_late = done is not None and deadline is not None and done > deadline
        end = done if done is not None else today
        out.append(TimelineRow(
            kind=kind, label=str(label), rule=RULE_TEXT[kind] % {"law": LAW}, deadline=deadline, done_on=done,
            document=step.document if step and step.document else None, note=step.note if step else "",
            late=late, done_late=done_late,
            days_late=(end - deadline).days if deadline and (late or done_late) else 0,
            linked=kind in linked and not (step and step.done_on)))
    return out


def next_step(rows: list) -> TimelineRow | None:
    return next((row for row in rows if row.done_on is None), None)


def mask(name: str) -> str:
    """A name on a public page: the first character and a star (张*)."""
    return f"{name[:1]}*" if name else ""


def election_for_page():
    return (CommitteeElection.objects.select_related("community", "assembly__election", "term")
            .prefetch_related("steps"))


def elections_of(*, user, community):
    return policy.scope(user, "talents.election.view",
                        CommitteeElection.objects.filter(community=community)).order_by("-term_number")


def group_of(*, election: CommitteeElection) -> list[PreparatoryMember]:
    return list(election.group.select_related("user"))


def candidate_checks(*, election: CommitteeElection) -> list[CandidateCheck]:
    return list(election.candidate_checks.select_related("user__person", "candidate", "checked_by"))


def _plain_number(value: str) -> str:
    """A headcount as it is (763), an area to the cent (99885.70): the stored tally keeps SQLite's 15-digit sums
    (99885.7000000000)."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return str(value) if "." not in str(value) else str(number.quantize(Decimal("0.01")))


def plain_checks(tally: dict) -> list[dict]:
    """The core tally's participation checks, one line each in plain Chinese."""
    return [{"label": c["label"], "text": _("%(part)s / %(whole)s，需要%(more)s %(need)s") % {
        "part": _plain_number(c["part"]), "whole": _plain_number(c["whole"]), "need": c["need"],
        "more": _("超过") if c.get("strict") else _("达到")}, "met": c["met"]} for c in tally.get("quorum", [])]


def elected_rows(tally: dict) -> list[dict]:
    """The candidates of the first post (委员) the core's ranking elected."""
    posts = tally.get("posts") or []
    return [row for row in posts[0]["candidates"] if row["elected"]] if posts else []


def hub_card(*, request, community) -> dict:
    """The election card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Two queries: the
    latest election with its vote, and its steps."""
    if not policy.can(request.user, "talents.election.view", community):
        return {}
    election = (CommitteeElection.objects.filter(community=community).select_related("assembly__election")
                .prefetch_related("steps").order_by("-term_number").first())
    if election is None:
        return {}
    rows = timeline(election=election, today=local_today(), steps=list(election.steps.all()))
    return {"election": election, "next": next_step(rows), "late": [r for r in rows if r.late],
            "done": sum(1 for r in rows if r.done_on), "total": len(rows),
            "can_manage": policy.can(request.user, "talents.election.manage", community)}


def estate_owner_users(*, community):
    """The users who own a unit of ``community`` now (the candidates the law allows)."""
    from communities.models import Residency, User

    return (User.objects.filter(person__residencies__relation=Residency.Relation.OWNER,
                                person__residencies__moved_out__isnull=True,
                                person__residencies__unit__building__community=community)
            .select_related("person").distinct().order_by("person__name", "pk"))


def election_page(*, election: CommitteeElection, today: dt.date) -> dict:
    """Everything the public page shows, in a fixed number of queries."""
    vote = election.assembly.election if election.assembly_id else None
    tally = vote.tally if vote is not None and vote.status == vote.Status.PUBLISHED else {}
    checks = candidate_checks(election=election)
    rows = timeline(election=election, today=today, steps=list(election.steps.all()))
    return {"election": election, "timeline": rows, "next": next_step(rows), "vote": vote,
            "group": group_of(election=election), "checks": checks,
            "listed": [c for c in checks if c.candidate_id and c.result == CandidateCheck.Result.PASSED],
            "tally": tally, "quorum": plain_checks(tally),
            "elected": [{**row, "masked": mask(row["name"])} for row in elected_rows(tally)],
            "refused": [c for c in checks if c.result == CandidateCheck.Result.FAILED]}
