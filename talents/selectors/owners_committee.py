"""Reads of the owners' hub's committee area (issue 15): the terms with their members, recalls and filings, the
committee's decisions with their publication clock (沪物业规定 art. 26), and the hub card.

The publication clock: a decision is published "within 3 days" of being made. Days are calendar days and the
day of the decision is not counted (《民法典》第二百零一条), so a decision of 30 January is due by 2 February;
published on 3 February it is late by one day. No extension for holidays is made (the stricter reading)."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from communities import policy
from communities.models import Backbone

from ..models import CommitteeDecision, CommitteeFiling, CommitteeRecall, CommitteeTerm

PUBLICATION_DAYS = 3
OFFICE_ORDER = {Backbone.Office.DIRECTOR: 0, Backbone.Office.DEPUTY_DIRECTOR: 1, Backbone.Office.COMMITTEE_MEMBER: 2}


@dataclass(frozen=True)
class Publication:
    state: str  # "on_time", "late" (published after the deadline), "pending" (not yet, still in time), "overdue"
    deadline: dt.date
    days: int = 0  # days late (late, overdue) or days left (pending)

    @property
    def warn(self) -> bool:
        return self.state in ("late", "overdue")


def publication_deadline(decided_on: dt.date) -> dt.date:
    return decided_on + dt.timedelta(days=PUBLICATION_DAYS)


def publication_of(decision: CommitteeDecision, *, today: dt.date) -> Publication:
    deadline = publication_deadline(decision.decided_on)
    if decision.published_at is not None:
        late = (timezone.localdate(decision.published_at) - deadline).days
        return Publication("late", deadline, late) if late > 0 else Publication("on_time", deadline)
    if today > deadline:
        return Publication("overdue", deadline, (today - deadline).days)
    return Publication("pending", deadline, (deadline - today).days)


def _members_prefetch():
    return Prefetch("team__backbones", to_attr="offices",
                    queryset=Backbone.objects.select_related("user__person").order_by("term_start", "id"))


def _order_offices(term: CommitteeTerm) -> None:
    term.offices = sorted(term.team.offices, key=lambda b: (OFFICE_ORDER.get(b.office, 9), b.pk))
    term.director = next((b for b in term.offices if b.office == Backbone.Office.DIRECTOR), None)


def terms_of(*, community) -> list[CommitteeTerm]:
    """All terms of ``community``, newest first, each with ``offices`` (director first), ``director``,
    ``filing_rows`` and its recall (4 queries however many terms)."""
    terms = list(CommitteeTerm.objects.filter(community=community)
                 .select_related("team", "recall__assembly__election", "elected_by__election")
                 .prefetch_related(_members_prefetch(),
                                   Prefetch("filings", to_attr="filing_rows",
                                            queryset=CommitteeFiling.objects.order_by("kind", "id")))
                 .order_by("-number"))
    for term in terms:
        _order_offices(term)
        term.recall_row = recall_of(term)
    return terms


def recall_of(term: CommitteeTerm) -> CommitteeRecall | None:
    try:
        return term.recall
    except CommitteeRecall.DoesNotExist:
        return None


def serving_term(*, community) -> CommitteeTerm | None:
    return CommitteeTerm.objects.filter(community=community, ended_on__isnull=True).order_by("-number").first()


def decisions_of(*, user, community, term: CommitteeTerm | None = None, today: dt.date) -> list[CommitteeDecision]:
    """The decisions ``user`` may read, newest first, each with ``publication``: published ones for everyone of
    the estate; those not yet published too for the serving term's members and committee staff."""
    rows = CommitteeDecision.objects.filter(community=community).select_related("term")
    if term is not None:
        rows = rows.filter(term=term)
    if not policy.can(user, "talents.committee.decide", community):
        rows = rows.filter(published_at__isnull=False)
    rows = list(rows.order_by("-decided_on", "-id"))
    for row in rows:
        row.publication = publication_of(row, today=today)
    return rows


def timeline_of(terms: list[CommitteeTerm]) -> list[dict]:
    """The committee's history as dated steps, oldest first: each term's start, filings, recall or end."""
    steps = []
    for term in terms:
        steps.append({"on": term.started_on, "kind": "start", "term": term})
        steps += [{"on": f.issued_on, "kind": "filing", "term": term, "filing": f} for f in term.filing_rows]
        recall = term.recall_row
        if recall is not None:
            steps.append({"on": recall.decided_on, "kind": "recall", "term": term, "recall": recall})
        elif term.ended_on:
            steps.append({"on": term.ended_on, "kind": "end", "term": term})
    return sorted(steps, key=lambda s: (s["on"], s["term"].number))


def committee_page(*, user, community, today: dt.date) -> dict:
    terms = terms_of(community=community)
    serving = next((t for t in terms if t.ended_on is None), None)
    decisions = decisions_of(user=user, community=community, term=serving, today=today) if serving else []
    return {"terms": terms, "serving": serving, "timeline": timeline_of(terms),
            "recalls": [t.recall_row for t in reversed(terms) if t.recall_row is not None],
            "published": [d for d in decisions if d.published_at is not None],
            "unpublished": [d for d in decisions if d.published_at is None],
            "can_manage": policy.can(user, "talents.committee.manage", community),
            "can_decide": policy.can(user, "talents.committee.decide", community)}


def term_page(*, user, community, term: CommitteeTerm, today: dt.date) -> dict:
    term = next(t for t in terms_of(community=community) if t.pk == term.pk)
    return {"term": term, "recall": term.recall_row,
            "decisions": decisions_of(user=user, community=community, term=term, today=today),
            "can_manage": policy.can(user, "talents.committee.manage", community)}


def hub_card(*, request, community) -> dict:
    """The committee card of the owners' hub (``talents.hub.OWNERS_AREAS``): the serving term, its director,
    the decisions published this year, the latest one, and a warning for any decision past its 3 days
    (4 queries); empty hides it."""
    user = request.user
    if not policy.can(user, "talents.owners.view", community):
        return {}
    today = timezone.localdate()
    serving = (CommitteeTerm.objects.filter(community=community, ended_on__isnull=True)
               .prefetch_related(_members_prefetch()).order_by("-number").first())
    if serving is None:
        return {"serving": None, "terms": CommitteeTerm.objects.filter(community=community).count()}
    _order_offices(serving)
    decisions = decisions_of(user=user, community=community, term=serving, today=today)
    published = [d for d in decisions if d.published_at is not None]
    return {"serving": serving, "director": serving.director,
            "published_this_year": sum(1 for d in published if timezone.localdate(d.published_at).year == today.year),
            "latest": published[0] if published else None,
            "warnings": [d for d in decisions if d.publication.state == "overdue"]}
