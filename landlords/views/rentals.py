"""Rentals from the sublandlord's phone: my let units, rooms declared, tenants moving in and out; and the
tenant's own page (我的租住登记)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities import policy
from communities.models import Unit
from communities.policy import guard
from communities.selectors.personal_data import masked_values
from communities.services.errors import DomainError
from communities.services.personal_data import reveal_value, reveal_values

from ..forms.rentals import MoveInForm, MoveOutForm, PurposeForm, RentalDeclarationForm
from ..models import TenantRegistration
from ..selectors.rentals import (
    REVEAL_PHONE, TENANT_PHONE, registration_subjects, registrations_for_sublandlord, registrations_of_tenant, units_of_sublandlord,
    with_tenant_occupancy,
)
from ..services.rentals import move_in_bounds, rental_declare, tenant_move_out, tenant_register

RECENT_MOVED_OUT = 10
LANDLORD_PURPOSE = gettext_lazy("二房东联系在住租客")


def _my_unit(request, pk) -> Unit:
    units = with_tenant_occupancy(Unit.objects.select_related("building__community", "rental_declaration"))
    return policy.get_object_or_404_for(request.user, "landlords.rental.manage", units, pk=pk)


@guard("landlords.rental.manage")
def rental_unit_list(request):
    person = getattr(request.user, "person", None)
    units = list(units_of_sublandlord(person)) if person is not None else []
    return render(request, "landlords/rental_unit_list.html", {"units": units})


@guard("landlords.rental.manage")
def rental_unit_detail(request, pk):
    unit = _my_unit(request, pk)
    declaration = getattr(unit, "rental_declaration", None)
    form = RentalDeclarationForm(initial={"rooms": declaration.rooms, "partitions_note": declaration.partitions_note}
                                 if declaration else None)
    return _unit_page(request, unit, form)


def _unit_page(request, unit, declaration_form, status=200):
    registrations = registrations_for_sublandlord(request.user.person).filter(unit=unit)
    active = list(registrations.filter(moved_out__isnull=True).order_by("-moved_in"))
    moved_out = list(registrations.filter(moved_out__isnull=False).order_by("-moved_out")[:RECENT_MOVED_OUT])
    # The sublandlord calls their current tenants from here: their phones in full, each view logged.
    phones = reveal_values(viewer=request.user, subjects=registration_subjects(active, per_flat=True), action=TENANT_PHONE,
                           purpose=LANDLORD_PURPOSE)
    return render(request, "landlords/rental_unit_detail.html", {
        "unit": unit, "declaration_form": declaration_form,
        "active_rows": [(r, phones[r.pk]) for r in active], "moved_out": moved_out,
    }, status=status)


@guard("landlords.rental.manage")
@require_POST
def rental_declare_view(request, pk):
    unit = _my_unit(request, pk)
    form = RentalDeclarationForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, unit, form, status=400)
    _declaration, changed = rental_declare(actor=request.user, unit=unit, **form.cleaned_data)
    if changed:
        messages.success(request, _("已保存出租间数申报。"))
    else:
        messages.info(request, _("申报内容没有变化。"))
    return redirect("landlords:rental_unit_detail", pk=unit.pk)


@guard("landlords.rental.manage")
def tenant_move_in(request, pk):
    unit = _my_unit(request, pk)
    earliest, latest = move_in_bounds()
    form = MoveInForm(request.POST or None, initial={"moved_in": latest})
    form.fields["moved_in"].widget.attrs.update({"min": earliest.isoformat(), "max": latest.isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            registration, created = tenant_register(actor=request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("phone" if exc.code in ("phone", "relation", "phone_elsewhere", "name_mismatch") else
                           "name" if exc.code == "name" else "moved_in", exc.message)
        else:
            if created:
                messages.success(request, _("已登记 %(name)s 入住，居委已收到通知。") % {
                    "name": registration.residency.person.name})
                if registration.is_late:
                    messages.warning(request, _("入住超过3天才登记，已记为逾期登记。"))
            else:
                messages.info(request, _("这位租客已登记在住这套房屋，没有重复登记。"))
            return redirect("landlords:rental_unit_detail", pk=unit.pk)
    return render(request, "landlords/tenant_move_in.html", {"unit": unit, "form": form},
                  status=400 if request.method == "POST" else 200)


@guard("landlords.tenant_registration.move_out")
def tenant_move_out_view(request, pk):
    registration = policy.get_object_or_404_for(
        request.user, "landlords.tenant_registration.move_out",
        TenantRegistration.objects.select_related("unit__building__community", "residency__person"), pk=pk)
    form = MoveOutForm(request.POST or None, initial={"moved_out": registration.moved_out})
    if request.method == "POST" and form.is_valid():
        try:
            _reg, changed = tenant_move_out(actor=request.user, registration_id=registration.pk,
                                            moved_out=form.cleaned_data["moved_out"])
        except DomainError as exc:
            form.add_error("moved_out", exc.message)
        else:
            if changed:
                messages.success(request, _("已登记迁出，居委已收到通知。"))
            else:
                messages.info(request, _("这位租客之前已登记迁出，没有重复登记。"))
            return redirect("landlords:rental_unit_detail", pk=registration.unit_id)
    return render(request, "landlords/tenant_move_out.html", {"registration": registration, "form": form},
                  status=400 if request.method == "POST" else 200)


@guard("landlords.tenant_registration.mine")
def tenant_registration_mine(request):
    registrations = list(registrations_of_tenant(user=request.user).order_by("-moved_in"))
    phones = masked_values(viewer=request.user, subjects=registration_subjects(registrations))
    return render(request, "landlords/tenant_registration_mine.html",
                  {"rows": [(r, phones[r.pk]) for r in registrations]})


@guard("landlords.tenant_registration.view")
def tenant_registration_detail(request, pk):
    registration = policy.get_object_or_404_for(
        request.user, "landlords.tenant_registration.view",
        TenantRegistration.objects.select_related("unit__building__community", "residency__person",
                                                  "sublandlord", "registered_by"), pk=pk)
    may_reveal = policy.can(request.user, REVEAL_PHONE, registration.unit.building)
    reveal_form = PurposeForm(request.GET if "purpose" in request.GET else None)
    purpose = reveal_form.cleaned_data["purpose"] if may_reveal and reveal_form.is_valid() else ""
    if may_reveal or not registration.is_active:
        (subject,) = registration_subjects([registration])
        phone = reveal_value(viewer=request.user, subject=subject, action=REVEAL_PHONE, purpose=purpose)
    else:
        # A current tenant: whole (and logged) for the sublandlord who lets the flat now, masked for others.
        (subject,) = registration_subjects([registration], per_flat=True)
        phone = reveal_value(viewer=request.user, subject=subject, action=TENANT_PHONE, purpose=LANDLORD_PURPOSE)
    return render(request, "landlords/tenant_registration_detail.html", {
        "registration": registration, "phone": phone, "may_reveal": may_reveal, "revealed": bool(purpose),
        "reveal_form": reveal_form if may_reveal else None,
        "may_move_out": registration.is_active and policy.can(request.user, "landlords.tenant_registration.move_out",
                                                              registration),
    })
