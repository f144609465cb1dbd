"""Reads of the owners' hub's assembly area (issue 15): the list, an assembly's page (which threshold applies to
each motion and why, participation first, then approval by both tallies, from the core's frozen tally, never
recounted), the adjusted tally when the estate's rules deem non-voters to agree with the majority, the
extraordinary-assembly requests' progress, and the hub card. Every page here runs a fixed number of queries,
whatever the size of the roll (the core tally aggregates in the database)."""
import math
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import decisions, policy
from communities.electorates import owners_roll
from communities.models import Ballot, Election, ElectionVoter, Motion, MotionVote, Unit
from communities.sums import DecimalSum

from communities.models import mask_name  # noqa: F401 - the core's, used here and by callers
from ..models import (AssemblyCallDue, AssemblyRequest, Art278Item, BallotDelivery, EstateVotingRules, OwnersAssembly,
                      Scope)
from ..models.owners_assembly import SPECIAL_ITEMS
from ..policies.owners import is_owner

S = Election.Status
ZERO = Decimal(0)
CENT = Decimal("0.01")
COURT_CASE = gettext_lazy("上海市第二中级人民法院（2022）沪02民初16号民事判决（一种解读）")

# What each item of art. 278 para. 1 is, in the words a notice uses.
ITEM_SHORT = {
    1: gettext_lazy("制定和修改业主大会议事规则"), 2: gettext_lazy("制定和修改管理规约"),
    3: gettext_lazy("选举业主委员会或者更换业主委员会成员"), 4: gettext_lazy("选聘和解聘物业服务企业或者其他管理人"),
    5: gettext_lazy("使用维修资金"), 6: gettext_lazy("筹集维修资金"), 7: gettext_lazy("改建、重建建筑物及其附属设施"),
    8: gettext_lazy("改变共有部分的用途或者利用共有部分从事经营活动"), 9: gettext_lazy("有关共有和共同管理权利的其他重大事项"),
}
ITEM_NUMERAL = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


def threshold_reason(*, item: int | None, matter: str) -> str:
    """Which threshold applies to a motion and why, in plain Chinese."""
    special = item in SPECIAL_ITEMS if item else matter == Motion.Matter.SPECIAL
    need = (_("应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意") if special
            else _("应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意"))
    if item:
        return _("本议题属于《民法典》第二百七十八条第一款第（%(num)s）项%(what)s，%(need)s。") % {
            "num": ITEM_NUMERAL[item], "what": ITEM_SHORT[item], "need": need}
    if special:
        return _("本议题为重大事项（筹集维修资金、改建重建、改变共有部分用途），依《民法典》第二百七十八条第二款，%(need)s。") % {
            "need": need}
    return _("本议题为一般事项，依《民法典》第二百七十八条第二款，%(need)s。") % {"need": need}


def participation_rule() -> str:
    return _("表决有效的前提（《民法典》第二百七十八条第二款）：参与表决的业主专有部分面积占比三分之二以上，"
             "且参与表决人数占比三分之二以上。两项都达到，才看同意票。")


# --- lists --------------------------------------------------------------------------------------------

def assemblies_for(*, user, community):
    """The estate's owners' votes the user may see: open first, then published (newest first), then the rest."""
    order = Case(When(election__status=S.OPEN, then=Value(0)), When(election__status=S.PUBLISHED, then=Value(1)),
                 When(election__status=S.CLOSED, then=Value(2)), default=Value(3), output_field=IntegerField())
    qs = policy.scope(user, "talents.assembly.view", OwnersAssembly.objects.filter(community=community))
    return (qs.select_related("election", "building").annotate(rank=order)
            .order_by("rank", "-election__published_at", "-created_at", "-id"))


def assembly_for_page():
    motions = Motion.objects.select_related("basis").order_by("order", "id")
    return (OwnersAssembly.objects.select_related("election", "building", "community")
            .prefetch_related(Prefetch("election__motions", queryset=motions)))


