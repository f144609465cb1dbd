"""Reading elections: the list, one election's page (posts, candidates, my place on the roll, the audit
trail, the published tally) and a ballot found by its receipt code."""
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import (
    AuditEvent, Ballot, BallotChoice, Election, ElectionCandidate, ElectionVoter, Motion, MotionVote, PaperBallot,
    receipt_hash,
)


def elections_visible(*, user, community=None) -> QuerySet:
    qs = policy.scope(user, "election.view", Election.objects.all())
    if community is not None:
        qs = qs.filter(community=community)
    return (qs.select_related("community", "team")
            .annotate(n_posts=Count("posts", distinct=True), n_voters=Count("voters", distinct=True))
            .order_by("-created_at"))


def election_for_page() -> QuerySet:
    return Election.objects.select_related("community", "team", "created_by__person")


AUDIT_LABELS = {
    "election.create": _("创建选举"), "election.edit": _("修改选举"), "election.candidate_add": _("添加候选人"),
    "election.candidate_remove": _("移除候选人"), "election.open": _("开始投票"), "election.close": _("截止投票"),
    "election.publish": _("公布结果"), "election.officers_apply": _("更新团队骨干"),
    "election.motion_add": _("添加议题"), "election.motion_remove": _("移除议题"), "election.notice": _("发布公告"),
    "election.runoff": _("发起决选"), "election.paper_enter": _("录入纸质选票"),
    "election.paper_confirm": _("复核纸质选票"), "election.paper_discard": _("退回纸质选票"),
}


def election_audit(*, election: Election) -> list[AuditEvent]:
    """Every administrative action on the election (the services write detail.election), oldest first."""
    events = list(AuditEvent.objects.filter(community_id=election.community_id, action__startswith="election.",
                                            detail__election=election.pk)
                  .select_related("actor__person").order_by("at", "id"))
    for event in events:
        event.label = AUDIT_LABELS.get(event.action, event.action)
        detail = event.detail
        event.summary = "、".join(str(x) for x in (
            detail.get("post"), detail.get("candidate"), detail.get("motion"), detail.get("voter"),
            *(detail.get("posts") or []), *(detail.get("officers") or []),
        ) if x)
    return events


def election_posts(*, election: Election) -> list:
    candidates = ElectionCandidate.objects.select_related("user__person").order_by("id")
    return list(election.posts.prefetch_related(Prefetch("candidates", queryset=candidates)))


def my_roll_row(*, election: Election, user) -> ElectionVoter | None:
    return ElectionVoter.objects.filter(election=election, user=user).first()


def turnout(*, election: Election) -> dict:
    """While the vote runs: how many on the roll have voted (never who)."""
    voters = list(ElectionVoter.objects.filter(election=election).values_list("has_voted", flat=True))
    return {"eligible": len(voters), "voted": sum(voters)}


def ballot_by_receipt(*, election: Election, code: str) -> dict | None:
    """The choices recorded in the ballot with this receipt code, and whether the published tally counted it."""
    digest = receipt_hash(code)
    ballot = Ballot.objects.filter(election=election, receipt_hash=digest).first()
    if ballot is None:
        return None
    choices = (BallotChoice.objects.filter(ballot=ballot)
               .select_related("candidate__post", "candidate__user__person")
               .order_by("candidate__post__order", "candidate__post_id", "candidate_id"))
    by_post: dict[str, list[str]] = {post.name: [] for post in election.posts.all()}
    for choice in choices:
        by_post.setdefault(choice.candidate.post.name, []).append(choice.candidate.user.display_name())
    labels = dict(MotionVote.Choice.choices)
    answers = [(vote.motion.title, [str(labels[vote.choice])]) for vote in
               MotionVote.objects.filter(ballot=ballot).select_related("motion").order_by("motion__order", "motion_id")]
    published = election.status == Election.Status.PUBLISHED
    return {"choices": list(by_post.items()) + answers, "published": published,
            "counted": published and digest in set(election.tally.get("receipts", []))}


def election_motions(*, election: Election) -> list[Motion]:
    return list(election.motions.all())


def motion_result(*, election: Election, motion_id: int) -> dict | None:
    """One motion's published result (both tallies and each threshold), or None before publishing."""
    if election.status != Election.Status.PUBLISHED:
        return None
    return next((m for m in election.tally.get("motions", []) if m["id"] == motion_id), None)


def paper_voters(*, election: Election) -> QuerySet:
    """Roll rows a paper ballot may still be typed in for: not voted, no paper ballot in their group."""
    pending_keys = PaperBallot.objects.filter(election=election).exclude(voter__share_key="") \
        .values_list("voter__share_key", flat=True)
    return (ElectionVoter.objects.filter(election=election, has_voted=False, paper_ballots__isnull=True)
            .exclude(share_key__in=pending_keys).select_related("user__person", "person").order_by("id"))


def _readable(typed: dict, posts: dict, candidates: dict, motions: dict) -> list[tuple]:
    lines = []
    for post_id, ids in (typed.get("posts") or {}).items():
        post = posts.get(int(post_id))
        names = [candidates[int(i)] for i in ids if int(i) in candidates]
        lines.append((post.name if post else "?", "、".join(names) or str(_("未选"))))
    labels = dict(MotionVote.Choice.choices)
    for motion_id, choice in (typed.get("motions") or {}).items():
        lines.append((motions.get(int(motion_id), "?"), str(labels.get(choice, choice))))
    return lines


def paper_ballots_pending(*, election: Election) -> list[PaperBallot]:
    """Typed paper ballots waiting for a second staff member, with what was typed in words."""
    rows = list(PaperBallot.objects.filter(election=election, confirmed_at__isnull=True)
                .select_related("voter__user__person", "voter__person", "entered_by__person").order_by("entered_at", "id"))
    posts = {p.pk: p for p in election.posts.all()}
    candidates = {c.pk: c.user.display_name()
                  for c in ElectionCandidate.objects.filter(election=election).select_related("user__person")}
    motions = {m.pk: m.title for m in election.motions.all()}
    for row in rows:
        row.readable = _readable(row.choices, posts, candidates, motions)
    return rows


def paper_counts(*, election: Election) -> dict:
    papers = PaperBallot.objects.filter(election=election)
    return {"pending": papers.filter(confirmed_at__isnull=True).count(),
            "confirmed": papers.filter(confirmed_at__isnull=False).count()}


VILLAGE_RULES = (Election.Rule.VILLAGERS, Election.Rule.REPRESENTATIVES)


def motion_adopted(*, motion: Motion, rules=VILLAGE_RULES) -> bool:
    """Whether ``motion`` was adopted: its vote is published, was held under one of ``rules`` (default: a
    villagers' meeting or their representatives' meeting, with its quorum) and the motion passed. What an app
    asks before a standard, a fee or a rule "adopted by village decision" may take effect."""
    election = motion.election
    if election.rule not in rules:
        return False
    result = motion_result(election=election, motion_id=motion.pk)
    return bool(result and result.get("passed"))
