"""Forms of the station's people: the employer's filing, a certificate, a post, an application, an
assessment, a training session and its attendance."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.times import DATE, TIME, aware

from ..models import CertificateKind, StationPost


class StationProfileForm(forms.Form):
    employer_name = forms.CharField(label=_("用人单位"), max_length=100)
    security_since = forms.DateField(label=_("开始自行招用保安员日期"), required=False, widget=DATE)
    police_filing_number = forms.CharField(label=_("公安机关备案编号"), max_length=50, required=False)
    police_filed_on = forms.DateField(label=_("备案日期"), required=False, widget=DATE)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至"), required=False, widget=DATE, help_text=_("长期有效可不填。"))
    issued_by = forms.CharField(label=_("发证机关"), max_length=100)


class AssignPostForm(forms.Form):
    post = forms.ModelChoiceField(label=_("岗位"), queryset=StationPost.objects.none())
    since = forms.DateField(label=_("上岗日期"), widget=DATE)
    birth = forms.DateField(label=_("出生日期"), required=False, widget=DATE,
                            help_text=_("人员信息里没有出生日期时填写：保安岗位须年满18周岁。"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = StationPost.objects.filter(community=community).order_by("id")


class RecruitForm(forms.Form):
    person = forms.ModelChoiceField(label=_("应聘人"), queryset=None, help_text=_("本村的村民或已有账号的人员。"))
    post = forms.ModelChoiceField(label=_("应聘岗位"), queryset=StationPost.objects.none())
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE,
                                 help_text=_("人员信息里没有出生日期时填写：保安岗位须年满18周岁。"))
    note = forms.CharField(label=_("备注"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, community, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["post"].queryset = StationPost.objects.filter(community=community).order_by("id")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class AssessForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("考核结果"), choices=[("1", _("通过")), ("0", _("未通过"))],
                                    coerce=lambda v: v == "1", widget=forms.RadioSelect)
    score = forms.IntegerField(label=_("得分"), min_value=0, max_value=100)
    note = forms.CharField(label=_("考核意见"), max_length=500, required=False)


class HireForm(forms.Form):
    since = forms.DateField(label=_("上岗日期"), widget=DATE)


class TrainingSessionForm(forms.Form):
    topic = forms.CharField(label=_("培训内容"), max_length=100)
    day = forms.DateField(label=_("日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    hours = forms.DecimalField(label=_("学时"), min_value=Decimal("0.5"), max_value=Decimal("24"), decimal_places=1)
    trainer = forms.CharField(label=_("授课人"), max_length=50, required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time"):
            data["starts_at"] = aware(data["day"], data["start_time"])
        return data


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(label=_("出席人员"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = people
        self.fields["present"].label_from_instance = lambda person: person.name