def passed_motions(assembly) -> list[dict]:
    """The published motions of a list row, from the frozen tally (no query)."""
    election = assembly.election
    if election.status != S.PUBLISHED:
        return []
    return [{"title": m["title"], "passed": m["passed"]} for m in election.tally.get("motions", [])]


# --- one assembly ----------------------------------------------------------------------------------------

def live_turnout(*, election) -> dict:
    """While the vote runs: heads and area so far against the roll (never who, never how). Two queries."""
    roll = ElectionVoter.objects.filter(election=election, counted=True).aggregate(n=Count("id"), w=DecimalSum("weight"))
    cast = Ballot.objects.filter(election=election).aggregate(n=Count("id"), w=DecimalSum("weight"))
    return {"eligible": roll["n"], "eligible_area": (roll["w"] or ZERO).quantize(CENT),
            "voted": cast["n"], "voted_area": (cast["w"] or ZERO).quantize(CENT)}


def _shortfall(part, whole, need: Fraction, *, heads: bool):
    """How much more ``part`` needs to reach ``need`` of ``whole`` (0 when it does)."""
    target = Fraction(Decimal(whole)) * need
    missing = target - Fraction(Decimal(part))
    if missing <= 0:
        return 0 if heads else ZERO
    if heads:
        return math.ceil(missing)
    return (Decimal(missing.numerator) / Decimal(missing.denominator)).quantize(CENT, rounding=ROUND_CEILING)


def participation(*, voted, eligible, voted_area, eligible_area) -> dict:
    """Art. 278 para. 2, first: both two-thirds tests, each with what it lacks."""
    checks = decisions.owners_participation(voted=voted, eligible=eligible, voted_area=Decimal(voted_area),
                                            eligible_area=Decimal(eligible_area))
    heads, area = checks
    lines = [
        {"label": heads.label, "met": heads.met, "part": voted, "whole": eligible,
         "short": _shortfall(voted, eligible, decisions.TWO_THIRDS, heads=True), "unit": _("人")},
        {"label": area.label, "met": area.met, "part": Decimal(voted_area).quantize(CENT),
         "whole": Decimal(eligible_area).quantize(CENT),
         "short": _shortfall(voted_area, eligible_area, decisions.TWO_THIRDS, heads=False), "unit": "m²"},
    ]
    failed = [line for line in lines if not line["met"]]
    if not failed:
        verdict = _("参与表决的人数和专有面积均达到三分之二，表决有效。")
    else:
        verdict = _("%(which)s，表决无效：无论同意票多少，本次各议题均未作出决定。") % {"which": "；".join(
            _("%(label)s未达到（%(part)s / %(whole)s %(unit)s，还差 %(short)s %(unit)s）") % line for line in failed)}
    return {"lines": lines, "met": not failed, "verdict": verdict}


def _approval_lines(*, special: bool, yes: int, voted: int, yes_area, voted_area) -> tuple[list[dict], bool]:
    checks = decisions.owners_approval(special=special, yes=yes, voted=voted, yes_area=Decimal(yes_area),
                                       voted_area=Decimal(voted_area))
    return [c.as_dict() for c in checks], all(c.met for c in checks)


def _majority(counts: dict) -> str | None:
    """The side the majority of those who voted took, by both heads and area; None when they disagree or tie."""
    yes, no = counts["for"], counts["against"]
    if yes["n"] > no["n"] and Decimal(yes["area"]) > Decimal(no["area"]):
        return "for"
    if no["n"] > yes["n"] and Decimal(no["area"]) > Decimal(yes["area"]):
        return "against"
    return None


def delivered_non_voters(*, assembly) -> dict:
    """Owner groups that did not vote and whose ballot's delivery is proven (one query)."""
    rows = ElectionVoter.objects.filter(election_id=assembly.election_id, counted=True, has_voted=False,
                                        pk__in=BallotDelivery.objects.filter(assembly=assembly).values("voter_id"))
    agg = rows.aggregate(n=Count("id"), w=DecimalSum("weight"))
    return {"n": agg["n"], "area": agg["w"] or ZERO}


