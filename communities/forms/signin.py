"""Signing in by mobile number (with a password or an SMS code) and resetting a forgotten password by SMS."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import normalize_phone
from ..selectors.signin import MOBILE
from .passwords import NewPasswordForm


class LoginForm(AuthenticationForm):
    """Mobile number or login name, and password. A number is normalised before it reaches the backends, so the
    lockout (django-axes) counts every spelling of one number as one. No autofocus, so the first Tab reaches the
    skip link (WCAG 2.4.1)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("手机号(或用户名)或密码不正确。请注意密码区分大小写。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("手机号或用户名")
        field.widget.attrs.pop("autofocus", None)
        field.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})

    def clean_username(self):
        value = (self.cleaned_data.get("username") or "").strip()
        try:
            phone = normalize_phone(value)
        except ValidationError:
            return value
        return phone if MOBILE.match(phone) else value


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        phone = normalize_phone(value)
        if not MOBILE.match(phone):
            raise ValidationError(_("请填写 11 位手机号码。"), code="mobile")
        return phone


class PhoneForm(forms.Form):
    phone = MobileField()


class CodeForm(forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=10, help_text=_("6 位数字，10 分钟内有效。"),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise ValidationError(_("验证码是 6 位数字。"), code="format")
        return code


class ResetPasswordForm(NewPasswordForm):
    """The SMS code and the new password, on one page."""

    code = CodeForm.base_fields["code"]
    field_order = ["code", "new_password1", "new_password2"]

    clean_code = CodeForm.clean_code
