"""Services by appointment (预约服务): the service page with its slots, the host's page for services, slots and
bookings, and my appointments. Thin views over talents.selectors.appointments and talents.services.appointments."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.appointments import BookingForm, SlotBatchForm, StudioServiceForm
from ..models import ServiceBooking, ServiceSlot
from ..selectors import appointments as sel
from ..services import appointments as svc


def _act(request, service, ok, again, **kwargs) -> bool:
    try:
        result = service(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if getattr(result, "changed", result):
        messages.success(request, ok)
    else:
        messages.info(request, again)
    return True


@guard("talents.service.view")
def service_detail(request, pk):
    service = sel.service_for_page(user=request.user, pk=pk)
    return render(request, "talents/service_detail.html", {
        "service": service, "studio": service.studio, "rows": sel.service_slots(service=service, user=request.user),
        "form": BookingForm(), "can_book": policy.can(request.user, "talents.service.book", service),
        "can_manage": policy.can(request.user, "talents.service.manage", service)})


@guard("talents.service.book")
@require_POST
def slot_book(request, pk):
    slot = policy.get_object_or_404_for(request.user, "talents.service.book", ServiceSlot.objects.select_related(
        "service__studio__team"), pk=pk)
    form = BookingForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _act(request, svc.booking_make, _("已预约，请等待主理人确认。"), _("您已预约过这个时段。"), slot_id=slot.pk, note=note)
    return redirect("talents:service_detail", pk=slot.service_id)


@guard("talents.service.manage")
def studio_services_manage(request, slug):
    studio = sel.studio_for_manage(user=request.user, slug=slug)
    service_form = StudioServiceForm(prefix="service")
    slot_form = SlotBatchForm(prefix="slots", initial={"day": timezone.localdate()})
    status = 200
    if request.method == "POST" and request.POST.get("do") == "service":
        service_form = StudioServiceForm(request.POST, prefix="service")
        if service_form.is_valid():
            try:
                svc.service_save(actor=request.user, studio=studio, **service_form.cleaned_data)
            except DomainError as exc:
                service_form.add_error(None, exc.message)
            else:
                messages.success(request, _("已开设服务。"))
                return redirect("talents:studio_services_manage", slug=studio.slug)
        status = 400
    elif request.method == "POST" and request.POST.get("do") == "slots":
        slot_form = SlotBatchForm(request.POST, prefix="slots")
        service = studio.services.filter(pk=request.POST.get("service")).first()
        if service is None:
            slot_form.add_error(None, _("请选择服务。"))
        elif slot_form.is_valid():
            try:
                made = svc.slots_open(actor=request.user, service=service, **slot_form.cleaned_data)
            except DomainError as exc:
                slot_form.add_error(None, exc.message)
            else:
                messages.success(request, _("已开放 %(n)s 个时段。") % {"n": len(made)})
                return redirect("talents:studio_services_manage", slug=studio.slug)
        status = 400
    return render(request, "talents/studio_services_manage.html", {
        "studio": studio, "services": sel.studio_services(studio=studio), "service_form": service_form,
        "slot_form": slot_form, "bookings": sel.studio_bookings(studio=studio), "now": timezone.now()},
        status=status)


def _booking(request, pk, action):
    return policy.get_object_or_404_for(request.user, action, ServiceBooking.objects.select_related(
        "slot__service__studio__team"), pk=pk)


@guard("talents.service.manage")
@require_POST
def booking_confirm(request, pk):
    booking = _booking(request, pk, "talents.service.manage")
    _act(request, svc.booking_confirm, _("已确认预约。"), _("这个预约已确认过。"), booking_id=booking.pk)
    return redirect("talents:studio_services_manage", slug=booking.slot.service.studio.slug)


@guard("talents.service.manage")
@require_POST
def booking_outcome(request, pk):
    booking = _booking(request, pk, "talents.service.manage")
    came = request.POST.get("came") == "1"
    _act(request, svc.booking_outcome, _("已记录到场情况。"), _("已记录过，无需重复操作。"), booking_id=booking.pk,
         came=came)
    return redirect("talents:studio_services_manage", slug=booking.slot.service.studio.slug)


@guard("talents.appointment.cancel")
@require_POST
def booking_cancel(request, pk):
    booking = _booking(request, pk, "talents.appointment.cancel")
    _act(request, svc.booking_cancel, _("已取消预约。"), _("这个预约已取消。"), booking_id=booking.pk)
    return redirect("talents:my_appointments")


@guard("talents.appointment.mine")
def my_appointments(request):
    return render(request, "talents/my_appointments.html", sel.my_bookings(user=request.user))


