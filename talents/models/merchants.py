"""Partner merchants (周边商户) near an estate that run trial classes (体验课) with a studio. The app sells
nothing: it keeps who the partners are and counts the referrals (a class or session that sent someone to a
merchant). The merchant, not the resident host, is the seller (RULES.md, studios and classes)."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Merchant(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    name = models.CharField(_("商户名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=15, blank=True)
    offers = models.TextField(_("提供什么"), help_text=_("例如：体验课的场地和茶点；价格和包含的内容由商户明码标价。"))
    active = models.BooleanField(_("合作中"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("合作商户")
        verbose_name_plural = _("合作商户")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_merchant_name")]

    def __str__(self):
        return self.name


class MerchantReferral(models.Model):
    """Someone came to a merchant through the app: from what (``source_kind``, ``source_id``: a trial class, a
    session, a studio page — named by the area that records it) and, when known, who."""
    community_path = "merchant__community"  # how the policy (communities.policy) reaches its community

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="referrals",
                                 verbose_name=_("商户"))
    source_kind = models.CharField(_("来源类别"), max_length=30)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    user = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("居民"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("商户引流记录")
        verbose_name_plural = _("商户引流记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One person counts once per source and merchant: a repeat (a double tap) adds nothing.
            models.UniqueConstraint(fields=["merchant", "source_kind", "source_id", "user"],
                                    condition=Q(user__isnull=False), name="uniq_merchant_referral_per_user"),
        ]
        indexes = [models.Index(fields=["source_kind", "source_id"], name="merchant_referral_source_idx")]

    def __str__(self):
        return f"{self.merchant} · {self.source_kind}#{self.source_id}"
