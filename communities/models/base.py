"""Abstract bases every workflow of the core and the apps builds on, written once.

``StoredPhoto``: a photo checked and cleaned by ``communities.services.photos`` (content sniffed, metadata
stripped, resized) and stored under MEDIA_ROOT, outside the web root, with a random name: a guessed URL finds
nothing and the uploaded name (which may carry a person's name) is not kept. It is served only by
``communities.views.photos.photo_response``, behind the policy, with one set of security headers.

``TimelineEvent``: one step of an object's timeline (who did what, when, from which state to which, with a
note and structured details). Rows are appended, never edited or deleted: ``save()`` refuses an update,
``delete()`` refuses always, and so do the queryset's ``update()`` and ``delete()`` (``bulk_update`` too). Only
the deletion of the object itself takes its timeline with it (the database cascade, which no code here calls).
The state machine (``communities.statemachine``) appends these rows.

A subclass adds its foreign key to the object (``case``, ``need`` …) and its ``Meta`` (verbose names,
indexes); a photo subclass sets ``upload_folder``.
"""
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def stored_photo_path(instance, filename):
    # Random names outside the web root; the uploaded name is ignored.
    return f"{instance.upload_folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class StoredPhoto(models.Model):
    upload_folder = "photos"  # a subclass names its folder under MEDIA_ROOT

    image = models.FileField(_("照片"), upload_to=stored_photo_path)
    extension = models.CharField(max_length=5, default="jpg")
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.extension, "application/octet-stream")


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RuntimeError(f"{self.model.__name__} rows are never edited")

    def delete(self):
        raise RuntimeError(f"{self.model.__name__} rows are never deleted")


class TimelineEvent(models.Model):
    """One step of a timeline. ``at`` is when it happened (the event's creation time)."""

    actor = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(f"{type(self).__name__} rows are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are never deleted")
