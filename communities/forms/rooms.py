"""The room booking form (用途, date, start, end) and the staff's room form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .times import DATE, TIME, DayTimeRangeMixin


class BookingForm(DayTimeRangeMixin, forms.Form):
    title = forms.CharField(label=_("用途"), max_length=200,
                            help_text=_("其他人会看到，例如 书香工作室·绘本阅读"))
    day = forms.DateField(label=_("日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如 多功能厅"))
    where = forms.CharField(label=_("位置"), max_length=200, required=False, help_text=_("例如 党群服务中心 二楼"))
    capacity = forms.IntegerField(label=_("可容纳人数"), min_value=1, max_value=2000, initial=20)
    notes = forms.CharField(label=_("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("设备、开放时间、使用须知等"))
    active = forms.BooleanField(label=_("开放预约"), required=False, initial=True)
