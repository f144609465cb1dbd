"""Dates and times typed on a phone: the native date and time pickers, a day and time made aware in the
community's time zone, and one day's time range (a room booking, a moved class session)."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at), timezone.get_default_timezone())


class DayTimeRangeMixin:
    """A form with ``day``, ``start_time`` and ``end_time`` fields (declared by the form, with its own labels)
    gets ``starts_at``/``ends_at`` in its cleaned data, and an error under 结束时间 when the end is not later."""

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = aware(data["day"], data["start_time"])
            data["ends_at"] = aware(data["day"], data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("结束时间要晚于开始时间。"))
        return data