def deemed_result(*, assembly, tally: dict) -> dict | None:
    """The tally "按议事规则视为同意多数后": each delivered non-voter is added to the side of the majority of those
    who voted, on top of the core's result (which stays as cast). None when the assembly's copied rule is off."""
    if not assembly.deemed_consent:
        return None
    extra = delivered_non_voters(assembly=assembly)
    motions = []
    for m in tally.get("motions", []):
        side = _majority(m["counts"])
        if side is None:
            motions.append({"id": m["id"], "title": m["title"], "majority": None, "passed": m["passed"]})
            continue
        voted = tally["voted"] + extra["n"]
        voted_area = Decimal(tally["voted_weight"]) + extra["area"]
        part = participation(voted=voted, eligible=tally["eligible"], voted_area=voted_area,
                             eligible_area=tally["eligible_weight"])
        yes = m["counts"]["for"]["n"] + (extra["n"] if side == "for" else 0)
        yes_area = Decimal(m["counts"]["for"]["area"]) + (extra["area"] if side == "for" else ZERO)
        lines, approved = _approval_lines(special=m["matter"] == Motion.Matter.SPECIAL, yes=yes,
                                          voted=m["participants"] + extra["n"], yes_area=yes_area,
                                          voted_area=Decimal(m["participants_area"]) + extra["area"])
        motions.append({"id": m["id"], "title": m["title"], "majority": side, "participation": part,
                        "yes": yes, "yes_area": yes_area.quantize(CENT), "voted": m["participants"] + extra["n"],
                        "voted_area": (Decimal(m["participants_area"]) + extra["area"]).quantize(CENT),
                        "approval": lines, "passed": part["met"] and approved})
    return {"extra": extra, "motions": motions, "clause": assembly.deemed_consent_clause, "case": COURT_CASE}


def motion_decided(*, motion) -> bool | None:
    """Whether the owners decided ``motion``: None before its vote is published; then the core's answer under the
    owners' rule (``communities.selectors.elections.motion_adopted``), or, when the assembly counted non-voters with
    the majority by the estate's rules of procedure, the answer after that count. The one question the other
    areas ask (a repair's vote, a recall)."""
    from communities.selectors.elections import motion_adopted

    election = motion.election
    if election.status != S.PUBLISHED:
        return None
    assembly = OwnersAssembly.objects.filter(election_id=election.pk).first()
    deemed = deemed_result(assembly=assembly, tally=election.tally) if assembly is not None else None
    if deemed is not None:
        for row in deemed["motions"]:
            if row["id"] == motion.pk:
                return bool(row["passed"])
    return motion_adopted(motion=motion, rules=(Election.Rule.OWNERS,))


def motion_rows(*, assembly) -> list[dict]:
    """Each motion with its item and the reason for its threshold, and its published result."""
    election = assembly.election
    results = {m["id"]: m for m in election.tally.get("motions", [])} if election.status == S.PUBLISHED else {}
    rows = []
    for motion in election.motions.all():
        basis = getattr(motion, "basis", None)
        item = basis.item if basis else None
        result = results.get(motion.pk)
        rows.append({"motion": motion, "item": item,
                     "item_label": Art278Item(item).label if item else motion.get_matter_display(),
                     "reason": threshold_reason(item=item, matter=motion.matter), "result": result})
    return rows


def ballot_status(*, assembly, user) -> dict:
    """Whether the user votes here, and if not, the sentence saying why (one query)."""
    election = assembly.election
    row = ElectionVoter.objects.filter(election=election, user=user).first() if election.status != S.DRAFT else None
    scope = assembly.scope_label
    if row is not None:
        return {"on_roll": True, "has_voted": row.has_voted, "may_vote": election.status == S.OPEN and not row.has_voted,
                "why": ""}
    if not is_owner(user, assembly):
        why = _("业主共同决定只由业主表决，租客和家庭成员不参加表决。")
    elif election.status == S.DRAFT:
        why = _("投票开始时按表决范围生成业主名单。")
    elif assembly.scope == Scope.ESTATE:
        why = _("您不在本次表决的业主名单中。")
    else:
        why = _("本次表决仅由%(scope)s业主参加，您不在本次表决的业主名单中。") % {"scope": scope}
    return {"on_roll": False, "has_voted": False, "may_vote": False, "why": why}


