from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms import RejectForm
from ..models import RegistrationRequest, mask_phone
from ..policy import guard
from ..selectors.registrations import registration_matches, registrations_to_review
from ..services.errors import DomainError
from ..services.registrations import registration_approve, registration_reject


@guard("registration.review")
def registration_queue(request):
    status = request.GET.get("status", RegistrationRequest.Status.PENDING)
    if status not in RegistrationRequest.Status.values:
        status = RegistrationRequest.Status.PENDING
    return render(request, "communities/registration_queue.html", {
        "registrations": registrations_to_review(user=request.user, status=status)[:200],
        "status": status, "statuses": RegistrationRequest.Status.choices,
    })


def _get(request, pk):
    return policy.get_object_or_404_for(
        request.user, "registration.review",
        RegistrationRequest.objects.select_related("unit__building__community", "user", "decided_by"), pk=pk)


@guard("registration.review")
def registration_decide(request, pk):
    registration = _get(request, pk)
    return render(request, "communities/registration_decide.html", _decide_context(registration, RejectForm()))


def _decide_context(registration, reject_form):
    # The typed phone stays masked here: it is not yet anyone's verified record (communities.personal_data).
    return {"registration": registration, "reject_form": reject_form, "masked_phone": mask_phone(registration.phone),
            "matches": registration_matches(request=registration) if registration.status == "pending" else []}


@guard("registration.review")
@require_POST
def registration_approve_view(request, pk):
    registration = _get(request, pk)
    try:
        changed = registration_approve(actor=request.user, request_id=registration.pk,
                                       person_choice=request.POST.get("person", ""))[1]
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("communities:registration_decide", pk=pk)
    if changed:
        messages.success(request, _("已批准 %(name)s 的申请，已通知本人。") % {"name": registration.name})
    else:
        messages.info(request, _("该申请之前已批准，无需重复操作。"))
    return redirect("communities:registration_queue")


@guard("registration.review")
@require_POST
def registration_reject_view(request, pk):
    registration = _get(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(request, "communities/registration_decide.html", _decide_context(registration, form),
                      status=400)
    try:
        changed = registration_reject(actor=request.user, request_id=registration.pk,
                                      reason=form.cleaned_data["reason"])[1]
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("communities:registration_decide", pk=pk)
    if changed:
        messages.success(request, _("已驳回 %(name)s 的申请，已通知本人。") % {"name": registration.name})
    else:
        messages.info(request, _("该申请之前已驳回，无需重复操作。"))
    return redirect("communities:registration_queue")
