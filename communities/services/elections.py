"""Running an election: drafting it (posts, candidates), the transitions draft → open → closed → published,
casting a secret ballot with a receipt code, and the published tally.

Every administrative change locks the election, checks the actor through the policy and the state
through ``Election.TRANSITIONS``/``EDITABLE``, writes an ``AuditEvent`` (``detail.election`` names the
election) and is harmless when repeated. Casting a ballot writes no audit row and no time: either would
link a voter to their ballot. Publishing sends ``election_published`` inside the transaction, so a team's
app can act on the result (the 蓉治社 officers) atomically with it.
"""
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import electorates, policy
from ..models import (
    Ballot, BallotChoice, Election, ElectionCandidate, ElectionPost, ElectionVoter, Membership,
    receipt_hash,
)
from .audit import audit
from .errors import DomainError

# Sent inside the publishing transaction with ``election`` and ``actor``.
election_published = Signal()

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from a phone
RECEIPT_LENGTH = 12  # 60 bits
MAX_SEATS = 50
EDIT_FIELDS = ("title", "description", "counting", "electorate_role", "team", "opens_at", "closes_at")


@dataclass(frozen=True)
class CastResult:
    changed: bool
    receipt: str = ""  # shown to the voter once, never stored


def _require(actor, action: str, election: Election) -> None:
    if not policy.can(actor, action, election):
        raise PermissionDenied


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _audit(actor, action: str, election: Election, **detail) -> None:
    audit(actor=actor, action=f"election.{action}", community=election.community, election=election.pk,
          title=election.title, **detail)


def _refuse_state(election: Election) -> DomainError:
    return DomainError(_("选举“%(title)s”%(status)s，不能进行这项操作。") % {
        "title": election.title, "status": election.get_status_display()}, code="state")


# --- drafting ----------------------------------------------------------------------------------------

def _check(fields: dict, posts: list[tuple[str, int]], community) -> None:
    if not (fields.get("title") or "").strip():
        raise DomainError(_("请填写选举标题。"), code="required")
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise DomainError(_("投票截止时间必须晚于开始时间。"), code="times")
    team = fields.get("team")
    if team is not None and team.community_id != community.pk:
        raise DomainError(_("只能选择本社区的团队。"), code="team")
    if not posts:
        raise DomainError(_("请至少设置一个职位。"), code="no_posts")
    names = [name for name, _seats in posts]
    if len(set(names)) != len(names):
        raise DomainError(_("职位名称不能重复。"), code="duplicate_post")
    for name, seats in posts:
        if not name or not 1 <= seats <= MAX_SEATS:
            raise DomainError(_("职位“%(name)s”的名额应在 1 到 %(max)s 之间。") % {"name": name, "max": MAX_SEATS},
                              code="seats")


def election_create(*, actor, community, fields: dict, posts: list[tuple[str, int]]) -> Election:
    """A draft election with its posts [(name, seats)]."""
    _require(actor, "election.manage", community)
    _check(fields, posts, community)
    with transaction.atomic():
        election = Election(community=community, created_by=actor)
        for name in EDIT_FIELDS:
            if name in fields:
                setattr(election, name, fields[name])
        election.save()
        ElectionPost.objects.bulk_create([ElectionPost(election=election, name=name, seats=seats, order=i)
                                          for i, (name, seats) in enumerate(posts)])
        _audit(actor, "create", election, posts=[f"{name}×{seats}" for name, seats in posts])
    return election


def election_edit(*, actor, election: Election, fields: dict, posts: list[tuple[str, int]]) -> Election:
    """Change a draft: its fields and posts (a post kept by name keeps its candidates)."""
    _require(actor, "election.manage", election)
    _check(fields, posts, election.community)
    with transaction.atomic():
        election = _lock(election)
        if election.status not in Election.EDITABLE:
            raise _refuse_state(election)
        for name in EDIT_FIELDS:
            if name in fields:
                setattr(election, name, fields[name])
        election.save(update_fields=list(EDIT_FIELDS))
        existing = {post.name: post for post in election.posts.all()}
        for i, (name, seats) in enumerate(posts):
            post = existing.pop(name, None) or ElectionPost(election=election, name=name)
            post.seats, post.order = seats, i
            post.save()
        for post in existing.values():
            post.delete()
        _audit(actor, "edit", election, posts=[f"{name}×{seats}" for name, seats in posts],
               removed_posts=sorted(existing))
    return election


