"""Volunteer-hours pages: a volunteer's 平台记录, the organiser's review queue, manual entry, corrections, the
export for the national volunteer system, and the certificate register with its public notice and PDF.
Thin views over communities.selectors.hours and communities.services.hours."""
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import policy
from ..dates import parse_month
from ..exports import attachment_disposition, xlsx_response
from ..forms.hours import (
    CertificateProposeForm, ConfirmForm, CorrectForm, CorrectionRequestForm, ManualHoursForm, NoteForm, ReviewForm,
    VoidForm,
)
from ..hours_pdf import certificate_pdf
from ..models import HoursCorrectionRequest, VolunteerCertificate, VolunteerHours
from ..picker import community_for, community_url
from ..policy import guard
from ..selectors import hours as sel
from ..services import hours as svc
from ..services.audit import audit
from ..services.errors import DomainError
from ..services.personal_data import export_values


def _month(request) -> dt.date:
    return parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)


def _shift_month(month: dt.date, delta: int) -> str:
    index = month.year * 12 + month.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _entry(request, pk, action) -> VolunteerHours:
    return policy.get_object_or_404_for(request.user, action, VolunteerHours.objects.select_related("community"),
                                        pk=pk)


def _done(request, changed: bool, done: str, again: str) -> None:
    (messages.success if changed else messages.info)(request, done if changed else again)


# --- the volunteer --------------------------------------------------------------------------------------

@guard("hours.view_own")
def hours_mine(request):
    return render(request, "communities/hours/mine.html", {
        "months": sel.my_hours(user=request.user), "total_hours": round(sel.total_minutes(user=request.user) / 60, 2),
        "certificates": sel.my_certificates(user=request.user), "request_form": CorrectionRequestForm(),
        "can_manage": policy.can(request.user, "hours.manage"),
        # The review page's own test (hours_review): staff, or a backbone of a team whose entries wait for them.
        "can_confirm": policy.can(request.user, "hours.manage") or sel.leads_a_team(user=request.user),
    })


