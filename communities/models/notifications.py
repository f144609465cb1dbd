from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        ]

    def __str__(self):
        return self.title
