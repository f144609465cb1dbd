"""Running an election: drafting it (posts, candidates, motions, the notice), the transitions draft → open →
closed → published on the state machine (``communities.election_workflow.ELECTIONS``), casting a secret
ballot with a receipt code, and the published tally (``services.election_count``).

Every administrative change locks the election, checks the actor through the policy and the state through
the table (or ``EDITABLE`` for drafting), writes an ``AuditEvent`` (``detail.election`` names the election)
and is harmless when repeated. Casting a ballot writes no audit row and no time: either would link a voter
to their ballot. Publishing sends ``election_published`` inside the transaction, so a team's app can act on
the result (the 蓉治社 officers) atomically with it.
"""
import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import electorates, policy
from ..election_workflow import EDITABLE, ELECTIONS
from ..models import (
    AuditEvent, Ballot, BallotChoice, Election, ElectionCandidate, ElectionPost, ElectionVoter, Membership, Motion, MotionVote,
    PaperBallot, receipt_hash,
)
from .audit import audit
from .election_count import election_tally
from .errors import DomainError

# Sent inside the publishing transaction with ``election`` and ``actor``.
election_published = Signal()

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from a phone
RECEIPT_LENGTH = 12  # 60 bits
MAX_SEATS = 50
EDIT_FIELDS = ("title", "description", "counting", "electorate_role", "team", "opens_at", "closes_at",
               "electorate", "rule", "tie_rule", "notice_days")
# The villagers' meeting and the representatives' meeting are announced ten days ahead (RULES.md).
VILLAGE_NOTICE_DAYS = 10
R = Election.Rule


@dataclass(frozen=True)
class CastResult:
    changed: bool
    receipt: str = ""  # shown to the voter once, never stored


def _require(actor, action: str, election) -> None:
    if not policy.can(actor, action, election):
        raise PermissionDenied


