"""The gate's forms: one short form for whoever comes in, a time to correct an exit, a camera."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms.times import DATE

from ..models import GateEntry, VehicleClass

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _WhenMixin:
    """An optional time typed at the gate (补录): blank means now; never in the future."""

    def clean_at(self):
        value = self.cleaned_data.get("at")
        if value and value > timezone.now() + timezone.timedelta(minutes=1):
            raise forms.ValidationError(_("时间不能晚于现在。"))
        return value


class GateEntryForm(_WhenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("谁来了"), choices=GateEntry.Kind.choices, initial=GateEntry.Kind.VEHICLE,
                             widget=forms.RadioSelect(attrs={"class": "btn-check"}))
    plate = forms.CharField(label=_("车牌号"), max_length=12, required=False,
                            widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                                          "placeholder": "沪A12345", "class": "form-control-lg"}))
    vehicle_class = forms.ChoiceField(label=_("车辆类别"), choices=VehicleClass.choices, initial=VehicleClass.CAR,
                                      required=False)
    visiting = forms.CharField(label=_("走访对象"), max_length=100, required=False,
                               help_text=_("哪一户或哪个村民小组，例如：丁钱组12号"))
    reason = forms.CharField(label=_("事由"), max_length=100, required=False)
    at = forms.DateTimeField(label=_("入场时间（不填为现在）"), required=False, widget=DATETIME,
                             input_formats=["%Y-%m-%dT%H:%M"])


class GateExitForm(_WhenMixin, forms.Form):
    at = forms.DateTimeField(label=_("离场时间（不填为现在）"), required=False, widget=DATETIME,
                             input_formats=["%Y-%m-%dT%H:%M"])


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("付款方式"), choices=[("cash", _("现金")), ("wechat", _("微信"))])


class CameraForm(forms.Form):
    place = forms.CharField(label=_("安装位置"), max_length=100)
    maintainer = forms.CharField(label=_("维护单位或人员"), max_length=100)
    last_checked_on = forms.DateField(label=_("上次检查"), required=False, widget=DATE)
    next_check_due = forms.DateField(label=_("下次检查"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), required=False, widget=DATE)
