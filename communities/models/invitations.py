"""One-time invitation slips (代登记): committee staff register a resident on their behalf and print a slip whose
QR code opens ``/invite/<token>/``, where the resident sets a password. Only a hash of the token is stored."""
import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Community

VALID_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


class Invitation(models.Model):
    community_path = "community"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations",
                                  verbose_name=_("社区"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations",
                             verbose_name=_("居民账号"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("发出时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请单")
        verbose_name_plural = _("邀请单")
        ordering = ["-created_at"]

    def state(self, now) -> str:
        if self.used_at:
            return "used"
        if self.voided_at:
            return "voided"
        if now >= self.expires_at:
            return "expired"
        return "open"