def lock_election(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def audit_election(actor, action: str, election: Election, **detail) -> None:
    audit(actor=actor, action=f"election.{action}", community=election.community, election=election.pk,
          title=election.title, **detail)


def _refuse_state(election: Election) -> DomainError:
    return ELECTIONS.refusal(election)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


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
    _check_rules(fields, community)
    names = [name for name, _seats in posts]
    if len(set(names)) != len(names):
        raise DomainError(_("职位名称不能重复。"), code="duplicate_post")
    for name, seats in posts:
        if not name or not 1 <= seats <= MAX_SEATS:
            raise DomainError(_("职位“%(name)s”的名额应在 1 到 %(max)s 之间。") % {"name": name, "max": MAX_SEATS},
                              code="seats")


def _check_rules(fields: dict, community) -> None:
    """The electorate suits the community, the owners' rule counts area, village meetings give ten days."""
    key = fields.get("electorate") or "role"
    try:
        provider = electorates.get(key)
    except LookupError:
        raise DomainError(_("选民来源无效。"), code="electorate") from None
    if provider.community_kind and provider.community_kind != community.kind:
        raise DomainError(_("“%(electorate)s”不适用于%(community)s。") % {
            "electorate": provider.label, "community": community.name}, code="electorate")
    if (fields.get("rule") == R.OWNERS or provider.counts_area):
        # Art. 278 counts heads and exclusive area: an owners' vote is always counted both ways.
        fields["counting"] = Election.Counting.HEADCOUNT_AND_AREA
    if fields.get("rule") in (R.VILLAGERS, R.REPRESENTATIVES) and (fields.get("notice_days") or 0) < VILLAGE_NOTICE_DAYS:
        raise DomainError(_("村民会议、村民代表会议应当提前 %(days)s 天公告，公告期不能少于 %(days)s 天。") % {
            "days": VILLAGE_NOTICE_DAYS}, code="notice")


def election_create(*, actor, community, fields: dict, posts: list[tuple[str, int]]) -> Election:
    """A draft election with its posts [(name, seats)]."""
    _require(actor, "election.manage", community)
    _check(fields, posts, community)
    with transaction.atomic():
        # The seed for drawing lots is fixed before anyone votes, and shown with the result.
        election = Election(community=community, created_by=actor, tie_seed=secrets.token_hex(16))
        for name in EDIT_FIELDS:
            if name in fields:
                setattr(election, name, fields[name])
        election.save()
        ElectionPost.objects.bulk_create([ElectionPost(election=election, name=name, seats=seats, order=i)
                                          for i, (name, seats) in enumerate(posts)])
        audit_election(actor, "create", election, posts=[f"{name}×{seats}" for name, seats in posts])
    return election


def election_edit(*, actor, election: Election, fields: dict, posts: list[tuple[str, int]]) -> Election:
    """Change a draft: its fields and posts (a post kept by name keeps its candidates)."""
    _require(actor, "election.manage", election)
    _check(fields, posts, election.community)
    with transaction.atomic():
        election = lock_election(election)
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        if election.notice_published_at and fields.get("notice_days", election.notice_days) != election.notice_days:
            raise DomainError(_("公告已经发布，不能再修改公告期。"), code="notice")
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
        audit_election(actor, "edit", election, posts=[f"{name}×{seats}" for name, seats in posts],
               removed_posts=sorted(existing))
    return election


def election_candidate_add(*, actor, election: Election, post: ElectionPost, user, statement: str = "") \
        -> ElectionCandidate:
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = lock_election(election)
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        if post.election_id != election.pk:
            raise DomainError(_("这个职位不属于本次选举。"), code="post")
        if not Membership.objects.filter(user=user, community_id=election.community_id).exists():
            raise DomainError(_("这位用户不是本社区的人员，不能作为候选人。"), code="stranger")
        other = ElectionCandidate.objects.filter(election=election, user=user).select_related("post").first()
        if other is not None:
            raise DomainError(_("%(name)s 已是“%(post)s”的候选人，一次选举只能竞选一个职位。") % {
                "name": user.display_name(), "post": other.post.name}, code="duplicate")
        candidate = ElectionCandidate.objects.create(election=election, post=post, user=user,
                                                     statement=(statement or "").strip()[:2000])
        audit_election(actor, "candidate_add", election, post=post.name, candidate=user.display_name(), user=user.pk)
    return candidate


def election_candidate_remove(*, actor, candidate: ElectionCandidate) -> bool:
    election = candidate.election
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = lock_election(election)
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        row = ElectionCandidate.objects.filter(pk=candidate.pk).select_related("post", "user__person").first()
        if row is None:
            return False
        row.delete()
        audit_election(actor, "candidate_remove", election, post=row.post.name, candidate=row.user.display_name(),
               user=row.user_id)
    return True


# --- motions and the notice (drafting) ----------------------------------------------------------------

def election_motion_add(*, actor, election: Election, title: str, matter: str = Motion.Matter.ORDINARY) -> Motion:
    """A matter put to the vote (for / against / abstain) on a draft election."""
    _require(actor, "election.manage", election)
    title = (title or "").strip()[:200]
    if not title:
        raise DomainError(_("请填写议题。"), code="required")
    if matter not in Motion.Matter.values:
        raise DomainError(_("事项类别无效。"), code="matter")
    with transaction.atomic():
        election = lock_election(election)
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        if election.motions.filter(title=title).exists():
            raise DomainError(_("议题“%(title)s”已经有了。") % {"title": title}, code="duplicate")
        motion = Motion.objects.create(election=election, title=title, matter=matter,
                                       order=election.motions.count())
        audit_election(actor, "motion_add", election, motion=title, matter=matter)
    return motion


def election_motion_remove(*, actor, motion: Motion) -> bool:
    election = motion.election
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = lock_election(election)
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        row = Motion.objects.filter(pk=motion.pk, election=election).first()
        if row is None:
            return False
        row.delete()
        audit_election(actor, "motion_remove", election, motion=row.title)
    return True


def notice_ends_at(election: Election):
    """When the notice period has run and voting may open (None while no notice is published)."""
    if election.notice_published_at is None:
        return None
    return election.notice_published_at + datetime.timedelta(days=election.notice_days)


def election_notice_publish(*, actor, election: Election, now=None) -> bool:
    """Post the notice (公告): the notice period starts now. A second press changes nothing."""
    _require(actor, "election.manage", election)
    now = now or timezone.now()
    with transaction.atomic():
        election = lock_election(election)
        if election.notice_published_at is not None:
            return False
        if election.status not in EDITABLE:
            raise _refuse_state(election)
        election.notice_published_at = now
        election.save(update_fields=["notice_published_at"])
        audit_election(actor, "notice", election, days=election.notice_days, may_open=_local(notice_ends_at(election)))
    return True


def _check_notice(election: Election, now) -> None:
    if not election.notice_days:
        return
    if election.notice_published_at is None:
        raise DomainError(_("本次表决须提前 %(days)s 天公告，请先发布公告，公告期满后才能开始投票。") % {
            "days": election.notice_days}, code="notice")
    ends = notice_ends_at(election)
    if now < ends:
        raise DomainError(_("公告期未满：公告于 %(published)s 发布，公告期 %(days)s 天，最早可于 %(date)s 开始投票。") % {
            "published": _local(election.notice_published_at), "days": election.notice_days,
            "date": _local(ends)}, code="notice")


# --- transitions (the table: communities.election_workflow) -----------------------------------------

def voter_roll(election: Election, now=None) -> list[ElectionVoter]:
    """The roll the election's electorate provider takes (``communities.electorates``): a role, the owners of
    units, the village's adults or households."""
    return electorates.get(election.electorate).build(election, now or timezone.now())


def _open(election: Election, now) -> dict:
    posts = list(election.posts.annotate(n=Count("candidates")))
    if not posts and not election.motions.exists():
        raise DomainError(_("请至少设置一个职位或一个议题。"), code="empty")
    if any(post.n == 0 for post in posts):
        raise DomainError(_("每个职位至少要有一名候选人才能开始投票。"), code="no_candidates")
    _check_notice(election, now)
    if election.closes_at and election.closes_at <= now:
        raise DomainError(_("投票截止时间已过，请先修改截止时间。"), code="times")
    roll = voter_roll(election, now)
    if not roll:
        raise DomainError(_("选民名单为空：本社区还没有符合条件的选民。"), code="no_voters")
    ElectionVoter.objects.bulk_create(roll)
    election.opens_at = now
    if not election.tie_seed:  # a draft from before seeds were recorded: fixed now, before anyone votes
        election.tie_seed = secrets.token_hex(16)
    return {"voters": sum(1 for row in roll if row.counted)}


def _close(election: Election, now) -> dict:
    if election.closes_at is None or election.closes_at > now:
        election.closes_at = now
    return {"voted": election.ballots.count(), "eligible": election.voters.filter(counted=True).count()}


def _publish(election: Election, now) -> dict:
    election.tally = election_tally(election=election)
    election.published_at = now
    # A lot drawn is recorded with who drew it (the publisher: this row's actor), the seed and the order.
    ties = [{"post": post["name"], **post["tie"]} for post in election.tally["posts"] if post["tie"]]
    detail = {"voted": election.tally["voted"]}
    if ties:
        detail["ties"] = ties
    return detail


def _transition(action: str, *, election=None, election_id=None, actor, now=None, before=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        step = ELECTIONS.begin(election_id or election.pk, actor, action)
        if step.repeat:
            return False  # a repeated click: already done
        detail = before(step.obj, now) if before else {}
        ELECTIONS.apply(step, actor, fields=["opens_at", "closes_at", "published_at", "tally", "tie_seed"],
                        data=detail, at=now)
        if action == "publish":
            election_published.send(sender=Election, election=step.obj, actor=actor)
    return True


def election_open(*, election=None, election_id=None, actor, now=None) -> bool:
    """Take the voter roll and start the vote, once the notice period has run."""
    return _transition("open", election=election, election_id=election_id, actor=actor, now=now, before=_open)


def election_close(*, election=None, election_id=None, actor, now=None) -> bool:
    return _transition("close", election=election, election_id=election_id, actor=actor, now=now, before=_close)


def election_publish(*, election=None, election_id=None, actor, now=None) -> bool:
    """Freeze the tally (ties settled by the election's tie rule) and show it to every member."""
    return _transition("publish", election=election, election_id=election_id, actor=actor, now=now,
                       before=_publish)


# The table names each step's service; this maps them for callers that hold an action name.
TRANSITION_SERVICES = {action: ELECTIONS.service(action) for action in ELECTIONS.actions}


def election_runoff_create(*, actor, election: Election, post_id: int) -> Election:
    """The run-off (决选) a published tie calls for: a new draft with the tied candidates for the seats the tie
    left open, same electorate and rules. Its post is named 增补… because it adds to those already elected.
    A second press returns the run-off already created."""
    _require(actor, "election.manage", election)
    with transaction.atomic():
        election = lock_election(election)
        if election.status != Election.Status.PUBLISHED:
            raise _refuse_state(election)
        post = next((p for p in election.tally.get("posts", []) if p["id"] == post_id), None)
        tie = (post or {}).get("tie") or {}
        if post is None or tie.get("rule") != Election.TieRule.RUNOFF:
            raise DomainError(_("这个职位没有需要决选的同票。"), code="no_tie")
        earlier = (AuditEvent.objects.filter(community_id=election.community_id, action="election.runoff",
                                             detail__election=election.pk, detail__post_id=post_id)
                   .values_list("detail__runoff", flat=True).first())
        if earlier:
            return Election.objects.get(pk=earlier)
        name = post["name"] if post["name"].startswith("增补") else "增补" + post["name"]
        runoff = Election.objects.create(
            community=election.community, team=election.team, created_by=actor, tie_seed=secrets.token_hex(16),
            title=str(_("%(title)s（决选）") % {"title": election.title})[:200],
            description=str(_("“%(post)s”末位同票，按选举规则另行决选。") % {"post": post["name"]}),
            **{f: getattr(election, f) for f in ("counting", "electorate_role", "electorate", "rule", "tie_rule")})
        new_post = ElectionPost.objects.create(election=runoff, name=name[:50], seats=tie["seats"])
        ElectionCandidate.objects.bulk_create([
            ElectionCandidate(election=runoff, post=new_post, user_id=row["user_id"])
            for row in post["candidates"] if row["candidate_id"] in tie["candidates"]])
        audit_election(actor, "runoff", election, post_id=post_id, post=post["name"], runoff=runoff.pk)
        audit_election(actor, "create", runoff, posts=[f"{new_post.name}×{new_post.seats}"], runoff_of=election.pk)
    return runoff


# --- voting ------------------------------------------------------------------------------------------

def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def checked_choices(election: Election, choices: dict) -> list[ElectionCandidate]:
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


def checked_motions(election: Election, answers: dict | None) -> list[tuple[Motion, str]]:
    """answers: {motion id: "for" | "against" | "abstain"}; every motion needs one (abstaining is an answer)."""
    answers = answers or {}
    motions = list(election.motions.all())
    by_id = {m.pk: m for m in motions}
    out = {}
    for key, choice in answers.items():
        try:
            motion = by_id[int(key)]
        except (KeyError, TypeError, ValueError):
            raise DomainError(_("选票内容有误：议题不属于本次表决。"), code="motion") from None
        if choice not in MotionVote.Choice.values:
            raise DomainError(_("选票内容有误：“%(title)s”请选择同意、反对或弃权。") % {"title": motion.title},
                              code="choice")
        out[motion.pk] = (motion, choice)
    missing = [m.title for m in motions if m.pk not in out]
    if missing:
        raise DomainError(_("请对每个议题选择同意、反对或弃权：%(titles)s。") % {"titles": "、".join(missing)},
                          code="missing")
    return list(out.values())


def group_of(voter: ElectionVoter):
    """The roll rows that cast one vote with ``voter`` (co-owners, a household), the voter included."""
    rows = ElectionVoter.objects.filter(election_id=voter.election_id)
    return rows.filter(share_key=voter.share_key) if voter.share_key else rows.filter(pk=voter.pk)


def group_weight(voter: ElectionVoter, election: Election) -> Decimal:
    if not election.counts_area:
        return Decimal(0)
    counted = group_of(voter).filter(counted=True).values_list("weight", flat=True).first()
    return counted if counted is not None else Decimal(0)


def record_ballot(*, election: Election, voter: ElectionVoter, picked, motions) -> str:
    """Mark the voter's group as voted and write the unlinkable ballot; the caller holds the election lock and
    has checked the group has not voted. Returns the receipt code."""
    # Must change the group's rows from "not voted": the database, not this function, keeps the vote single.
    if not group_of(voter).filter(has_voted=False).update(has_voted=True):
        raise DomainError(_("这位选民已经投过票了。"), code="voted")
    code = new_receipt_code()
    ballot = Ballot.objects.create(election=election, receipt_hash=receipt_hash(code),
                                   weight=group_weight(voter, election))
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidate=c) for c in picked])
    MotionVote.objects.bulk_create([MotionVote(ballot=ballot, motion=m, choice=c) for m, c in motions])
    return code


