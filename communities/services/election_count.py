"""Counting an election: the candidates per post (with the election's tie rule), and each motion by
headcount and by exclusive floor area against the thresholds of its rule (``communities.decisions``).

Only ``Ballot`` rows count: an online ballot, or a paper ballot once a second staff member has confirmed it
(``services.paper_ballots``). A paper ballot waiting for confirmation has no ``Ballot`` yet and is only
reported as "not counted".

Headcount and area come from the roll (``ElectionVoter``): the ``counted`` row of a group (co-owners, one
owner's several units, a household) carries its one head and its summed area, so ``eligible`` is the
number of counted rows and each ballot is one head with its ``weight``.
"""
import datetime
import hashlib
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from .. import decisions
from ..sums import DecimalSum
from ..models import Ballot, BallotChoice, Election, ElectionVoter, MotionVote, PaperBallot

R = Election.Rule
ZERO = Decimal(0)


def _money(value) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def law_of(rule: str) -> str:
    """The source cited beside a threshold on the result page."""
    if rule == R.OWNERS:
        return _("《民法典》第二百七十八条")
    if rule in (R.VILLAGERS, R.REPRESENTATIVES):
        return _("《村民委员会组织法》及上海市实施办法")
    return ""


# --- candidates --------------------------------------------------------------------------------------

def lot_order(seed: str, candidate_ids) -> list[int]:
    """Drawing lots: the tied in the order of SHA-256(seed:id), so anyone with the recorded seed can redo it."""
    return sorted(candidate_ids, key=lambda cid: hashlib.sha256(f"{seed}:{cid}".encode()).hexdigest())


def _key(row, by_area):
    return (row["votes"], Decimal(row["weight"])) if by_area else (row["votes"],)


def _resolve_tie(tied: list[dict], free: int, election: Election, births: dict) -> tuple[list[int], dict]:
    """Which of the tied take the ``free`` seats left, by the rule stated on the election; ([], note) when
    the rule needs another vote (a run-off) or cannot decide (two tied of the same age)."""
    rule = election.tie_rule
    if rule == Election.TieRule.LOT:
        order = lot_order(election.tie_seed, [r["candidate_id"] for r in tied])
        return order[:free], {"rule": rule, "seed": election.tie_seed, "order": order}
    if rule == Election.TieRule.OLDER:
        born = {r["candidate_id"]: births.get(r["user_id"]) for r in tied}
        dated = sorted(born, key=lambda cid: born[cid] or datetime.date.max)
        # Decided only when every tied candidate's birth date is known and the cut falls between two ages.
        if None not in born.values() and born[dated[free - 1]] != born[dated[free]]:
            return dated[:free], {"rule": rule}
        return [], {"rule": Election.TieRule.RUNOFF, "fallback": rule}
    return [], {"rule": Election.TieRule.RUNOFF}


def rank(rows: list[dict], seats: int, by_area: bool, election: Election, births: dict | None = None) -> dict | None:
    """Top ``seats`` by votes (then area when counted) are elected; no one wins with 0 votes. A tie across
    the last seat is settled by the election's tie rule: lots drawn from the recorded seed, the older
    candidate, or a run-off among the tied (then they stay unelected here, marked ``tied``, and the result
    says a run-off follows). Returns the tie note, or None without a tie."""
    rows.sort(key=lambda row: (_key(row, by_area), -row["candidate_id"]), reverse=True)
    for row in rows:
        row["elected"] = row["tied"] = row["by_tie_rule"] = False
    note = None
    if len(rows) > seats and _key(rows[seats - 1], by_area) == _key(rows[seats], by_area) \
            and rows[seats]["votes"] > 0:
        boundary = _key(rows[seats], by_area)
        tied = [row for row in rows if _key(row, by_area) == boundary]
        above = [row for row in rows[:seats] if not _key(row, by_area) == boundary]
        free = seats - len(above)
        winners, note = _resolve_tie(tied, free, election, births or {})
        note.update({"seats": free, "candidates": [r["candidate_id"] for r in tied],
                     "names": [r["name"] for r in tied]})
        for row in tied:
            row["tied"] = True
            row["by_tie_rule"] = row["candidate_id"] in winners
        for row in above:
            row["elected"] = True
        for row in tied:
            row["elected"] = row["candidate_id"] in winners
        return note
    for row in rows[:seats]:
        row["elected"] = row["votes"] > 0
    return note


def _below_owners_majority(row: dict, turnout: dict) -> bool:
    """Electing the owners' committee is an ordinary matter (art. 278): more than half of the participants'
    heads and of their area must vote for the candidate."""
    checks = decisions.owners_approval(special=False, yes=row["votes"], voted=turnout["voted"],
                                       yes_area=Decimal(row["weight"]), voted_area=turnout["voted_area"])
    return not all(c.met for c in checks)


def _apply_rules(rows: list[dict], election: Election, turnout: dict, quorum_ok: bool) -> None:
    for row in rows:
        row["below_majority"] = False
        if not row["elected"]:
            continue
        if not quorum_ok:
            row["elected"] = False
        elif election.rule == R.OWNERS and _below_owners_majority(row, turnout):
            row["elected"], row["below_majority"] = False, True


