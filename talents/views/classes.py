"""Pages of the classes area: the class page with enrol / waitlist / offer, my classes, my children, the host's
class form, session changes and attendance, the staff's waitlist and lottery pages, the printable poster."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.policy import guard
from communities.selectors.personal_data import Subject
from communities.services.errors import DomainError
from communities.services.personal_data import reveal_values

from ..enrolment_workflow import ENROLMENT, EVENT_LABELS, HOLDER
from ..forms.classes import (
    ChildForm, ClassForm, EnrolForm, MoveForm, ReasonForm, StaffMoveForm, class_initial,
)
from ..lottery import lottery_order
from ..models import ClassSession, Enrolment, EnrolmentEvent, Studio, TalentClass
from ..policies.classes import hosted_team_ids
from ..selectors import classes as sel
from ..services import children as child_services
from ..services import classes as class_services
from ..services import enrolment as svc
from ..services import sessions as session_services


def _class(request, pk, action="talents.class.view"):
    return policy.get_object_or_404_for(request.user, action, sel.class_for_page(), pk=pk)


def _session(request, pk, action):
    return policy.get_object_or_404_for(
        request.user, action, ClassSession.objects.select_related("talent_class__studio__team__community"), pk=pk)


def _own_entry(request, pk) -> Enrolment:
    entry = policy.get_object_or_404_for(request.user, "talents.class.enrol",
                                         Enrolment.objects.select_related("talent_class__studio__team"), pk=pk)
    if entry.account_id != request.user.pk:
        raise Http404  # someone else's entry: its existence is not told
    return entry


def _back(request, talent_class):
    return redirect("talents:class_detail", pk=talent_class.pk)


@guard("talents.class.view")
def class_list(request):
    classes = sel.classes_listed(user=request.user, now=timezone.now())
    return render(request, "talents/class_list.html", {
        "classes": classes, "can_enrol": policy.can(request.user, "talents.class.enrol"),
        "can_children": policy.can(request.user, "talents.child.manage")})


@guard("talents.class.view")
def class_detail(request, pk):
    talent_class = _class(request, pk)
    if talent_class.status == TalentClass.Status.DRAFT and not policy.can(request.user, "talents.class.manage",
                                                                          talent_class):
        raise Http404  # a draft is the host's until it opens
    now = timezone.now()
    page = sel.class_page(talent_class=talent_class, user=request.user, now=now)
    user = request.user
    can_manage = policy.can(user, "talents.class.manage", talent_class)
    feature_studios = [s for s in Studio.objects.filter(team_id__in=hosted_team_ids(user),
                                                        team__community_id=talent_class.studio.team.community_id)
                       .exclude(pk=talent_class.studio_id).select_related("team")] if hosted_team_ids(user) else []
    return render(request, "talents/class_detail.html", {
        "c": talent_class, "page": page, "now": now,
        "form": EnrolForm(people=page.people) if page.people else None,
        "can_enrol": policy.can(user, "talents.class.enrol", talent_class),
        "can_manage": can_manage, "can_staff": policy.can(user, "talents.class.staff_move", talent_class),
        "can_attend": policy.can(user, "talents.class.attendance", talent_class),
        "feature_studios": feature_studios, "event_labels": EVENT_LABELS,
        "holder_actions": {e.pk: [t.action for t in ENROLMENT.actions_for(e.status, {HOLDER})] for e in page.entries},
    })


@guard("talents.class.enrol")
@require_POST
def class_enrol(request, pk):
    talent_class = _class(request, pk, "talents.class.enrol")
    people = sel.my_people(user=request.user, community_id=talent_class.studio.team.community_id)
    form = EnrolForm(request.POST, people=people)
    if not form.is_valid():
        for error in form.errors.get("people", []):
            messages.error(request, error)
        return _back(request, talent_class)
    try:
        entry, created = svc.enrolment_request(talent_class=talent_class, actor=request.user,
                                               person_ids=form.cleaned_data["people"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request, talent_class)
    if not created:
        messages.info(request, _("您已经报过名了（%(status)s），没有重复报名。") % {"status": entry.get_status_display()})
    elif entry.status == Enrolment.Status.ENROLLED:
        messages.success(request, _("报名成功。"))
    elif entry.status == Enrolment.Status.REQUESTED:
        messages.success(request, _("已登记，开始报名时抽签，结果会发到您的消息里。"))
    else:
        messages.info(request, _("名额已满，已进入候补。有人退出时会按顺序通知您。"))
    return _back(request, talent_class)


@guard("talents.class.enrol")
@require_POST
def entry_leave(request, pk):
    entry = _own_entry(request, pk)
    left = svc.enrolment_leave(entry_id=entry.pk, actor=request.user)
    messages.success(request, _("已退出，名额会留给候补的人。") if left else _("您已经退出了。"))
    return _back(request, entry.talent_class)


@guard("talents.class.enrol")
@require_POST
def entry_accept(request, pk):
    entry = _own_entry(request, pk)
    try:
        outcome = svc.offer_accept(entry_id=entry.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if outcome == svc.TOO_LATE:
            messages.error(request, _("名额保留已过期，已顺延给下一位。您可以重新报名排队。"))
        else:
            messages.success(request, _("报名成功。") if outcome == svc.ACCEPTED else _("您已经报名成功了。"))
    return _back(request, entry.talent_class)


@guard("talents.class.enrol")
@require_POST
def entry_decline(request, pk):
    entry = _own_entry(request, pk)
    try:
        declined = svc.offer_decline(entry_id=entry.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("已放弃名额，名额顺延给下一位。") if declined else _("您已经放弃了这个名额。"))
    return _back(request, entry.talent_class)


@guard("talents.class.view")
def entry_detail(request, pk):
    entry = policy.get_object_or_404_for(request.user, "talents.class.view", sel.entry_for_page(), pk=pk)
    if not (entry.account_id == request.user.pk or policy.can(request.user, "talents.class.manage", entry)):
        raise Http404
    return render(request, "talents/entry_detail.html", {"entry": entry, "event_labels": EVENT_LABELS})


@guard("talents.class.view")
def class_poster(request, pk):
    import segno

    talent_class = _class(request, pk)
    url = request.build_absolute_uri(reverse("talents:class_detail", args=[talent_class.pk]))
    title = _("扫码查看“%(title)s”并报名") % {"title": talent_class.title}
    svg = segno.make(url, error="m").svg_inline(scale=6, omitsize=True, svgclass="qr-code", title=title)
    page = sel.class_page(talent_class=talent_class, user=request.user, now=timezone.now())
    return render(request, "talents/class_poster.html", {
        "c": talent_class, "page": page, "url": url, "svg": svg.replace("<svg ", '<svg role="img" ', 1)})


# --- the host's pages ---------------------------------------------------------------------------------------------

def _teacher_choices(studio):
    """Who may teach a studio's class: its hosts in office and its members."""
    from django.db.models import Q

    from communities.models import User

    return (User.objects.filter(Q(backbone_terms__team_id=studio.team_id, backbone_terms__term_end__isnull=True)
                                | Q(team_memberships__team_id=studio.team_id, team_memberships__left_at__isnull=True))
            .select_related("person").distinct().order_by("pk"))


