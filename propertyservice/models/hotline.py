"""The station's 24-hour hotline (24 小时热线): every call the station staff take, what it was about, what came of
it (answered on the spot, a case, an incident, a promised call-back), when it was answered, and who was woken at
night. A call is logged once per form (``token``): a double submission is the same call."""
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import mask_phone


class HotlineCall(models.Model):
    community_path = "community"

    class Category(models.TextChoices):
        ENQUIRY = "enquiry", _("咨询")
        REPAIR = "repair", _("报修")
        COMPLAINT = "complaint", _("投诉")
        EMERGENCY = "emergency", _("紧急")
        SUGGESTION = "suggestion", _("建议")
        OTHER = "other", _("其他")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("当场答复")
        CALLBACK = "callback", _("稍后回电")
        CASE = "case", _("转为诉求")
        INCIDENT = "incident", _("转为突发事件")

    class Alert(models.TextChoices):
        NONE = "", _("无需提醒")
        GUARD = "guard", _("已通知值班保安")
        HEADS = "heads", _("无人值班，已通知负责人")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="hotline_calls",
                                  verbose_name=_("社区"))
    token = models.UUIDField(_("表单编号"), default=uuid.uuid4, unique=True, editable=False)
    received_at = models.DateTimeField(_("来电时间"), default=timezone.now)
    logged_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="hotline_calls_logged",
                                  verbose_name=_("接线人"))
    logged_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    caller_name = models.CharField(_("来电人"), max_length=40)
    caller_phone = models.CharField(_("来电号码"), max_length=20)
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="hotline_calls", verbose_name=_("村民小组"))
    house = models.CharField(_("门牌或地点"), max_length=100, blank=True)
    category = models.CharField(_("来电类别"), max_length=12, choices=Category.choices)
    about = models.TextField(_("来电内容"))
    urgent = models.BooleanField(_("紧急"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # A case: filed at once by whoever may file on behalf (core ``case.file_on_behalf``), or handed to the
    # village committee's staff, who file it from the call's page (``case_handed_at`` set, ``case`` empty).
    case = models.OneToOneField("communities.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="hotline_call", verbose_name=_("诉求"))
    case_handed_at = models.DateTimeField(_("移交村委时间"), null=True, blank=True)
    incident = models.ForeignKey("propertyservice.Incident", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="hotline_calls", verbose_name=_("突发事件"))
    # A promised call-back (承诺回电): due when, by whom, done when.
    callback_due_at = models.DateTimeField(_("回电期限"), null=True, blank=True)
    callback_assignee = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="hotline_callbacks", verbose_name=_("回电人"))
    callback_done_at = models.DateTimeField(_("回电时间"), null=True, blank=True)
    callback_done_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("实际回电人"))
    callback_note = models.CharField(_("回电情况"), max_length=300, blank=True)
    callback_reminded_at = models.DateTimeField(_("回电提醒时间"), null=True, blank=True)
    # At night (or urgent): who was alerted at once, and when.
    alert = models.CharField(_("值班提醒"), max_length=6, choices=Alert.choices, blank=True, default="")
    alerted_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    alerted = models.ManyToManyField("communities.User", related_name="+", blank=True, verbose_name=_("已提醒"))

    class Meta:
        verbose_name = _("热线来电")
        verbose_name_plural = _("热线来电")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="answered") | ~Q(answer=""),
                                   name="hotline_answered_has_answer"),
            models.CheckConstraint(condition=Q(callback_due_at__isnull=True) | Q(callback_assignee__isnull=False),
                                   name="hotline_callback_has_assignee"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("received_at")),
                                   name="hotline_answered_after_received"),
        ]
        indexes = [models.Index(fields=["community", "received_at"], name="hotline_community_received_idx"),
                   models.Index(fields=["callback_due_at"], name="hotline_callback_due_idx",
                                condition=Q(callback_done_at__isnull=True, callback_due_at__isnull=False))]

    def __str__(self):
        return f"{self.caller_name} · {self.get_category_display()}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def time_to_answer(self):
        return self.answered_at - self.received_at if self.answered_at else None

    @property
    def callback_open(self) -> bool:
        return self.callback_due_at is not None and self.callback_done_at is None
