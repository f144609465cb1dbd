from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import StudioService


class StudioServiceForm(forms.ModelForm):
    class Meta:
        model = StudioService
        fields = ["title", "description", "needs_qualification", "duration_minutes", "place", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"needs_qualification": _("针灸治疗、健康咨询只有在工作室登记了相应资质后才能开放预约。")}


class SlotBatchForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.TimeField(label=_("第一个时段开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    count = forms.IntegerField(label=_("时段个数"), min_value=1, max_value=40, initial=8)
    capacity = forms.IntegerField(label=_("每个时段名额"), min_value=1, max_value=50, initial=1)
    gap_minutes = forms.IntegerField(label=_("时段之间间隔(分钟)"), min_value=0, max_value=120, initial=0)


class BookingForm(forms.Form):
    note = forms.CharField(label=_("备注（可不填）"), max_length=200, required=False)
