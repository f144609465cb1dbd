"""The room booking form (用途, date, start, end) and the staff's room form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .meetings import DATE, TIME, aware


class BookingForm(forms.Form):
    title = forms.CharField(label=_("用途"), max_length=200,
                            help_text=_("其他人会看到，例如 书香工作室·绘本阅读"))
    day = forms.DateField(label=_("日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = aware(data["day"], data["start_time"])
            data["ends_at"] = aware(data["day"], data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("结束时间要晚于开始时间。"))
        return data


class RoomForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如 多功能厅"))
    where = forms.CharField(label=_("位置"), max_length=200, required=False, help_text=_("例如 党群服务中心 二楼"))
    capacity = forms.IntegerField(label=_("可容纳人数"), min_value=1, max_value=2000, initial=20)
    notes = forms.CharField(label=_("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("设备、开放时间、使用须知等"))
    active = forms.BooleanField(label=_("开放预约"), required=False, initial=True)