def _posts(election: Election, turnout: dict, quorum_ok: bool) -> list[dict]:
    by_area = election.counts_area
    counts = {row["candidate_id"]: row for row in BallotChoice.objects.filter(ballot__election=election)
              .values("candidate_id").annotate(votes=Count("id"), weight=DecimalSum("ballot__weight"))}
    posts = []
    for post in election.posts.prefetch_related("candidates__user__person"):
        births = {c.user_id: getattr(getattr(c.user, "person", None), "birth_date", None)
                  for c in post.candidates.all()}
        rows = [{"candidate_id": c.pk, "user_id": c.user_id, "name": c.user.display_name(),
                 "votes": counts.get(c.pk, {}).get("votes", 0),
                 "weight": _money(counts.get(c.pk, {}).get("weight"))} for c in post.candidates.all()]
        tie = rank(rows, post.seats, by_area, election, births)
        _apply_rules(rows, election, turnout, quorum_ok)
        posts.append({"id": post.pk, "name": post.name, "seats": post.seats, "candidates": rows, "tie": tie})
    return posts


# --- motions -----------------------------------------------------------------------------------------

def _turnout(election: Election) -> dict:
    roll = ElectionVoter.objects.filter(election=election)
    eligible = roll.filter(counted=True).aggregate(n=Count("id"), w=DecimalSum("weight"))
    ballots = Ballot.objects.filter(election=election).aggregate(n=Count("id"), w=DecimalSum("weight"))
    households = set(roll.exclude(household="").values_list("household", flat=True))
    present = set(roll.exclude(household="").filter(has_voted=True).values_list("household", flat=True))
    return {"eligible": eligible["n"], "eligible_area": eligible["w"] or ZERO,
            "voted": ballots["n"], "voted_area": ballots["w"] or ZERO,
            "households": len(households), "households_present": len(present)}


def quorum_checks(election: Election, turnout: dict) -> list[decisions.Check]:
    """Whether the vote is valid at all: participation (owners), the quorum (villagers), none (simple)."""
    if election.rule == R.OWNERS:
        return decisions.owners_participation(voted=turnout["voted"], eligible=turnout["eligible"],
                                              voted_area=turnout["voted_area"], eligible_area=turnout["eligible_area"])
    if election.rule == R.VILLAGERS:
        checks = decisions.villagers_quorum(present=turnout["voted"], adults=turnout["eligible"],
                                            households_present=turnout["households_present"],
                                            households=turnout["households"])
        # A roll of households has one vote per household: only the households' test measures it.
        return checks[1:] if election.electorate == "village_households" else checks
    if election.rule == R.REPRESENTATIVES:
        return decisions.representatives_quorum(present=turnout["voted"], representatives=turnout["eligible"])
    return []


def _approval(election: Election, motion, yes: dict, voted: dict, present: int) -> list[decisions.Check]:
    if election.rule == R.OWNERS:
        return decisions.owners_approval(special=motion.matter == motion.Matter.SPECIAL, yes=yes["n"],
                                         voted=voted["n"], yes_area=yes["area"], voted_area=voted["area"])
    if election.rule in (R.VILLAGERS, R.REPRESENTATIVES):
        return decisions.majority_of_present(yes=yes["n"], present=present)
    return decisions.majority_of_present(yes=yes["n"], present=voted["n"])


def _motions(election: Election, turnout: dict, quorum_ok: bool) -> list[dict]:
    rows = {}
    for row in (MotionVote.objects.filter(motion__election=election).values("motion_id", "choice")
                .annotate(n=Count("id"), area=DecimalSum("ballot__weight"))):
        rows[(row["motion_id"], row["choice"])] = {"n": row["n"], "area": row["area"] or ZERO}
    out = []
    for motion in election.motions.all():
        counts = {c: rows.get((motion.pk, c), {"n": 0, "area": ZERO}) for c in MotionVote.Choice.values}
        voted = {"n": sum(v["n"] for v in counts.values()), "area": sum((v["area"] for v in counts.values()), ZERO)}
        approval = _approval(election, motion, counts[MotionVote.Choice.FOR], voted, turnout["voted"])
        approved = all(c.met for c in approval)
        out.append({
            "id": motion.pk, "title": motion.title, "matter": motion.matter,
            "matter_label": str(motion.get_matter_display()),
            "counts": {c: {"n": v["n"], "area": _money(v["area"])} for c, v in counts.items()},
            "participants": voted["n"], "participants_area": _money(voted["area"]),
            "approval": [c.as_dict() for c in approval], "approved": approved,
            "passed": quorum_ok and approved,
        })
    return out


def election_tally(*, election: Election) -> dict:
    """The whole result: turnout by headcount and area, the quorum checks, each post's candidates (with the
    tie note), each motion's tallies and threshold checks, and the receipt hashes of every ballot counted
    (so a voter can see theirs was in it)."""
    turnout = _turnout(election)
    quorum = quorum_checks(election, turnout)
    quorum_ok = decisions.quorum_met(election.rule, quorum) if quorum else True
    ballots = Ballot.objects.filter(election=election)
    return {
        "counting": election.counting, "rule": election.rule, "law": law_of(election.rule),
        "eligible": turnout["eligible"], "voted": turnout["voted"],
        "eligible_weight": _money(turnout["eligible_area"]), "voted_weight": _money(turnout["voted_area"]),
        "households": turnout["households"], "households_present": turnout["households_present"],
        "quorum": [c.as_dict() for c in quorum], "quorum_met": quorum_ok,
        "posts": _posts(election, turnout, quorum_ok),
        "motions": _motions(election, turnout, quorum_ok),
        "paper_unconfirmed": PaperBallot.objects.filter(election=election, confirmed_at__isnull=True).count(),
        "receipts": sorted(ballots.values_list("receipt_hash", flat=True)),
    }
