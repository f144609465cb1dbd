"""Sign in with an SMS code, and reset a forgotten password with one. Two steps on one address each, without
JavaScript: the number (kept in the session), then the code. Every number gets the same answer."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..client_ip import client_ip
from ..forms.signin import CodeForm, PhoneForm, ResetPasswordForm
from ..models import PhoneCode, User, mask_phone
from ..policy import public
from ..selectors.signin import user_for_phone
from ..services.errors import DomainError
from ..services.signin import password_reset_by_code, signin_by_code, signin_code_send

SESSION_KEY = "signin_code_phone"


def _phone_step(request, purpose):
    """Handle the number step; returns (form, redirect or None)."""
    form = PhoneForm(request.POST)
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            signin_code_send(phone=phone, purpose=purpose, ip=client_ip(request) or None)
        except DomainError as exc:
            form.add_error("phone", exc.message)
        else:
            request.session[SESSION_KEY] = {"purpose": purpose, "phone": phone}
            messages.info(request, _("验证码已发送到 %(phone)s，10 分钟内有效。") % {"phone": mask_phone(phone)})
            return form, redirect(request.path)
    return form, None


def _state(request, purpose):
    state = request.session.get(SESSION_KEY) or {}
    return state.get("phone") if state.get("purpose") == purpose else None


def _resend(request, purpose, phone):
    try:
        signin_code_send(phone=phone, purpose=purpose, ip=client_ip(request) or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("验证码已重新发送到 %(phone)s。") % {"phone": mask_phone(phone)})
    return redirect(request.path)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _first_steps(request, purpose, template: str, context: dict):
    """The steps the SMS-code pages share: start over, send the code again, or ask for the number.
    Returns (response, phone, action): a response when one of those steps answered, else the number the code
    went to and the posted action, for the page's own code step."""
    phone = _state(request, purpose)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "restart":
        request.session.pop(SESSION_KEY, None)
        return redirect(request.path), None, action
    if action == "resend" and phone:
        return _resend(request, purpose, phone), None, action
    if phone is None or action == "send":
        form, done = _phone_step(request, purpose) if action == "send" else (PhoneForm(), None)
        return done or render(request, template, {"form": form, "step": "phone", **context}), None, action
    return None, phone, action


@public
def login_code(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    done, phone, action = _first_steps(request, PhoneCode.Purpose.LOGIN, "accounts/login_code.html",
                                       {"next": _next_url(request)})
    if done:
        return done
    form = CodeForm(request.POST if action == "verify" else None)
    if action == "verify" and form.is_valid():
        try:
            user = signin_by_code(phone=phone, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend="communities.auth.PersonModelBackend")
            return redirect(_next_url(request))
    return render(request, "accounts/login_code.html", {"form": form, "step": "code", "masked": mask_phone(phone),
                                                        "next": _next_url(request)})


@public
def password_reset(request):
    if request.user.is_authenticated:
        return redirect("accounts:password_change")
    done, phone, action = _first_steps(request, PhoneCode.Purpose.RESET, "accounts/password_reset.html", {})
    if done:
        return done
    # The rules are checked against the account behind the number when there is one (similarity to its name).
    account = user_for_phone(phone=phone) or User(username=phone)
    form = ResetPasswordForm(account, request.POST if action == "verify" else None)
    if action == "verify" and form.is_valid():
        try:
            password_reset_by_code(phone=phone, code=form.cleaned_data["code"],
                                   password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("密码已重设，请用新密码登录。"))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form, "step": "code", "masked": mask_phone(phone)})
