from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("居民")
    TENANT = "tenant", _("租客")
    SUBLANDLORD = "sublandlord", _("二房东")
    TALENT = "talent", _("达人主理人")
    VOLUNTEER = "volunteer", _("志愿者")
    STATION_STAFF = "station_staff", _("服务站工作人员")
    COMMITTEE_STAFF = "committee_staff", _("居村委工作人员")
    PARTY_SECRETARY = "party_secretary", _("党支部书记")


class Membership(models.Model):
    """A user's role in one community. Town roles live on the user and see every community."""

    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("用户"))
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="memberships",
                                  verbose_name=_("社区"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("加入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("社区角色")
        verbose_name_plural = _("社区角色")
        ordering = ["community", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "community", "role"], name="uniq_membership"),
        ]
        indexes = [models.Index(fields=["community", "role"], name="membership_role_idx")]

    def __str__(self):
        return f"{self.user} · {self.community} · {self.get_role_display()}"


class RegistrationRequest(models.Model):
    """A resident's self-registration: they claim a unit and wait for committee staff."""
    community_path = "unit__building__community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    class Relation(models.TextChoices):
        OWNER = "owner", _("业主")
        FAMILY = "family", _("家庭成员")
        TENANT = "tenant", _("租客")

    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="registrations",
                             verbose_name=_("用户"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.CASCADE, related_name="registrations",
                             verbose_name=_("房屋"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=15)
    relation = models.CharField(_("关系"), max_length=10, choices=Relation.choices)
    moved_in = models.DateField(_("入住日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    # When the applicant proved, with an SMS code, that the phone is theirs. Only then may approval bind the
    # request to a person already registered with that phone (issue 12: registration must not take over a person).
    phone_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("申请地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("注册申请")
        verbose_name_plural = _("注册申请")
        ordering = ["-created_at"]
        constraints = [
            # One open request per user: a second one waits for the first decision.
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"),
                                    name="uniq_pending_registration"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="registration_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.unit}"