def election_candidate_add(*, actor, election: Election, post: ElectionPost, user, statement: str = "") \
        -> ElectionCandidate:
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = _lock(election)
        if election.status not in Election.EDITABLE:
            raise _refuse_state(election)
        if post.election_id != election.pk:
            raise DomainError(_("这个职位不属于本次选举。"), code="post")
        if not Membership.objects.filter(user=user, community_id=election.community_id).exists():
            raise DomainError(_("%(name)s 不是本社区的人员，不能作为候选人。") % {"name": user.display_name()},
                              code="stranger")
        other = ElectionCandidate.objects.filter(election=election, user=user).select_related("post").first()
        if other is not None:
            raise DomainError(_("%(name)s 已是“%(post)s”的候选人，一次选举只能竞选一个职位。") % {
                "name": user.display_name(), "post": other.post.name}, code="duplicate")
        candidate = ElectionCandidate.objects.create(election=election, post=post, user=user,
                                                     statement=(statement or "").strip()[:2000])
        _audit(actor, "candidate_add", election, post=post.name, candidate=user.display_name(), user=user.pk)
    return candidate


def election_candidate_remove(*, actor, candidate: ElectionCandidate) -> bool:
    election = candidate.election
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = _lock(election)
        if election.status not in Election.EDITABLE:
            raise _refuse_state(election)
        row = ElectionCandidate.objects.filter(pk=candidate.pk).select_related("post", "user__person").first()
        if row is None:
            return False
        row.delete()
        _audit(actor, "candidate_remove", election, post=row.post.name, candidate=row.user.display_name(),
               user=row.user_id)
    return True


# --- transitions -------------------------------------------------------------------------------------

def _transition(action: str, *, election: Election, actor, now=None, before=None) -> bool:
    _require(actor, "election.manage", election)
    sources, target = Election.TRANSITIONS[action]
    with transaction.atomic():
        election = _lock(election)
        if election.status == target:
            return False  # a repeated click: already done
        if election.status not in sources:
            raise _refuse_state(election)
        now = now or timezone.now()
        detail = before(election, now) if before else {}
        election.status = target
        election.save(update_fields=["status", "opens_at", "closes_at", "published_at", "tally"])
        _audit(actor, action, election, **detail)
        if action == "publish":
            election_published.send(sender=Election, election=election, actor=actor)
    return True


def voter_roll(election: Election) -> list[ElectionVoter]:
    """The community's users with the electorate role (the ``role`` electorate provider); their weight is the
    floor area of the units they own there when the election counts area. Co-owners and developer units: see
    RULES.md and the ``unit_owners`` provider in ``communities/electorates.py``."""
    return electorates.by_role(election, timezone.now())


def _open(election: Election, now) -> dict:
    posts = list(election.posts.annotate(n=Count("candidates")))
    if not posts or any(post.n == 0 for post in posts):
        raise DomainError(_("每个职位至少要有一名候选人才能开始投票。"), code="no_candidates")
    if election.closes_at and election.closes_at <= now:
        raise DomainError(_("投票截止时间已过，请先修改截止时间。"), code="times")
    roll = voter_roll(election)
    if not roll:
        raise DomainError(_("选民名单为空：本社区还没有符合条件的选民。"), code="no_voters")
    ElectionVoter.objects.bulk_create(roll)
    election.opens_at = now
    return {"voters": len(roll)}


def _close(election: Election, now) -> dict:
    if election.closes_at is None or election.closes_at > now:
        election.closes_at = now
    return {"voted": election.voters.filter(has_voted=True).count(), "eligible": election.voters.count()}


def _publish(election: Election, now) -> dict:
    election.tally = election_tally(election=election)
    election.published_at = now
    return {"voted": election.tally["voted"]}


def election_open(*, election: Election, actor, now=None) -> bool:
    """Take the voter roll and start the vote."""
    return _transition("open", election=election, actor=actor, now=now, before=_open)


def election_close(*, election: Election, actor, now=None) -> bool:
    return _transition("close", election=election, actor=actor, now=now, before=_close)


def election_publish(*, election: Election, actor, now=None) -> bool:
    """Freeze the tally and show it to every member."""
    return _transition("publish", election=election, actor=actor, now=now, before=_publish)


TRANSITION_SERVICES = {"open": election_open, "close": election_close, "publish": election_publish}


# --- voting ------------------------------------------------------------------------------------------

