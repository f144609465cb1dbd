"""Pages of the mediation room (一室): the duty landlord's shifts and recording, the staff log."""
import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.dates import parse_month
from communities.models import AuditEvent, Shift
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.mediation import MediationCorrectForm, MediationFilterForm, MediationRecordForm
from ..models import MediationRecord
from ..selectors import mediation as sel
from ..services.mediation import mediation_record_correct, mediation_record_create


@guard("landlords.mediation.mine")
def mediation_mine(request):
    return render(request, "landlords/mediation_mine.html", {"assignments": sel.my_mediation_shifts(user=request.user)})


@guard("landlords.mediation.record")
def mediation_record_new(request, shift_id):
    shift = policy.get_object_or_404_for(request.user, "landlords.mediation.record",
                                         Shift.objects.select_related("rota__community"), pk=shift_id)
    form = MediationRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, created = mediation_record_create(
                actor=request.user, shift=shift, parties=data["parties"], issue=data["issue"],
                agreement=data["agreement"], outcome=data["outcome"], agency=data["agency"],
                submission_key=data["submission_key"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("调解记录已保存。") if created else _("这条记录已经保存过了。"))
            if record.case_id:
                messages.info(request, _("已转为诉求 %(number)s。") % {"number": record.case.number})
            return redirect("landlords:mediation_record_detail", pk=record.pk)
    return render(request, "landlords/mediationrecord_new.html", {"shift": shift, "form": form})


def _record(request, pk, action):
    return policy.get_object_or_404_for(request.user, action, MediationRecord.objects.select_related(
        "community", "shift__rota", "recorded_by__person", "case", "agency"), pk=pk)


@guard("landlords.mediation.view")
def mediation_record_detail(request, pk):
    record = _record(request, pk, "landlords.mediation.view")
    corrections = AuditEvent.objects.filter(action="mediation.correct", community_id=record.community_id,
                                            detail__record=record.pk).select_related("actor__person").order_by("at")
    return render(request, "landlords/mediationrecord_detail.html", {
        "record": record, "corrections": corrections,
        "can_correct": policy.can(request.user, "landlords.mediation.correct", record),
        "can_see_case": bool(record.case_id) and policy.can(request.user, "case.view", record.case)})


@guard("landlords.mediation.correct")
def mediation_record_correct_view(request, pk):
    record = _record(request, pk, "landlords.mediation.correct")
    form = MediationCorrectForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = mediation_record_correct(
                actor=request.user, record_id=record.pk, parties=data["parties"], issue=data["issue"],
                agreement=data["agreement"], outcome=data.get("outcome"), agency=data.get("agency"))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已更正，原内容保留在更正记录中。") if changed else _("没有改动。"))
            return redirect("landlords:mediation_record_detail", pk=record.pk)
    return render(request, "landlords/mediationrecord_correct.html", {"record": record, "form": form})


def _month(request, value: str) -> dt.date:
    first = parse_month(value)
    if first is None:
        if value:
            messages.warning(request, _("月份无效或超出范围，已显示本月。"))
        first = timezone.localdate().replace(day=1)
    return first


@guard("landlords.mediation.log")
def mediation_log(request):
    community = community_for(request, "landlords.mediation.log").community
    filters = MediationFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    month = _month(request, data.get("month") or "")
    outcome = data.get("outcome") or ""
    records = sel.mediation_log(user=request.user, community=community, month=month, outcome=outcome)
    page = Paginator(records, 10 if request.user.elder_mode else 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "landlords/mediationrecord_list.html", {
        "community": community, "page": page, "filters": filters, "month": month, "outcome": outcome,
        "counts": sel.mediation_counts(community=community, month=month), "query": query.urlencode()})
