"""Meeting pages: the calendar, one meeting (agenda, RSVP, check-in, minutes, decisions, action items),
creating and editing series and meetings, moving and cancelling, proposing topics and reviewing them.
Thin: a selector or a service per view; a refused change comes back as a Chinese message."""
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.meetings import (
    AcceptForm, ActionItemForm, ActionToCaseForm, AgendaForm, DecisionForm, MeetingEditForm, MeetingForm,
    MinutesForm, MoveForm, ProposalForm, ReasonForm, SeriesForm,
)
from ..forms.recurrence import recurrence_initial
from ..picker import community_for
from ..models import ActionItem, AgendaItem, Meeting, MeetingSeries, TopicProposal
from ..policy import guard
from ..selectors import meetings as sel
from ..services import meeting_topics as topics
from ..services import meeting_series as ser
from ..services import meetings as svc
from ..services.errors import DomainError
from ..services.rooms import RoomClash

def _back(meeting_id):
    return redirect("communities:meeting_detail", pk=meeting_id)


def _say(request, outcome_changed: bool, done=None):
    if outcome_changed:
        messages.success(request, done or _("已保存。"))
    else:
        messages.info(request, _("没有变化，无需重复。"))


def domain_errors(view):
    """A refused change becomes a message on the meeting page; nothing was written."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _back(kwargs["pk"] if "pk" in kwargs else _meeting_of(kwargs))
    return wrapper


def _meeting_of(kwargs):
    model = AgendaItem if "change" in kwargs else ActionItem
    meeting_id = model.objects.filter(pk=kwargs["item_id"]).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    return meeting_id


def _community(request, action):
    """The community to act in (communities.picker) and the others the user may pick."""
    picked = community_for(request, action)
    return picked.community, picked.choices


# --- calendar and meeting page -------------------------------------------------------------------------

@guard("meeting.view")
def meeting_calendar(request):
    calendar = sel.meeting_calendar(user=request.user)
    user = request.user
    return render(request, "communities/meetings/meeting_calendar.html", {
        **calendar,
        "show_community": len(policy.memberships(user)) > 1 or policy.is_town(user),
        "may_create": policy.can(user, "meeting.create"),
        "may_propose": policy.can(user, "meeting.propose"),
        "may_review": policy.can(user, "meeting.review"),
    })


@guard("meeting.view")
def meeting_detail(request, pk):
    meeting = sel.meeting_for(user=request.user, meeting_id=pk)
    context = sel.meeting_page(user=request.user, meeting=meeting)
    if context["may_manage"]:
        people = sel.community_people(community=meeting.community)
        context.update({
            "agenda_form": AgendaForm(), "minutes_form": MinutesForm(initial={
                "text": context["minutes"].text if context["minutes"] else ""}),
            "decision_form": DecisionForm(), "action_form": ActionItemForm(meeting=meeting, people=people),
            "cancel_form": ReasonForm(),
        })
    return render(request, "communities/meetings/meeting_detail.html", context)


# --- taking part ------------------------------------------------------------------------------------

@guard("meeting.view")
@require_POST
@domain_errors
def meeting_rsvp(request, pk):
    sel.meeting_for(user=request.user, meeting_id=pk)
    outcome = svc.meeting_rsvp(meeting_id=pk, user=request.user, response=request.POST.get("response", ""))
    _say(request, outcome.changed, _("已记录您的答复。"))
    return _back(pk)


@guard("meeting.view")
@require_POST
@domain_errors
def meeting_check_in(request, pk):
    meeting = sel.meeting_for(user=request.user, meeting_id=pk)
    user = request.user
    if request.POST.get("user", "").isdigit() and int(request.POST["user"]) != user.pk:
        user = sel.community_people(community=meeting.community).filter(pk=request.POST["user"]).first()
        if user is None:
            raise DomainError(_("只能为本社区的人员或受邀人签到。"))
    outcome = svc.meeting_check_in(meeting_id=pk, actor=request.user, user=user)
    _say(request, outcome.changed, _("已签到。"))
    return _back(pk)


# --- organiser: agenda, minutes, decisions, action items ---------------------------------------------

def _form_or_error(request, form):
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        raise DomainError("；".join(errors) or _("请检查填写的内容。"))
    return form.cleaned_data


@guard("meeting.manage")
@require_POST
@domain_errors
def agenda_add(request, pk):
    sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    data = _form_or_error(request, AgendaForm(request.POST))
    svc.agenda_item_add(meeting_id=pk, actor=request.user, title=data["title"])
    messages.success(request, _("议题已加入议程。"))
    return _back(pk)


@guard("meeting.manage")
@require_POST
@domain_errors
def agenda_change(request, item_id, change):
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None or change not in ("up", "down", "remove"):
        raise Http404
    sel.meeting_for(user=request.user, meeting_id=item.meeting_id, action="meeting.manage")
    if change == "remove":
        svc.agenda_item_remove(item_id=item_id, actor=request.user)
    else:
        svc.agenda_item_move(item_id=item_id, actor=request.user, up=change == "up")
    return _back(item.meeting_id)


@guard("meeting.manage")
@require_POST
@domain_errors
def minutes_file(request, pk):
    sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    data = _form_or_error(request, MinutesForm(request.POST))
    _say(request, svc.minutes_file(meeting_id=pk, actor=request.user, text=data["text"]).changed,
         _("会议纪要已保存。"))
    return _back(pk)


@guard("meeting.manage")
@require_POST
@domain_errors
def decision_add(request, pk):
    sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    data = _form_or_error(request, DecisionForm(request.POST))
    svc.decision_record(meeting_id=pk, actor=request.user, text=data["text"])
    messages.success(request, _("决定已记录。"))
    return _back(pk)


@guard("meeting.manage")
@require_POST
@domain_errors
def action_add(request, pk):
    meeting = sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    form = ActionItemForm(request.POST, meeting=meeting, people=sel.community_people(community=meeting.community))
    data = _form_or_error(request, form)
    svc.action_item_create(meeting_id=pk, actor=request.user, title=data["title"], owner=data["owner"],
                           due_on=data["due_on"], decision=data.get("decision"), unit=data.get("unit"))
    messages.success(request, _("待办事项已记录，负责人会收到通知。"))
    return _back(pk)


def _item_for(request, item_id, action):
    item = ActionItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item, sel.meeting_for(user=request.user, meeting_id=item.meeting_id, action=action)


@guard("meeting.view")
@require_POST
@domain_errors
def action_done(request, item_id):
    item, _meeting = _item_for(request, item_id, "meeting.view")
    _say(request, svc.action_item_complete(item_id=item_id, actor=request.user).changed, _("已标记完成。"))
    return _back(item.meeting_id)


@guard("meeting.manage")
def action_to_case(request, item_id):
    """转为诉求: choose a category, then the existing filing service files the case."""
    item, meeting = _item_for(request, item_id, "meeting.manage")
    if item.case_id:
        messages.info(request, _("这项待办已经转为诉求。"))
        return redirect("communities:case_detail", pk=item.case_id)
    initial = {"description": _("%(title)s（来自会议：%(meeting)s）") % {"title": item.title, "meeting": meeting.title}}
    form = ActionToCaseForm(request.POST or None, community=meeting.community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.action_item_to_case(item_id=item.pk, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            item.refresh_from_db()
            messages.success(request, _("已转为诉求 #%(id)s。") % {"id": item.case_id})
            return redirect("communities:case_detail", pk=item.case_id)
    return render(request, "communities/meetings/action_to_case.html", {"form": form, "item": item,
                                                                         "meeting": meeting},
                  status=400 if request.method == "POST" else 200)


# --- creating, editing, moving, cancelling ------------------------------------------------------------

@guard("meeting.create")
def series_new(request):
    community, communities = _community(request, "meeting.create")
    people = sel.community_people(community=community)
    form = SeriesForm(request.POST or None, community=community, people=people,
                      initial={"organiser": request.user.pk, "active": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ser.series_create(
                actor=request.user, community=community, title=d["title"], kind=d["kind"], rrule=d["rrule"],
                first_starts_at=d["first_starts_at"], duration_minutes=d["duration_minutes"], venue=d["venue"],
                organiser=d["organiser"], standing_topics=d["standing_topics"], invited_users=d["invited_users"],
                invited_teams=d["invited_teams"], invited_agencies=d["invited_agencies"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("例会已创建，已生成接下来两个月的会议。"))
            return redirect("communities:meeting_calendar")
    return render(request, "communities/meetings/series_form.html", {
        "form": form, "community": community, "communities": communities, "series": None,
    }, status=400 if request.method == "POST" else 200)


@guard("meeting.manage")
def series_edit(request, pk):
    series = policy.get_object_or_404_for(request.user, "meeting.manage",
                                          MeetingSeries.objects.select_related("community"), pk=pk)
    people = sel.community_people(community=series.community)
    initial = {
        "title": series.title, "kind": series.kind, **recurrence_initial(series.rrule),
        "first_date": timezone.localtime(series.first_starts_at).date(), "venue": series.venue,
        "start_time": timezone.localtime(series.first_starts_at).time(), "duration_minutes": series.duration_minutes,
        "organiser": series.organiser_id, "standing_topics": "\n".join(series.standing_topics),
        "invited_users": list(series.invited_users.all()), "invited_teams": list(series.invited_teams.all()),
        "invited_agencies": list(series.invited_agencies.all()), "active": series.active,
    }
    form = SeriesForm(request.POST or None, community=series.community, people=people, initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ser.series_update(
                actor=request.user, series_id=series.pk, title=d["title"], rrule=d["rrule"],
                first_starts_at=d["first_starts_at"], duration_minutes=d["duration_minutes"], venue=d["venue"],
                organiser=d["organiser"], standing_topics=d["standing_topics"], invited_users=d["invited_users"],
                invited_teams=d["invited_teams"], invited_agencies=d["invited_agencies"], active=d["active"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("例会已修改：以后未改动的会议已按新安排更新。"))
            return redirect("communities:meeting_calendar")
    return render(request, "communities/meetings/series_form.html", {
        "form": form, "community": series.community, "communities": [], "series": series,
    }, status=400 if request.method == "POST" else 200)


@guard("meeting.create")
def meeting_new(request):
    community, communities = _community(request, "meeting.create")
    people = sel.community_people(community=community)
    form = MeetingForm(request.POST or None, community=community, people=people,
                       initial={"organiser": request.user.pk})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = svc.meeting_create(
                actor=request.user, community=community, title=d["title"], kind=d["kind"], venue=d["venue"],
                starts_at=d["starts_at"], ends_at=d["ends_at"], organiser=d["organiser"],
                invited_users=d["invited_users"], invited_teams=d["invited_teams"],
                invited_agencies=d["invited_agencies"], agenda=d["agenda"], room=d["room"])
        except RoomClash as exc:
            form.add_error("start_time", exc.message)  # the room is taken at that time: said by the time
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("会议已创建，受邀人已收到通知。"))
            return _back(meeting.pk)
    return render(request, "communities/meetings/meeting_form.html", {
        "form": form, "community": community, "communities": communities, "meeting": None,
    }, status=400 if request.method == "POST" else 200)


@guard("meeting.manage")
def meeting_edit(request, pk):
    meeting = sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    people = sel.community_people(community=meeting.community)
    form = MeetingEditForm(request.POST or None, community=meeting.community, people=people,
                           initial={"title": meeting.title, "organiser": meeting.organiser_id})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = svc.meeting_update(actor=request.user, meeting_id=pk, title=d["title"], organiser=d["organiser"],
                                         invited_users=d["invited_users"], invited_teams=d["invited_teams"],
                                         invited_agencies=d["invited_agencies"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            _say(request, outcome.changed)
            return _back(pk)
    return render(request, "communities/meetings/meeting_form.html", {
        "form": form, "community": meeting.community, "communities": [], "meeting": meeting,
    }, status=400 if request.method == "POST" else 200)


@guard("meeting.manage")
def meeting_move(request, pk):
    meeting = sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    form = MoveForm.for_meeting(meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = svc.meeting_move(meeting_id=pk, actor=request.user, starts_at=d["starts_at"],
                                       ends_at=d["ends_at"], venue=d["venue"], reason=d["reason"], room=d["room"])
        except RoomClash as exc:
            form.add_error("start_time", exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            _say(request, outcome.changed, _("会议已改期，受邀人已收到通知。"))
            return _back(pk)
    return render(request, "communities/meetings/meeting_move.html", {"form": form, "meeting": meeting},
                  status=400 if request.method == "POST" else 200)


@guard("meeting.manage")
@require_POST
@domain_errors
def meeting_cancel(request, pk):
    sel.meeting_for(user=request.user, meeting_id=pk, action="meeting.manage")
    data = _form_or_error(request, ReasonForm(request.POST))
    _say(request, svc.meeting_cancel(meeting_id=pk, actor=request.user, reason=data["reason"]).changed,
         _("会议已取消，受邀人已收到通知。"))
    return _back(pk)


# --- topic proposals ---------------------------------------------------------------------------------

@guard("meeting.propose")
def topic_propose(request):
    community, communities = _community(request, "meeting.propose")
    meetings = sel.upcoming_visible(user=request.user, community=community)
    initial = {"meeting": request.GET.get("meeting")} if request.GET.get("meeting", "").isdigit() else {}
    form = ProposalForm(request.POST or None, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            topics.topic_propose(actor=request.user, community=community, text=form.cleaned_data["text"],
                                 meeting=form.cleaned_data["meeting"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("谢谢您的提议！召集人处理后会通知您。"))
            return redirect("communities:topic_propose")
    return render(request, "communities/meetings/topic_propose.html", {
        "form": form, "community": community, "communities": communities,
        "mine": sel.my_proposals(user=request.user)[:20],
    }, status=400 if request.method == "POST" else 200)


@guard("meeting.review")
def proposal_queue(request):
    proposals = list(sel.proposals_to_review(user=request.user)[:100])
    # One query per community (not per proposal) for the meetings a topic can go to.
    choices = {}
    for proposal in proposals:
        if proposal.community_id not in choices:
            meetings = sel.meetings_to_manage(user=request.user, community=proposal.community)
            choices[proposal.community_id] = [("", _("请选择"))] + [(m.pk, str(m)) for m in meetings]
    rows = []
    for proposal in proposals:
        accept = AcceptForm(meetings=Meeting.objects.none(), auto_id=f"id_accept_{proposal.pk}_%s",
                            initial={"meeting": proposal.meeting_id})
        accept.fields["meeting"].choices = choices[proposal.community_id]
        rows.append((proposal, accept, ReasonForm(auto_id=f"id_decline_{proposal.pk}_%s")))
    return render(request, "communities/meetings/proposal_queue.html", {"rows": rows})


def _proposal_for(request, pk) -> TopicProposal:
    proposal = TopicProposal.objects.select_related("meeting", "community").filter(pk=pk).first()
    if proposal is None or not (policy.is_town(request.user) or policy.roles_in(request.user, proposal.community)):
        raise Http404
    return proposal


def _after_review(request, proposal):
    if request.POST.get("next") == "meeting" and proposal.meeting_id:
        return _back(proposal.meeting_id)
    if policy.can(request.user, "meeting.review"):
        return redirect("communities:proposal_queue")
    return _back(proposal.meeting_id) if proposal.meeting_id else redirect("communities:meeting_calendar")


@guard("meeting.manage")
@require_POST
def proposal_accept(request, pk):
    proposal = _proposal_for(request, pk)
    meeting_id = request.POST.get("meeting", "")
    try:
        if not meeting_id.isdigit():
            raise DomainError(_("请选择要列入议程的会议。"))
        outcome = topics.proposal_accept(proposal_id=pk, actor=request.user, meeting_id=int(meeting_id))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _after_review(request, proposal)
    _say(request, outcome.changed, _("已列入议程，提议人会收到通知。"))
    proposal.refresh_from_db()
    return _after_review(request, proposal)


@guard("meeting.manage")
@require_POST
def proposal_decline(request, pk):
    proposal = _proposal_for(request, pk)
    try:
        outcome = topics.proposal_decline(proposal_id=pk, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _after_review(request, proposal)
    _say(request, outcome.changed, _("已回复提议人。"))
    return _after_review(request, proposal)