def assembly_page(*, assembly, user) -> dict:
    election = assembly.election
    published = election.status == S.PUBLISHED
    tally = election.tally if published else None
    context = {"assembly": assembly, "election": election, "motions": motion_rows(assembly=assembly),
               "ballot": ballot_status(assembly=assembly, user=user), "participation_rule": participation_rule(),
               "tally": tally, "turnout": None, "participation": None, "deemed": None,
               "can_manage": policy.can(user, "talents.assembly.manage", assembly),
               "choices": MotionVote.Choice.choices}
    if election.status in (S.OPEN, S.CLOSED):
        context["turnout"] = live_turnout(election=election)
    if published:
        context["participation"] = participation(voted=tally["voted"], eligible=tally["eligible"],
                                                 voted_area=tally["voted_weight"],
                                                 eligible_area=tally["eligible_weight"])
        context["deemed"] = deemed_result(assembly=assembly, tally=tally)
    return context


def delivery_candidates(*, assembly):
    """The roll's counted rows that have not voted, with their delivery if recorded (staff page)."""
    deliveries = {d.voter_id: d for d in BallotDelivery.objects.filter(assembly=assembly).select_related("recorded_by")}
    rows = list(ElectionVoter.objects.filter(election_id=assembly.election_id, counted=True)
                .select_related("user", "person").order_by("id"))
    for row in rows:
        row.delivery = deliveries.get(row.pk)
    return rows


# --- requests for an extraordinary assembly ----------------------------------------------------------

def estate_heads(community) -> int:
    """The estate's owners' roll headcount, by the core's counting rules, without saving a roll (two queries)."""
    roll = owners_roll(Election(community=community), Unit.objects.filter(building__community=community))
    return sum(1 for row in roll if row.counted)


REQUEST_SHARE_NUM, REQUEST_SHARE_DEN = 1, 5  # 20 % of the owners (沪物业规定)


def request_threshold(heads: int) -> int:
    """The fewest owners that make 20 % of ``heads`` (exactly 20 % reaches)."""
    return -(-heads * REQUEST_SHARE_NUM // REQUEST_SHARE_DEN)


def request_progress(*, community, user=None) -> dict:
    heads = estate_heads(community)
    count = AssemblyRequest.objects.filter(community=community, answered_by=None).count()
    due = AssemblyCallDue.objects.filter(community=community, answered_by=None).first()
    needed = request_threshold(heads)
    return {"count": count, "heads": heads, "needed": needed, "reached": due is not None, "due": due,
            "percent": round(100 * count / heads, 1) if heads else 0}


def open_requests(*, community) -> list[AssemblyRequest]:
    return list(AssemblyRequest.objects.filter(community=community, answered_by=None)
                .select_related("requester__person").order_by("created_at", "id"))


def voting_rules(*, community) -> EstateVotingRules:
    return EstateVotingRules.objects.filter(community=community).select_related("switched_by").first() \
        or EstateVotingRules(community=community)


# --- the owners' hub card -----------------------------------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The assembly card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Five queries."""
    user = request.user
    if not policy.can(user, "talents.assembly.view", community):
        return {}
    base = OwnersAssembly.objects.filter(community=community).select_related("election", "building")
    open_votes = list(base.filter(election__status=S.OPEN).order_by("election__closes_at", "id"))
    mine = dict(ElectionVoter.objects.filter(election__in=[a.election_id for a in open_votes], user=user)
                .values_list("election_id", "has_voted")) if open_votes else {}
    for a in open_votes:
        a.on_roll = a.election_id in mine
        a.has_voted = mine.get(a.election_id, False)
    latest = base.filter(election__status=S.PUBLISHED).order_by("-election__published_at", "-id").first()
    return {"open": open_votes, "latest": latest, "latest_motions": passed_motions(latest) if latest else [],
            "progress": request_progress(community=community), "is_owner": is_owner(user, community),
            "community": community}
