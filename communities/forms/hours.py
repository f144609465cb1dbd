"""Forms of the volunteer-hours pages; the rules live in communities.services.hours."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Team, VolunteerHours, normalize_phone

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIRM_HOW = [(VolunteerHours.How.ORGANISER, VolunteerHours.How.ORGANISER.label),
               (VolunteerHours.How.SERVED, VolunteerHours.How.SERVED.label),
               (VolunteerHours.How.TEACHER, VolunteerHours.How.TEACHER.label)]


class VolunteerPhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("志愿者手机号"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("用来找到本社区的这位志愿者，不会显示在记录上"))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class ManualHoursForm(forms.Form):
    phone = VolunteerPhoneField()
    activity = forms.CharField(label=_("服务项目"), max_length=200)
    place = forms.CharField(label=_("服务地点"), max_length=200, required=False)
    team = forms.ModelChoiceField(label=_("组织队伍(可选)"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("居委自己组织"))
    starts_at = forms.DateTimeField(label=_("服务开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("服务结束时间"), widget=DATETIME)
    minutes = forms.IntegerField(label=_("实际服务时长(分钟)"), min_value=1, required=False,
                                 help_text=_("不含路上时间；留空按开始到结束计算"))
    scheduled_minutes = forms.IntegerField(label=_("排定时长(分钟，可选)"), min_value=1, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(community=community).order_by("name")


class CorrectForm(forms.Form):
    activity = forms.CharField(label=_("服务项目"), max_length=200)
    place = forms.CharField(label=_("服务地点"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("服务开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("服务结束时间"), widget=DATETIME)
    minutes = forms.IntegerField(label=_("实际服务时长(分钟)"), min_value=1)
    reason = forms.CharField(label=_("更正原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionRequestForm(forms.Form):
    message = forms.CharField(label=_("哪里有误、应当是多少"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    how = forms.ChoiceField(label=_("确认方式"), choices=CONFIRM_HOW)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("不通过"))])
    note = forms.CharField(label=_("审核意见"), max_length=1000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=1000)


class CertificateProposeForm(forms.Form):
    phone = VolunteerPhoneField()
    period_from = forms.DateField(label=_("服务期间自"), widget=DATE)
    period_to = forms.DateField(label=_("服务期间至"), widget=DATE)
    person_in_charge = forms.CharField(label=_("出具单位负责人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False,
                                    help_text=_("留空用居委电话"))

    def clean(self):
        data = super().clean()
        if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
            raise ValidationError(_("服务期间的结束日期不能早于开始日期。"))
        return data


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=1000)
