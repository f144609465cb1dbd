"""Signing in and resetting a password with an SMS code (the code rules are in ``phone_codes``).

The code is checked outside any enclosing transaction on purpose: a wrong try must stay counted even though
the caller then raises.
"""
from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import PhoneCode
from ..selectors.signin import user_for_phone
from .audit import audit
from .errors import DomainError
from .phone_codes import phone_code_issue, phone_code_verify


def _wrong_code():
    return DomainError(_("验证码不正确，请核对后重新输入。"), code="wrong")


def signin_code_send(*, phone: str, purpose: str, ip: str | None) -> None:
    """Send a sign-in or reset code; a number without an account is answered alike but gets no SMS."""
    phone_code_issue(phone=phone, purpose=purpose, ip=ip, deliver=user_for_phone(phone=phone) is not None)


def signin_by_code(*, phone: str, code: str):
    phone_code_verify(phone=phone, purpose=PhoneCode.Purpose.LOGIN, code=code)
    user = user_for_phone(phone=phone)
    if user is None:
        raise _wrong_code()
    audit(actor=user, action="account.login_code")
    return user


def password_reset_by_code(*, phone: str, code: str, password: str):
    phone_code_verify(phone=phone, purpose=PhoneCode.Purpose.RESET, code=code)
    user = user_for_phone(phone=phone)
    if user is None:
        raise _wrong_code()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(actor=user, action="account.password_reset", method="sms")
    # The owner proved the number: lift a lockout on it (someone else's wrong guesses, or their own).
    for username in {phone, user.username}:
        axes_reset(username=username)
    return user