def _save_class(request, *, studio, talent_class=None):
    from communities.selectors.rooms import rooms_of

    from ..selectors.merchants import merchants_listed

    community = studio.team.community
    form = ClassForm(request.POST or None, teacher_choices=_teacher_choices(studio),
                     rooms=rooms_of(community=community, active_only=True),
                     merchants=merchants_listed(community=community),
                     initial=class_initial(talent_class) if talent_class else {"status": TalentClass.Status.OPEN})
    if request.method == "POST" and form.is_valid():
        data, teachers = form.cleaned_data, form.cleaned_data.get("teachers")
        try:
            if talent_class is None:
                talent_class = class_services.class_create(studio=studio, actor=request.user, data=data,
                                                           teachers=teachers or None)
                messages.success(request, _("课程已创建，已生成接下来四周的课次。"))
            else:
                changed = class_services.class_update(talent_class=talent_class, actor=request.user, data=data,
                                                      teachers=teachers or None)
                messages.success(request, _("已保存。") if changed else _("没有改动。"))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("talents:class_detail", pk=talent_class.pk)
    return render(request, "talents/class_form.html", {"form": form, "studio": studio, "c": talent_class})


@guard("talents.class.manage")
def class_new(request, slug):
    studio = policy.get_object_or_404_for(request.user, "talents.class.manage",
                                          Studio.objects.select_related("team__community"), slug=slug)
    return _save_class(request, studio=studio)


