"""Paper ballots (纸质选票): one staff member types a signed paper ballot in, a second, different staff member
checks it against the paper and confirms it; only then does it count.

Until it is confirmed a paper ballot is a ``PaperBallot`` row holding what was typed, and no ``Ballot``:
the tally never sees it. Confirming writes the ``Ballot`` (as an online vote would, with a receipt code
nobody is shown) and empties the typed choices, so the stored rows no longer say how this voter voted; the
signed paper stays in the office file. A voter votes once: online or on paper, never both (their group —
co-owners, a household — included).
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import Election, ElectionVoter, PaperBallot
from .elections import audit_election, checked_choices, checked_motions, group_of, lock_election, record_ballot
from .errors import DomainError


def _voter(election: Election, voter_id) -> ElectionVoter:
    voter = ElectionVoter.objects.filter(election=election, pk=voter_id).select_related("user__person", "person").first()
    if voter is None:
        raise DomainError(_("这个人不在本次选举的选民名单中。"), code="not_eligible")
    return voter


def paper_ballot_enter(*, actor, election: Election, voter_id: int, choices: dict, motions: dict | None = None,
                       now=None) -> PaperBallot:
    """Type in a paper ballot for a voter on the roll. It counts only after a second staff member confirms."""
    if not policy.can(actor, "election.paper_enter", election):
        raise PermissionDenied
    with transaction.atomic():
        election = lock_election(election)
        if election.status != Election.Status.OPEN:
            raise DomainError(_("只有在投票期间才能录入纸质选票。"), code="not_open")
        voter = _voter(election, voter_id)
        group = group_of(voter)
        if group.filter(has_voted=True).exists():
            raise DomainError(_("%(name)s 已经投过票（网上或纸质），不能再录入纸质选票。") % {"name": voter.name()},
                              code="voted")
        if PaperBallot.objects.filter(voter__in=group).exists():
            raise DomainError(_("已录入过 %(name)s 的纸质选票，请勿重复录入。") % {"name": voter.name()},
                              code="duplicate")
        checked_choices(election, choices)
        checked_motions(election, motions)
        paper = PaperBallot.objects.create(election=election, voter=voter, entered_by=actor,
                                           entered_at=now or timezone.now(),
                                           choices={"posts": choices, "motions": motions or {}})
        audit_election(actor, "paper_enter", election, voter=voter.name(), paper=paper.pk)
    return paper


def _paper(paper_id: int) -> PaperBallot:
    return PaperBallot.objects.select_for_update().select_related("voter", "election").get(pk=paper_id)


def paper_ballot_confirm(*, actor, paper_id: int, now=None) -> bool:
    """A second staff member confirms a typed paper ballot against the paper: it becomes a counted ballot.
    The one who typed it may not confirm it. A second confirmation changes nothing."""
    paper = PaperBallot.objects.select_related("election").get(pk=paper_id)
    if not policy.can(actor, "election.paper_confirm", paper.election):
        raise PermissionDenied
    with transaction.atomic():
        election = lock_election(paper.election)
        paper = _paper(paper_id)
        if paper.is_confirmed:
            return False
        if paper.entered_by_id == actor.pk:
            raise DomainError(_("纸质选票须由另一位工作人员复核：录入人不能复核自己录入的选票。"), code="same_person")
        if election.status not in (Election.Status.OPEN, Election.Status.CLOSED):
            raise DomainError(_("计票结果已公布，不能再复核纸质选票。"), code="state")
        picked = checked_choices(election, paper.choices.get("posts", {}))
        answers = checked_motions(election, paper.choices.get("motions", {}))
        record_ballot(election=election, voter=paper.voter, picked=picked, motions=answers)
        paper.confirmed_by, paper.confirmed_at, paper.choices = actor, now or timezone.now(), {}
        paper.save(update_fields=["confirmed_by", "confirmed_at", "choices"])
        audit_election(actor, "paper_confirm", election, voter=paper.voter.name(), paper=paper.pk)
    return True


def paper_ballot_discard(*, actor, paper_id: int, reason: str = "") -> bool:
    """The checker finds the typing does not match the paper: the unconfirmed entry is removed (audited) and
    can be typed again. A confirmed paper ballot cannot be discarded."""
    paper = PaperBallot.objects.select_related("election").filter(pk=paper_id).first()
    if paper is None:
        return False
    if not policy.can(actor, "election.paper_confirm", paper.election):
        raise PermissionDenied
    with transaction.atomic():
        election = lock_election(paper.election)
        paper = PaperBallot.objects.select_for_update().select_related("voter").filter(pk=paper_id).first()
        if paper is None:
            return False
        if paper.is_confirmed:
            raise DomainError(_("这张纸质选票已复核计入，不能退回。"), code="confirmed")
        name = paper.voter.name()
        paper.delete()
        audit_election(actor, "paper_discard", election, voter=name, reason=(reason or "").strip()[:200])
    return True
