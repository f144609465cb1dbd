"""Topic proposals (定题): a resident proposes a topic ahead of a meeting; the organiser (or the
committee) accepts it into the agenda of a chosen meeting, or declines it with a reason. The
proposer is told either way."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Meeting, MeetingInvite, TopicProposal
from ..selectors.places import users_with_role
from .errors import DomainError
from .meetings import Outcome, append_agenda, lock_meeting, need, refuse_state, tell, when
from .notifications import notify
from .texts import deferred


def _review_url() -> str:
    return reverse("communities:proposal_queue")


def _propose_url() -> str:
    return reverse("communities:topic_propose")


def topic_propose(*, actor, community, text: str, meeting: Meeting | None = None, now=None) -> TopicProposal:
    now = now or timezone.now()
    if not policy.can(actor, "meeting.propose", community):
        raise PermissionDenied
    text = need(text, _("请写下您想讨论的议题。"), 1000)
    if meeting is not None:
        if meeting.community_id != community.pk or not policy.can(actor, "meeting.view", meeting):
            raise DomainError(_("请选择本社区即将召开的会议。"), code="meeting")
        if not meeting.is_upcoming or meeting.starts_at <= now:
            raise DomainError(_("这次会议已经开始、结束或取消，请选择其他会议。"), code="meeting")
    with transaction.atomic():
        proposal = TopicProposal.objects.create(community=community, meeting=meeting, proposed_by=actor, text=text,
                                                created_at=now)
        title = deferred(gettext_lazy("新的议题提议：%(text)s"), text=text[:40])
        if meeting is not None:
            tell([meeting.organiser], meeting=meeting, actor=actor, title=title, body=text)
        else:
            for user in users_with_role(community_id=community.pk):
                if user.pk != actor.pk:
                    notify(recipient=user, title=title, body=text, url=_review_url())
    return proposal


def proposal_accept(*, proposal_id: int, actor, meeting_id: int, now=None) -> Outcome:
    """Put the proposal on the agenda of ``meeting_id`` (which the actor must organise or lead)."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = TopicProposal.objects.select_for_update().select_related("proposed_by").filter(
            pk=proposal_id).first()
        if proposal is None:
            raise TopicProposal.DoesNotExist
        meeting = Meeting.objects.filter(pk=meeting_id, community_id=proposal.community_id).first()
        if meeting is None:
            raise DomainError(_("请选择本社区即将召开的会议。"), code="meeting")
        meeting = lock_meeting(meeting.pk)
        if not policy.can(actor, "meeting.manage", meeting):
            raise PermissionDenied
        if proposal.status == TopicProposal.Status.ACCEPTED and proposal.meeting_id == meeting.pk:
            return Outcome(proposal, False)
        if proposal.status != TopicProposal.Status.PROPOSED:
            raise DomainError(_("这条提议已经处理过了。"), code="state")
        if not meeting.allows("edit") or meeting.starts_at <= now:
            raise refuse_state(meeting)
        proposal.status, proposal.meeting = TopicProposal.Status.ACCEPTED, meeting
        proposal.decided_by, proposal.decided_at = actor, now
        proposal.save(update_fields=["status", "meeting", "decided_by", "decided_at"])
        append_agenda(meeting, actor, proposal.text[:300], proposal)
        # The proposer is invited to the meeting that takes up their topic: they may see it, speak to
        # it, and are reminded like everyone else (people who raise problems are tomorrow's helpers).
        MeetingInvite.objects.get_or_create(meeting=meeting, user=proposal.proposed_by)
        tell([proposal.proposed_by], meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("您提议的议题已列入会议议程：%(title)s"), title=meeting.title),
             body=deferred(gettext_lazy("议题：%(text)s\n时间：%(when)s\n地点：%(venue)s"), text=proposal.text,
                           when=when(meeting.starts_at), venue=meeting.venue))
    return Outcome(proposal, True)


def may_decline(user, proposal: TopicProposal) -> bool:
    if proposal.meeting_id and policy.can(user, "meeting.manage", proposal.meeting):
        return True
    return policy.can(user, "meeting.review", proposal)


def proposal_decline(*, proposal_id: int, actor, reason: str, now=None) -> Outcome:
    now = now or timezone.now()
    reason = need(reason, _("请写明不采纳的原因，提议人会看到。"), 500)
    with transaction.atomic():
        proposal = TopicProposal.objects.select_for_update(of=("self",)).select_related(
            "proposed_by", "meeting").filter(pk=proposal_id).first()
        if proposal is None:
            raise TopicProposal.DoesNotExist
        if not may_decline(actor, proposal):
            raise PermissionDenied
        if proposal.status == TopicProposal.Status.DECLINED:
            return Outcome(proposal, False)
        if proposal.status != TopicProposal.Status.PROPOSED:
            raise DomainError(_("这条提议已经列入议程，请先从议程中移除。"), code="state")
        proposal.status, proposal.decline_reason = TopicProposal.Status.DECLINED, reason
        proposal.decided_by, proposal.decided_at = actor, now
        proposal.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        notify(recipient=proposal.proposed_by,
               title=deferred(gettext_lazy("您提议的议题未被采纳：%(text)s"), text=proposal.text[:40]),
               body=reason, url=_propose_url())
    return Outcome(proposal, True)
