"""Self-registration in three steps, without JavaScript: prove the phone with an SMS code, choose the community,
then claim a flat of one of its buildings and set a password. The verified phone is the login."""
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..client_ip import client_ip
from ..forms import RegistrationCommunityForm, ResidentSignupForm
from ..forms.signin import CodeForm, PhoneForm
from ..models import PhoneCode, User
from ..policy import public
from ..selectors.signin import user_for_phone
from ..services.errors import DomainError
from ..services.phone_codes import phone_code_issue, phone_code_verify
from ..services.registrations import registration_signup

PENDING_KEY, VERIFIED_KEY = "register_phone_pending", "register_phone"
VERIFIED_FOR = timedelta(minutes=30)
REGISTER = PhoneCode.Purpose.REGISTER


def _verified(request):
    """(phone, verified_at) proven by SMS in this session in the last 30 minutes, or (None, None)."""
    state = request.session.get(VERIFIED_KEY) or {}
    try:
        at = datetime.fromisoformat(state["at"])
    except (KeyError, TypeError, ValueError):
        return None, None
    return (state.get("phone"), at) if timezone.now() - at < VERIFIED_FOR else (None, None)


def _send(request, phone):
    try:
        phone_code_issue(phone=phone, purpose=REGISTER, ip=client_ip(request) or None)
    except DomainError as exc:
        return exc.message
    request.session[PENDING_KEY] = phone
    messages.info(request, _("验证码已发送到 %(phone)s，10 分钟内有效。") % {"phone": phone})
    return None


def _phone_step(request, action):
    pending = request.session.get(PENDING_KEY)
    if action == "send":
        form = PhoneForm(request.POST)
        if form.is_valid():
            error = _send(request, form.cleaned_data["phone"])
            if error is None:
                return redirect(request.get_full_path())
            form.add_error("phone", error)
        return render(request, "accounts/register_phone.html", {"form": form, "step": "phone"})
    if pending is None:
        return render(request, "accounts/register_phone.html", {"form": PhoneForm(), "step": "phone"})
    if action == "resend":
        error = _send(request, pending)
        if error:
            messages.error(request, error)
        return redirect(request.get_full_path())
    form = CodeForm(request.POST if action == "verify" else None)
    if action == "verify" and form.is_valid():
        try:
            phone_code_verify(phone=pending, purpose=REGISTER, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(PENDING_KEY, None)
            request.session[VERIFIED_KEY] = {"phone": pending, "at": timezone.now().isoformat()}
            return redirect(request.get_full_path())
    return render(request, "accounts/register_phone.html", {"form": form, "step": "code", "masked": pending})


@public
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:registration_status")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "restart":
        request.session.pop(PENDING_KEY, None)
        request.session.pop(VERIFIED_KEY, None)
        return redirect("accounts:register")
    phone, verified_at = _verified(request)
    if phone is None:
        return _phone_step(request, action)
    if user_for_phone(phone=phone) is not None or User.objects.filter(username=phone).exists():
        # The phone is proven theirs, so saying it has an account tells nobody else anything.
        return render(request, "accounts/register_has_account.html", {"phone": phone})
    chooser = RegistrationCommunityForm(request.GET if "community" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "accounts/register_community.html", {"chooser": chooser, "phone": phone})
    community = chooser.cleaned_data["community"]
    form = ResidentSignupForm(request.POST if action == "submit" else None, community=community, phone=phone)
    if action == "submit" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _request = registration_signup(
                phone=phone, password=data["password1"], unit=data["unit"], name=data["name"],
                relation=data["relation"], moved_in=data["moved_in"], phone_verified_at=verified_at,
                ip=client_ip(request) or None)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(VERIFIED_KEY, None)
            login(request, user, backend="communities.auth.PersonModelBackend")
            messages.success(request, _("申请已提交，居委审核后会通知您。以后用手机号 %(phone)s 和密码登录。") % {
                "phone": phone})
            return redirect("accounts:registration_status")
    return render(request, "accounts/register.html", {"form": form, "community": community, "phone": phone})
