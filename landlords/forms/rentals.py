"""Forms of the rentals pages: phone first, few fields. No national ID numbers, ever."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.forms.widgets import FastSelectMixin
from communities.models import normalize_phone

from ..selectors.rentals import RegistrationFilters


class DateInput(forms.DateInput):
    input_type = "date"


class RentalDeclarationForm(forms.Form):
    rooms = forms.IntegerField(label=_("出租间数(含隔间)"), min_value=1, max_value=50)
    partitions_note = forms.CharField(label=_("隔断情况说明"), required=False, max_length=500,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("例如：客厅隔出一间。没有隔断可不填。"))


class MoveInForm(forms.Form):
    name = forms.CharField(label=_("租客姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    moved_in = forms.DateField(label=_("入住日期"), widget=DateInput)

    def clean_phone(self):
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None
        if not phone:
            raise ValidationError(_("请填写租客手机号码。"))
        return phone


class MoveOutForm(forms.Form):
    moved_out = forms.DateField(label=_("迁出日期"), widget=DateInput)


class RegistrationFilterForm(FastSelectMixin, forms.Form):
    q = forms.CharField(label=_("姓名或房号"), required=False, max_length=50)
    building = forms.ChoiceField(label=_("楼栋"), required=False)
    late = forms.ChoiceField(label=_("登记"), required=False,
                             choices=[("", _("全部")), ("1", _("逾期登记")), ("0", _("按时登记"))])
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("在住")), ("0", _("已迁出"))])

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", _("全部楼栋"))] + [(str(b.pk), b.name) for b in buildings]

    def to_filters(self) -> RegistrationFilters:
        if not self.is_valid():
            return RegistrationFilters()
        data = self.cleaned_data
        flag = {"1": True, "0": False}
        return RegistrationFilters(building=int(data["building"]) if data["building"] else None,
                                   late=flag.get(data["late"]), active=flag.get(data["active"]),
                                   q=data["q"].strip())


class PurposeForm(forms.Form):
    """Why the viewer needs the full phone numbers (logged with each number shown)."""

    purpose = forms.CharField(label=_("查看原因"), max_length=200, min_length=2,
                              help_text=_("例如：联系租客核实入住情况。会记入个人信息访问记录。"))


class ExportForm(forms.Form):
    purpose = forms.CharField(label=_("导出用途"), max_length=200, min_length=2,
                              help_text=_("会记入个人信息访问记录。"))
    reveal_phones = forms.BooleanField(label=_("导出完整手机号码(默认隐藏中间四位)"), required=False)
