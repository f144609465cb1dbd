"""The password rules in one plain sentence, on every form that sets a password (instead of Django's list of
four help texts). The rules themselves stay AUTH_PASSWORD_VALIDATORS; this sentence says the same."""
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

PASSWORD_RULES = _("密码至少 8 位，不能全是数字，不要用 12345678 这类常见密码，也不要和您的姓名或手机号太像。")
NEW_PASSWORD_FIELDS = ("new_password1", "password1")


def plain_password_help(form: forms.Form) -> None:
    for name in NEW_PASSWORD_FIELDS:
        if name in form.fields:
            form.fields[name].help_text = PASSWORD_RULES


class PlainPasswordRulesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_password_help(self)


class NewPasswordForm(PlainPasswordRulesMixin, SetPasswordForm):
    """Set a new password, the rules said in one sentence."""


class PlainPasswordChangeForm(PlainPasswordRulesMixin, PasswordChangeForm):
    """Change the password (old one first), the rules said in one sentence."""
