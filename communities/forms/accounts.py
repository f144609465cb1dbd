from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import EARLIEST_DAY
from ..models import Building, Community, RegistrationRequest, Unit, User
from .passwords import plain_password_help


class RegistrationCommunityForm(forms.Form):
    """The first choice of a registration: which community (then only its buildings are offered)."""

    community = forms.ModelChoiceField(label=_("您住在哪个社区(村)？"), queryset=Community.objects.none(),
                                       empty_label=_("请选择社区"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.order_by("name")


class BuildingNameField(forms.ModelChoiceField):
    """The community is chosen already: its buildings by name alone, in natural order (2号楼 before 10号楼)."""

    def label_from_instance(self, obj):
        return obj.name


class ResidentSignupForm(forms.Form):
    """Self-registration, once the phone is verified: the claim on one unit of the chosen community, and a
    password. No login name: the resident signs in with the verified phone."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    building = BuildingNameField(label=_("楼栋"), queryset=Building.objects.none(), empty_label=_("请选择楼栋"))
    room = forms.CharField(label=_("房号"), max_length=20, help_text=_("例如 301"))
    relation = forms.ChoiceField(label=_("与房屋的关系"), choices=RegistrationRequest.Relation.choices)
    moved_in = forms.DateField(label=_("入住日期"), widget=forms.DateInput(attrs={"type": "date"}))
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, community, phone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone
        self.fields["building"].queryset = Building.objects.filter(community=community)
        plain_password_help(self)

    def clean_moved_in(self):
        value = self.cleaned_data["moved_in"]
        if value > timezone.localdate():
            raise ValidationError(_("入住日期不能晚于今天。"))
        if value < EARLIEST_DAY:
            raise ValidationError(_("入住日期不能早于 2000 年，请核对。"))
        return value

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password2:
            try:
                password_validation.validate_password(
                    password2, User(username=self.phone, first_name=data.get("name") or ""))
            except ValidationError as error:
                self.add_error("password2", error)
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
