"""代登记 and invitation slips: staff register a resident and print a slip; the resident opens it and sets a
password. Thin views over communities.services.invitations."""
import segno
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.invitations import RegisterOnBehalfForm
from ..forms.passwords import NewPasswordForm
from ..models import Invitation, User
from ..picker import community_for
from ..policy import guard, public
from ..selectors.invitations import buildings_for_registering, invitation_for_token, unit_in
from ..services.errors import DomainError
from ..services.invitations import invitation_accept, invitation_issue, resident_register_on_behalf

SESSION_KEY = "invitation_slips"  # {invitation id: token}: the slip can be printed by whoever issued it


def _remember(request, invitation, token):
    slips = request.session.get(SESSION_KEY, {})
    slips[str(invitation.pk)] = token
    request.session[SESSION_KEY] = slips


@guard("resident.register_on_behalf")
def register_on_behalf(request):
    picked = community_for(request, "resident.register_on_behalf")
    community = picked.community
    form = RegisterOnBehalfForm(request.POST or None, buildings=buildings_for_registering(community=community))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = unit_in(building=data["building"], room=data["room"])
        if unit is None:
            form.add_error("room", _("这栋楼没有这个房号，请核对。"))
        else:
            try:
                _user, invitation, token = resident_register_on_behalf(
                    actor=request.user, unit=unit, name=data["name"], phone=data["phone"], tenant=data["tenant"])
            except (DomainError, ValidationError) as exc:
                form.add_error("phone", getattr(exc, "message", None) or exc.messages[0])
            else:
                _remember(request, invitation, token)
                messages.success(request, _("已代登记，请打印邀请单交给居民。"))
                return redirect("communities:invitation_slip", invitation.pk)
    return render(request, "communities/register_on_behalf.html", {
        "community": community, "communities": picked.choices, "form": form},
        status=400 if request.method == "POST" else 200)


@guard("resident.register_on_behalf")
def invitation_slip(request, pk):
    invitation = policy.get_object_or_404_for(
        request.user, "resident.register_on_behalf",
        Invitation.objects.select_related("user__person", "community"), pk=pk)
    token = request.session.get(SESSION_KEY, {}).get(str(pk))
    svg = url = ""
    state = invitation.state(timezone.now())
    if token and state == "open":
        url = request.build_absolute_uri(reverse("communities:invitation_open", args=[token]))
        title = _("扫码设置密码")
        svg = segno.make(url, error="m").svg_inline(scale=5, omitsize=True, svgclass="qr-code", title=title)
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return render(request, "communities/invitation_slip.html", {
        "invitation": invitation, "svg": svg, "url": url, "state": state})


@guard("resident.register_on_behalf")
@require_POST
def invitation_reissue(request, user_id):
    user = get_object_or_404(User, pk=user_id)
    community = community_for(request, "resident.register_on_behalf", default=False).community
    if not policy.roles_in(user, community):
        raise Http404
    invitation, token = invitation_issue(actor=request.user, user=user, community=community)
    _remember(request, invitation, token)
    messages.success(request, _("已重新打印邀请单，旧的邀请单作废。"))
    return redirect("communities:invitation_slip", invitation.pk)


@public
def invitation_open(request, token):
    invitation = invitation_for_token(token=token)
    if invitation is None:
        raise Http404
    state = invitation.state(timezone.now())
    if state != "open":
        return render(request, "accounts/invitation.html", {"invitation": invitation, "state": state}, status=410)
    form = NewPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            return render(request, "accounts/invitation.html", {"invitation": invitation, "state": "used",
                                                                "error": exc.message}, status=410)
        login(request, user, backend="communities.auth.PersonModelBackend")
        messages.success(request, _("密码已设置。以后用手机号 %(phone)s 和这个密码登录。") % {"phone": user.username})
        return redirect("home")
    return render(request, "accounts/invitation.html", {"invitation": invitation, "state": state, "form": form},
                  status=400 if request.method == "POST" else 200)
