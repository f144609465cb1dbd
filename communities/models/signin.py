"""One-time codes sent by SMS: to sign in, to reset a forgotten password, to prove a phone when registering.

Only an HMAC of the code is stored (keyed with SECRET_KEY), so neither the database nor a backup reveals a
usable code. The rules (10 minutes, single use, 5 wrong tries, the rate limits) live in
``communities/services/phone_codes.py``.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PhoneCode(models.Model):
    class Purpose(models.TextChoices):
        LOGIN = "login", _("验证码登录")
        RESET = "reset", _("找回密码")
        REGISTER = "register", _("注册验证")

    phone = models.CharField(_("手机号码"), max_length=15)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(_("请求地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    # Set when the code was accepted, replaced by a newer code, tried too often, or its SMS failed.
    used_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    failed = models.BooleanField(_("短信发送失败"), default=False)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="phonecode_phone_created"),
            models.Index(fields=["ip", "created_at"], name="phonecode_ip_created"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