@guard("talents.class.manage")
def class_edit(request, pk):
    talent_class = _class(request, pk, "talents.class.manage")
    return _save_class(request, studio=talent_class.studio, talent_class=talent_class)


@guard("talents.class.manage")
def class_waitlist(request, pk):
    talent_class = _class(request, pk, "talents.class.manage")
    return render(request, "talents/class_waitlist.html", {
        "c": talent_class, "entries": sel.waitlist(talent_class=talent_class), "event_labels": EVENT_LABELS,
        "seats_taken": svc.seats_taken(talent_class), "move_form": StaffMoveForm(),
        "can_staff": policy.can(request.user, "talents.class.staff_move", talent_class)})


@guard("talents.class.staff_move")
@require_POST
def entry_staff_move(request, pk):
    entry = policy.get_object_or_404_for(request.user, "talents.class.staff_move",
                                         Enrolment.objects.select_related("talent_class__studio__team"), pk=pk)
    form = StaffMoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("talents:class_waitlist", pk=entry.talent_class_id)
    try:
        moved = svc.enrolment_staff_move(entry_id=entry.pk, actor=request.user, to=form.cleaned_data["to"],
                                         reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已调整，原因已记入报名记录。") if moved else _("这条报名已经在那里了，没有改动。"))
    return redirect("talents:class_waitlist", pk=entry.talent_class_id)


@guard("talents.class.staff_move")
def class_lottery(request, pk):
    talent_class = _class(request, pk, "talents.class.staff_move")
    if request.method == "POST":
        try:
            drawn = svc.class_lottery_draw(talent_class_id=talent_class.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已抽签。") if drawn else _("这门课已经抽过签了。"))
        return redirect("talents:class_lottery", pk=talent_class.pk)
    drawn_ids = list(EnrolmentEvent.objects.filter(enrolment__talent_class=talent_class, action="draw")
                     .values_list("enrolment_id", flat=True))
    recomputed = lottery_order(drawn_ids, talent_class.lottery_seed) if talent_class.lottery_seed is not None else []
    entries = {e.pk: e for e in Enrolment.objects.filter(pk__in=drawn_ids).select_related("account__person")}
    return render(request, "talents/class_lottery.html", {
        "c": talent_class, "recomputed": recomputed, "matches": recomputed == list(talent_class.lottery_order),
        "rows": [(rank, entries[pk]) for rank, pk in enumerate(talent_class.lottery_order, start=1) if pk in entries],
        "requested": Enrolment.objects.filter(talent_class=talent_class, status=Enrolment.Status.REQUESTED).count(),
        "now": timezone.now()})


@guard("talents.class.manage")
@require_POST
def class_feature(request, pk):
    talent_class = _class(request, pk)
    studio = policy.get_object_or_404_for(request.user, "talents.class.manage",
                                          Studio.objects.select_related("team"), pk=request.POST.get("studio") or 0)
    on = request.POST.get("on", "1") == "1"
    try:
        class_services.class_feature(talent_class=talent_class, studio=studio, actor=request.user, on=on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已推荐到 %(studio)s 的页面和本周活动。") % {"studio": studio} if on
                         else _("已取消推荐。"))
    return _back(request, talent_class)


@guard("talents.class.enrol")
@require_POST
def photo_consent(request, pk):
    talent_class = _class(request, pk, "talents.class.enrol")
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    consented = request.POST.get("consented") == "1"
    try:
        class_services.photo_consent_set(talent_class=talent_class, person_id=person_id, actor=request.user,
                                         consented=consented)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已同意发布照片。") if consented else _("已设为不同意发布照片。"))
    return _back(request, talent_class)


# --- sessions ---------------------------------------------------------------------------------------------------

@guard("talents.class.manage")
def session_cancel(request, pk):
    session = _session(request, pk, "talents.class.manage")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = session_services.session_cancel(session_id=session.pk, actor=request.user,
                                                   reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已取消，已通知报名的人。") if done else _("这次课已经取消了。"))
            return redirect("talents:class_detail", pk=session.talent_class_id)
    return render(request, "talents/session_change.html", {"session": session, "form": form, "cancel": True})


@guard("talents.class.manage")
def session_move(request, pk):
    session = _session(request, pk, "talents.class.manage")
    local = timezone.localtime(session.starts_at)
    form = MoveForm(request.POST or None, initial={
        "day": local.date(), "start_time": local.time(), "end_time": timezone.localtime(session.ends_at).time()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = session_services.session_move(session_id=session.pk, actor=request.user, starts_at=data["starts_at"],
                                                 ends_at=data["ends_at"], reason=data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已调整时间，已通知报名的人。") if done else _("时间没有变化。"))
            return redirect("talents:class_detail", pk=session.talent_class_id)
    return render(request, "talents/session_change.html", {"session": session, "form": form, "cancel": False})


@guard("talents.class.attendance")
def session_attendance(request, pk):
    session = _session(request, pk, "talents.class.attendance")
    rows = sel.attendance_sheet(session=session)
    community_id = session.talent_class.studio.team.community_id
    subjects = [Subject(key=row.person.pk, person=row.person, value=row.pickup.pickup_phone,
                        community_id=community_id, target=session.talent_class,
                        decided_by=("class", session.talent_class_id))
                for row in rows if row.pickup is not None]
    phones = reveal_values(viewer=request.user, subjects=subjects, action="talents.child.contact",
                           purpose=_("课程点名：孩子的接送联系人")) if subjects else {}
    return render(request, "talents/session_attendance.html", {
        "session": session, "c": session.talent_class, "rows": rows, "phones": phones,
        "present_count": sum(1 for r in rows if r.present)})


@guard("talents.class.attendance")
@require_POST
def attendance_mark(request, pk):
    session = _session(request, pk, "talents.class.attendance")
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    present = request.POST.get("present") == "1"
    try:
        session_services.attendance_mark(session_id=session.pk, actor=request.user, person_id=person_id,
                                         present=present)
    except DomainError as exc:
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"error": exc.message}, status=400)
        messages.error(request, exc.message)
    else:
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"person": person_id, "present": present})
    return redirect("talents:session_attendance", pk=session.pk)


@guard("talents.class.attendance")
@require_POST
def attendance_close(request, pk):
    session = _session(request, pk, "talents.class.attendance")
    try:
        closed = session_services.attendance_close(session_id=session.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if not closed:
            messages.info(request, _("这次课已经结束并记录过了。"))
        elif session.talent_class.kind == TalentClass.Kind.FREE:
            messages.success(request, _("已结束并记录，授课老师的志愿服务时长已记入平台记录。"))
        else:
            messages.success(request, _("已结束并记录。体验课不记志愿服务时长。"))
    return redirect("talents:session_attendance", pk=session.pk)


# --- mine -----------------------------------------------------------------------------------------------------

@guard("talents.class.enrol")
def my_classes(request):
    return render(request, "talents/my_classes.html", {
        "entries": sel.my_entries(user=request.user),
        "children": child_services.my_children(guardian=request.user)})


@guard("talents.child.manage")
def my_children(request):
    communities = list(policy.communities_for(request.user, "talents.child.manage"))
    if not communities:
        raise PermissionDenied
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child_services.child_add(guardian=request.user, community=communities[0], name=data["name"],
                                     birth_year=data["birth_year"], birth_month=data["birth_month"],
                                     relation=data["relation"], pickup_phone=data["pickup_phone"],
                                     consent=data["consent"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记。现在可以在课程页面为孩子报名了。"))
            return redirect("talents:my_children")
    return render(request, "talents/my_children.html", {
        "form": form, "children": child_services.my_children(guardian=request.user), "today": timezone.localdate()})
