"""My leave (请假) and a rota's qualifications (资质): thin views over the services, guarded by the policy."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.rota_availability import LeaveForm, QualificationCreateForm, QualificationGrantForm
from ..forms.rotas import SwapOfferForm
from ..models import Rota
from ..policy import guard
from ..selectors import rota_availability as sel
from ..services.errors import DomainError
from ..services.rota_qualifications import qualification_create, qualification_grant, qualification_revoke
from ..services.rotas import leave_delete, leave_record


# --- my leave -----------------------------------------------------------------------------------------

@guard("rota.leave")
def leave_list(request):
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _leave, created = leave_record(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if created:
                messages.success(request, _("已登记请假，这段时间不会再给您排班。"))
            else:
                messages.info(request, _("这段请假已登记过。"))
            return redirect("communities:leave_list")
    now = timezone.now()
    leaves = sel.leaves_upcoming(user=request.user, now=now)
    return render(request, "communities/rotas/leave_list.html", {
        "form": form, "leaves": leaves, "now": now, "offer_form": SwapOfferForm(initial={"reason": _("请假")}),
        "need_swap": sel.shifts_during_leave(user=request.user, leaves=leaves, now=now),
    }, status=400 if request.method == "POST" else 200)


@guard("rota.leave")
@require_POST
def leave_delete_view(request, pk):
    try:
        deleted = leave_delete(leave_id=pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if deleted:
            messages.success(request, _("已删除这条请假。"))
        else:
            messages.info(request, _("这条请假已不存在。"))
    return redirect("communities:leave_list")


# --- a rota's qualifications ---------------------------------------------------------------------------

def _rota(request, pk):
    return policy.get_object_or_404_for(request.user, "rota.qualify", Rota.objects.select_related(
        "community", "required_qualification"), pk=pk)


def _grant_form(request, rota, rows, data=None):
    return QualificationGrantForm(data, members=[row.user for row in rows],
                                  qualifications=policy.qualifications_grantable(request.user, rota))


@guard("rota.qualify")
def rota_qualifications(request, pk):
    rota = _rota(request, pk)
    rows = sel.rota_member_qualifications(rota=rota)
    form = _grant_form(request, rota, rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _held, changed = qualification_grant(actor=request.user, qualification=data["qualification"],
                                                 user=data["user"], expires_on=data["expires_on"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if changed:
                messages.success(request, _("已授予“%(qualification)s”资质给 %(name)s。") % {
                    "qualification": data["qualification"].name, "name": data["user"].display_name()})
            else:
                messages.info(request, _("此人已有这项资质，有效期相同，未作改动。"))
            return redirect("communities:rota_qualifications", pk=rota.pk)
    grantable = set(form.fields["qualification"].queryset.values_list("pk", flat=True))
    return render(request, "communities/rotas/qualification_list.html", {
        "rota": rota, "rows": rows, "form": form, "grantable": grantable,
        "create_form": QualificationCreateForm() if policy.can(request.user, "qualification.create", rota) else None,
    }, status=400 if request.method == "POST" else 200)


@guard("rota.qualify")
@require_POST
def qualification_revoke_view(request, pk, held_id):
    rota = _rota(request, pk)
    held = sel.rota_member_qualification(rota=rota, held_id=held_id)
    if held is None:
        messages.info(request, _("这项资质已撤销。"))
        return redirect("communities:rota_qualifications", pk=rota.pk)
    if not policy.qualifications_grantable(request.user, rota).filter(pk=held.qualification_id).exists():
        raise PermissionDenied
    if qualification_revoke(actor=request.user, held_id=held.pk):
        messages.success(request, _("已撤销 %(name)s 的“%(qualification)s”资质。") % {
            "name": held.user.display_name(), "qualification": held.qualification.name})
    else:
        messages.info(request, _("这项资质已撤销。"))
    return redirect("communities:rota_qualifications", pk=rota.pk)


@guard("qualification.create")
@require_POST
def qualification_create_view(request, pk):
    rota = _rota(request, pk)
    policy.require(request.user, "qualification.create", rota)
    form = QualificationCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("资质名称最多 100 个字，且不能为空。"))
        return redirect("communities:rota_qualifications", pk=rota.pk)
    try:
        qualification, created = qualification_create(actor=request.user, community=rota.community,
                                                      name=form.cleaned_data["name"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, _("已新建资质“%(name)s”。") % {"name": qualification.name})
        else:
            messages.info(request, _("本社区已有资质“%(name)s”。") % {"name": qualification.name})
    return redirect("communities:rota_qualifications", pk=rota.pk)
