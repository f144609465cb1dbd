from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..messages import message_render


class Notification(models.Model):
    """An in-app message and the outbox row for its e-mail.

    Written in the same transaction as the change it reports; a Celery task
    e-mails it after commit, and a periodic sweeper retries what is still
    undelivered, so a broker outage delays a message but never loses it.
    """

    recipient = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("收件人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # The message key and parameters of the title and body ({"title": {"key", "params"}, "body": …}), rendered
    # again in the reader's language (services.texts.message_render). Empty for rows written before keys were
    # kept: their stored text is shown as it is.
    texts = models.JSONField(_("消息键与参数"), default=dict, blank=True)
    # The case a notification is about: the inbox groups them (one row per case with a count and the latest).
    case = models.ForeignKey("communities.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("诉求"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    email_failed = models.BooleanField(_("邮件发送失败"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "email_failed"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "case"], name="notification_case_idx"),
        ]

    def __str__(self):
        return self.title

    def _text(self, part: str, stored_text: str) -> str:
        rendered = message_render((self.texts or {}).get(part))
        return stored_text if rendered is None else rendered

    @property
    def shown_title(self) -> str:
        """The title in the active language (the reader's), or the stored text."""
        return self._text("title", self.title)

    @property
    def shown_body(self) -> str:
        return self._text("body", self.body)
