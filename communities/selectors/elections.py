"""Reading elections: the list, one election's page (posts, candidates, my place on the roll, the audit
trail, the published tally) and a ballot found by its receipt code."""
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import AuditEvent, Ballot, BallotChoice, Election, ElectionCandidate, ElectionVoter, receipt_hash


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
            detail.get("post"), detail.get("candidate"), *(detail.get("posts") or []), *(detail.get("officers") or []),
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
    published = election.status == Election.Status.PUBLISHED
    return {"choices": list(by_post.items()), "published": published,
            "counted": published and digest in set(election.tally.get("receipts", []))}
