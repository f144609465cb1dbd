"""Forms of the leave (请假) and qualification (资质) pages; the rules live in the services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Qualification

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LeaveForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    reason = forms.CharField(label=_("原因(可选)"), max_length=200, required=False)


class QualificationGrantForm(forms.Form):
    user = forms.TypedChoiceField(label=_("成员"), coerce=int)
    qualification = forms.ModelChoiceField(label=_("资质"), queryset=Qualification.objects.none())
    expires_on = forms.DateField(label=_("有效期至"), required=False, help_text=_("留空表示长期有效"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, members, qualifications, **kwargs):
        """members: the rota's users; qualifications: those the viewer may grant (the policy's answer)."""
        super().__init__(*args, **kwargs)
        self.members = {user.pk: user for user in members}
        self.fields["user"].choices = [(user.pk, user.display_name()) for user in members]
        self.fields["qualification"].queryset = qualifications
        self.fields["qualification"].empty_label = None

    def clean_user(self):
        return self.members[self.cleaned_data["user"]]


class QualificationCreateForm(forms.Form):
    name = forms.CharField(label=_("新资质名称"), max_length=100, help_text=_("例如：安保培训、急救证"))