def ballot_cast(*, election: Election, actor, choices: dict, motions: dict | None = None, now=None) -> CastResult:
    """Cast ``actor``'s secret ballot: candidates per post and an answer on every motion. A second ballot by
    the same voter (or by a co-owner of the same unit, or another adult of the household) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # The election row lock puts votes and closing one after the other: no ballot lands after close,
        # and two submissions by one voter are checked in turn.
        election = lock_election(election)
        voter = ElectionVoter.objects.filter(election=election, user=actor).first()
        if election.status != Election.Status.OPEN or (election.closes_at and election.closes_at <= now):
            raise DomainError(_("本次选举不在投票时间内。"), code="not_open")
        if voter is None:
            raise DomainError(_("您不在本次选举的选民名单中，不能投票。"), code="not_eligible")
        if voter.has_voted:
            return CastResult(changed=False)
        if PaperBallot.objects.filter(voter__in=group_of(voter)).exists():
            raise DomainError(_("工作人员已为您（或与您共同投票的人）录入了纸质选票，不能再在网上投票。"),
                              code="paper")
        picked = checked_choices(election, choices)
        answers = checked_motions(election, motions)
        code = record_ballot(election=election, voter=voter, picked=picked, motions=answers)
    return CastResult(changed=True, receipt=code)