@guard("hours.view_own")
@require_POST
def hours_request_correction(request, pk):
    # Only one's own entries are ever found: someone else's id reads as not found.
    entry = VolunteerHours.objects.filter(pk=pk, volunteer=request.user).first()
    if entry is None:
        raise Http404
    form = CorrectionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明哪里有误、应当是多少（最多 1000 字）。"))
        return redirect("communities:hours_mine")
    try:
        _req, created = svc.hours_correction_request(entry=entry, actor=request.user,
                                                     message=form.cleaned_data["message"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, created, _("已提交更正申请，居委会核实后更正，原记录会保留。"),
              _("这条记录已有一份更正申请在处理中。"))
    return redirect("communities:hours_mine")


# --- the organiser --------------------------------------------------------------------------------------

@guard("hours.confirm")
def hours_review(request):
    queue = sel.review_queue(user=request.user)
    if not (policy.can(request.user, "hours.manage") or sel.leads_a_team(user=request.user)):
        raise PermissionDenied
    month_entries, picked = [], None
    if policy.can(request.user, "hours.manage"):
        picked = community_for(request, "hours.manage")
        month = _month(request)
        month_entries = list(sel.community_month_entries(community=picked.community, month=month))
    else:
        month = None
    return render(request, "communities/hours/review.html", {
        **queue, "confirm_form": ConfirmForm(), "review_form": ReviewForm(), "note_form": NoteForm(),
        "picked": picked, "community": picked.community if picked else None, "month": month,
        "month_entries": month_entries,
        "previous_month": _shift_month(month, -1) if month else "", "next_month": _shift_month(month, 1) if month else "",
    })


def _back_to_review(request):
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/hours/") else reverse("communities:hours_review"))


@guard("hours.confirm")
@require_POST
def hours_confirm_view(request, pk):
    entry = _entry(request, pk, "hours.confirm")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择确认方式。"))
        return _back_to_review(request)
    try:
        changed = svc.hours_confirm(entry=entry, actor=request.user, how=form.cleaned_data["how"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, changed, _("已确认这条志愿时长。"), _("这条志愿时长您已确认过。"))
    return _back_to_review(request)


@guard("hours.manage")
@require_POST
def hours_review_view(request, pk):
    entry = _entry(request, pk, "hours.manage")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或不通过。"))
        return _back_to_review(request)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        changed = svc.hours_review(entry=entry, actor=request.user, approve=approve, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, changed, _("已通过，计入平台记录。") if approve else _("已标记为未通过，志愿者会收到通知。"),
              _("这条记录已是这个结果，未作改动。"))
    return _back_to_review(request)


@guard("hours.manage")
@require_POST
def hours_request_decline(request, pk):
    req = policy.get_object_or_404_for(request.user, "hours.manage",
                                       HoursCorrectionRequest.objects.select_related("entry__community"), pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明不更正的理由，志愿者会看到。"))
        return _back_to_review(request)
    try:
        changed = svc.hours_correction_decline(request=req, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, changed, _("已答复更正申请。"), _("这份更正申请已处理过。"))
    return _back_to_review(request)


@guard("hours.manage")
def hours_new(request):
    picked = community_for(request, "hours.manage")
    community = picked.community
    form = ManualHoursForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = sel.member_by_phone(community=community, phone=data["phone"])
        if volunteer is None:
            form.add_error("phone", _("本社区没有用这个手机号注册的人。"))
        else:
            try:
                svc.hours_enter_manual(
                    actor=request.user, volunteer=volunteer, community=community, team=data["team"],
                    activity=data["activity"], place=data["place"], starts_at=data["starts_at"],
                    ends_at=data["ends_at"], minutes=data["minutes"], scheduled_minutes=data["scheduled_minutes"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已录入，等待另一位工作人员或组织队伍的骨干确认后计入平台记录。"))
                return redirect(community_url("communities:hours_review", community))
    return render(request, "communities/hours/new.html", {"form": form, "community": community, "picked": picked},
                  status=400 if request.method == "POST" else 200)


def _local_input(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@guard("hours.manage")
def hours_correct_view(request, pk):
    entry = policy.get_object_or_404_for(
        request.user, "hours.manage", VolunteerHours.objects.select_related(
            "community", "team", "volunteer__person", "confirmed_by__person", "corrects"), pk=pk)
    open_request = entry.correction_requests.filter(status=HoursCorrectionRequest.Status.OPEN).first()
    initial = {"activity": entry.activity, "place": entry.place, "starts_at": _local_input(entry.starts_at),
               "ends_at": _local_input(entry.ends_at), "minutes": entry.minutes}
    form = CorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.hours_correct(entry=entry, actor=request.user, reason=data["reason"], minutes=data["minutes"],
                              starts_at=data["starts_at"], ends_at=data["ends_at"], activity=data["activity"],
                              place=data["place"], request=open_request)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已更正：新记录已生成，原记录保留为“已更正”。"))
            return redirect(community_url("communities:hours_review", entry.community)
                            + f"&month={sel.month_of(entry.starts_at):%Y-%m}")
    history = list(entry.events.select_related("actor__person"))
    return render(request, "communities/hours/correct.html", {
        "entry": entry, "form": form, "open_request": open_request, "history": history,
        "community": entry.community}, status=400 if request.method == "POST" else 200)


@guard("hours.manage")
def hours_export(request):
    """The month's current recorded entries in the national volunteer system's fields; phones in clear for staff
    (they enter them there), the export logged."""
    community = community_for(request, "hours.manage").community
    month = _month(request)
    entries = list(sel.export_entries(community=community, month=month))
    phones = export_values(viewer=request.user, subjects=sel.export_subjects(entries, community),
                           action="hours.manage", purpose=gettext_lazy("导出志愿时长，录入全国志愿服务信息系统"),
                           reveal=True)
    rows = sel.export_rows(entries=entries, phones=phones)
    audit(actor=request.user, action="hours.export", community=community, month=f"{month:%Y-%m}", rows=len(rows))
    with translation.override(settings.LANGUAGE_CODE):
        headers = [str(h) for h in sel.EXPORT_HEADERS]
        filename = _("志愿时长-%(community)s-%(month)s.xlsx") % {"community": community.name, "month": f"{month:%Y%m}"}
        sheet = _("志愿服务时长")
    return xlsx_response(filename=filename, ascii_filename=f"volunteer-hours-{community.slug}-{month:%Y%m}.xlsx",
                         sheet_title=sheet, headers=headers, rows=rows)


@guard("hours.report")
def hours_teams(request):
    picked = community_for(request, "hours.report")
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=330)).replace(day=1)  # the last 12 months
    return render(request, "communities/hours/teams.html", {
        "picked": picked, "community": picked.community,
        "rows": sel.team_month_totals(community=picked.community, since=since)})


# --- certificates ------------------------------------------------------------------------------------------

@guard("hours.manage")
def certificate_register(request):
    picked = community_for(request, "hours.manage")
    community = picked.community
    form = CertificateProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = sel.member_by_phone(community=community, phone=data["phone"])
        if volunteer is None:
            form.add_error("phone", _("本社区没有用这个手机号注册的人。"))
        else:
            try:
                svc.certificate_propose(actor=request.user, community=community, volunteer=volunteer,
                                        period_from=data["period_from"], period_to=data["period_to"],
                                        person_in_charge=data["person_in_charge"],
                                        contact_phone=data["contact_phone"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已开始公示：公示不少于 7 天，期满后可以出具证明。"))
                return redirect(community_url("communities:certificate_register", community))
    today = timezone.localdate()
    certificates = list(sel.certificate_register(community=community))
    for cert in certificates:
        cert.may_issue_on = svc.notice_ends_on(cert)
        cert.may_issue = cert.status == VolunteerCertificate.Status.NOTICE and today >= cert.may_issue_on
    return render(request, "communities/hours/certificates.html", {
        "picked": picked, "community": community, "form": form, "certificates": certificates,
        "void_form": VoidForm()}, status=400 if request.method == "POST" else 200)


def _certificate(request, pk, action="hours.manage") -> VolunteerCertificate:
    return policy.get_object_or_404_for(request.user, action,
                                        VolunteerCertificate.objects.select_related("community"), pk=pk)


@guard("hours.manage")
@require_POST
def certificate_issue_view(request, pk):
    cert = _certificate(request, pk)
    try:
        changed = svc.certificate_issue(certificate=cert, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, changed, _("已出具证明，编号 %(number)s。") % {"number": cert.number},
              _("这份证明已出具过，编号 %(number)s。") % {"number": cert.number})
    return redirect(community_url("communities:certificate_register", cert.community))


@guard("hours.manage")
@require_POST
def certificate_void_view(request, pk):
    cert = _certificate(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明作废原因。"))
    else:
        try:
            changed = svc.certificate_void(certificate=cert, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            _done(request, changed, _("已作废，登记簿中保留这份证明和作废原因。"), _("这份证明已作废过。"))
    return redirect(community_url("communities:certificate_register", cert.community))


@guard("hours.notice")
def certificate_notice(request):
    picked = community_for(request, "hours.notice")
    certificates = list(sel.certificates_in_notice(community=picked.community))
    for cert in certificates:
        cert.notice_until = svc.notice_ends_on(cert) - dt.timedelta(days=1)
    return render(request, "communities/hours/notice.html", {
        "picked": picked, "community": picked.community, "certificates": certificates})


@guard("hours.certificate")
def certificate_pdf_view(request, pk):
    cert = _certificate(request, pk, "hours.certificate")
    if cert.status != VolunteerCertificate.Status.ISSUED:
        raise Http404
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(
        _("志愿服务证明-%(number)s.pdf") % {"number": cert.number}, ascii_filename=f"certificate-{cert.pk}.pdf"
    ).replace("attachment", "inline", 1)
    return response