def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def _checked_choices(election: Election, choices: dict) -> list[ElectionCandidate]:
    """choices: {post id: [candidate id, …]} as the form sent them; every fault is refused."""
    posts = {post.pk: post for post in election.posts.all()}
    candidates = {c.pk: c for c in ElectionCandidate.objects.filter(election=election)}
    picked = []
    for post_key, candidate_keys in choices.items():
        try:
            post = posts[int(post_key)]
            ids = {int(key) for key in candidate_keys}
        except (KeyError, TypeError, ValueError):
            raise DomainError(_("选票内容有误：职位不属于本次选举。"), code="post") from None
        for cid in ids:
            candidate = candidates.get(cid)
            if candidate is None or candidate.post_id != post.pk:
                raise DomainError(_("选票内容有误：所选的人不是“%(post)s”的候选人。") % {"post": post.name},
                                  code="candidate")
            picked.append(candidate)
        if len(ids) > post.seats:
            raise DomainError(_("“%(post)s”最多选 %(seats)s 人，您选了 %(n)s 人。") % {
                "post": post.name, "seats": post.seats, "n": len(ids)}, code="too_many")
    return picked


def ballot_cast(*, election: Election, actor, choices: dict, now=None) -> CastResult:
    """Cast ``actor``'s secret ballot. A second ballot by the same voter changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # The election row lock puts votes and closing one after the other: no ballot lands after close,
        # and two submissions by one voter are checked in turn.
        election = _lock(election)
        voter = ElectionVoter.objects.filter(election=election, user=actor).first()
        if election.status != Election.Status.OPEN or (election.closes_at and election.closes_at <= now):
            raise DomainError(_("本次选举不在投票时间内。"), code="not_open")
        if voter is None:
            raise DomainError(_("您不在本次选举的选民名单中，不能投票。"), code="not_eligible")
        if voter.has_voted:
            return CastResult(changed=False)
        picked = _checked_choices(election, choices)
        # Must change exactly one row: the database, not this function, keeps the vote single.
        if not ElectionVoter.objects.filter(pk=voter.pk, has_voted=False).update(has_voted=True):
            return CastResult(changed=False)
        code = new_receipt_code()
        ballot = Ballot.objects.create(election=election, receipt_hash=receipt_hash(code),
                                       weight=voter.weight if election.counts_area else Decimal(0))
        BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidate=c) for c in picked])
    return CastResult(changed=True, receipt=code)


# --- the tally ---------------------------------------------------------------------------------------

def _money(value) -> str:
    return str((value or Decimal(0)).quantize(Decimal("0.01")))


def _rank(rows: list[dict], seats: int, by_area: bool) -> None:
    """Top ``seats`` by votes (then area when counted) are elected; a tie across the last seat elects
    none of the tied (the election's rules decide: a run-off or drawing lots), and no one wins with 0."""
    def key(row):
        return (row["votes"], Decimal(row["weight"])) if by_area else (row["votes"],)

    rows.sort(key=lambda row: (key(row), -row["candidate_id"]), reverse=True)
    for row in rows:
        row["elected"] = row["tied"] = False
    if len(rows) > seats and key(rows[seats - 1]) == key(rows[seats]):
        boundary = key(rows[seats])
        for row in rows:
            row["tied"] = key(row) == boundary
    for row in rows[:seats]:
        row["elected"] = not row["tied"] and row["votes"] > 0


def election_tally(*, election: Election) -> dict:
    """Count the ballots: per post, each candidate's votes and weight (area), who is elected, the turnout,
    and the receipt hashes of every ballot counted (so a voter can see theirs was in it)."""
    by_area = election.counts_area
    counts = {row["candidate_id"]: row for row in BallotChoice.objects.filter(ballot__election=election)
              .values("candidate_id").annotate(votes=Count("id"), weight=Sum("ballot__weight"))}
    ballots = Ballot.objects.filter(election=election)
    voters = election.voters.aggregate(n=Count("id"), w=Sum("weight"))
    posts = []
    for post in election.posts.prefetch_related("candidates__user__person"):
        rows = [{"candidate_id": c.pk, "user_id": c.user_id, "name": c.user.display_name(),
                 "votes": counts.get(c.pk, {}).get("votes", 0),
                 "weight": _money(counts.get(c.pk, {}).get("weight"))} for c in post.candidates.all()]
        _rank(rows, post.seats, by_area)
        posts.append({"id": post.pk, "name": post.name, "seats": post.seats, "candidates": rows})
    return {
        "counting": election.counting,
        "eligible": voters["n"], "voted": ballots.count(),
        "eligible_weight": _money(voters["w"]), "voted_weight": _money(ballots.aggregate(w=Sum("weight"))["w"]),
        "posts": posts,
        "receipts": sorted(ballots.values_list("receipt_hash", flat=True)),
    }
