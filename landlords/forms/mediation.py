import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Agency

from ..models import MediationRecord

PHONE_HELP = _("只写文字描述，不收集当事人的电话号码。")


class MediationRecordForm(forms.Form):
    parties = forms.CharField(label=_("当事人"), max_length=200,
                              help_text=_("例如：301室租客 vs 302室租客。只写文字描述，不收集当事人的电话号码。"))
    issue = forms.CharField(label=_("矛盾情况"), widget=forms.Textarea(attrs={"rows": 3}), help_text=PHONE_HELP)
    agreement = forms.CharField(label=_("调解结果/达成的约定"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("处理结果"), choices=MediationRecord.Outcome.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(label=_("转交的职能部门"), queryset=Agency.objects.all(), required=False,
                                    help_text=_("处理结果为“转交职能部门”时必选。"))
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == MediationRecord.Outcome.REFERRED and not data.get("agency"):
            self.add_error("agency", _("转交职能部门时请选择部门。"))
        return data


class MediationCorrectForm(forms.Form):
    parties = MediationRecordForm.base_fields["parties"]
    issue = MediationRecordForm.base_fields["issue"]
    agreement = MediationRecordForm.base_fields["agreement"]
    outcome = forms.ChoiceField(label=_("处理结果"), widget=forms.RadioSelect, choices=[
        (MediationRecord.Outcome.SETTLED, MediationRecord.Outcome.SETTLED.label),
        (MediationRecord.Outcome.REFERRED, MediationRecord.Outcome.REFERRED.label)])
    agency = MediationRecordForm.base_fields["agency"]

    def __init__(self, *args, record: MediationRecord, **kwargs):
        kwargs.setdefault("initial", {"parties": record.parties, "issue": record.issue,
                                      "agreement": record.agreement, "outcome": record.outcome,
                                      "agency": record.agency_id})
        super().__init__(*args, **kwargs)
        if record.outcome == MediationRecord.Outcome.CASE:
            del self.fields["outcome"]  # a record turned into a case keeps that outcome
            del self.fields["agency"]


class MediationFilterForm(forms.Form):
    month = forms.CharField(label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    outcome = forms.ChoiceField(label=_("处理结果"), required=False,
                                choices=[("", _("全部"))] + list(MediationRecord.Outcome.choices),
                                widget=forms.Select(attrs={"class": "form-select"}))
