from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import EARLIEST_DAY
from ..models import Building, Community, RegistrationRequest, Unit, User, normalize_phone


class BuildingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.community.name} · {obj.name}"


class ResidentSignupForm(UserCreationForm):
    """Self-registration: an account plus a claim on one unit, reviewed by committee staff."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    building = BuildingChoiceField(label=_("楼栋"), queryset=Building.objects.none(),
                                   help_text=_("先选择您所在的社区和楼栋"))
    room = forms.CharField(label=_("房号"), max_length=20, help_text=_("例如 301"))
    relation = forms.ChoiceField(label=_("与房屋的关系"), choices=RegistrationRequest.Relation.choices)
    moved_in = forms.DateField(label=_("入住日期"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)
        labels = {"username": _("登录名")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["building"].queryset = Building.objects.select_related("community").order_by(
            "community__name", "name")

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_moved_in(self):
        value = self.cleaned_data["moved_in"]
        if value > timezone.localdate():
            raise ValidationError(_("入住日期不能晚于今天。"))
        if value < EARLIEST_DAY:
            raise ValidationError(_("入住日期不能早于 2000 年，请核对。"))
        return value

    def clean(self):
        data = super().clean()
        building, room = data.get("building"), (data.get("room") or "").strip()
        if building and room:
            unit = Unit.objects.filter(building=building, room=room).first()
            if unit is None:
                self.add_error("room", _("%(building)s 没有房号 %(room)s，请核对。") % {
                    "building": building.name, "room": room})
            data["unit"] = unit
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不通过的原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             help_text=_("申请人会看到这段说明。"))


class ImportForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    file = forms.FileField(label=_("Excel 表格 (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if communities is not None and communities.count() == 1:
            self.fields["community"].initial = communities.first()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise ValidationError(_("文件不能超过 5 MB。"))
        if not f.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 格式的 Excel 表格。"))
        return f


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "elder_mode"]
        labels = {"email": _("电子邮箱(用于接收通知，可不填)"), "elder_mode": _("长辈模式：字更大、对比更强、按钮更大")}
