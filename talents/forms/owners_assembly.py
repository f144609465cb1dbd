"""Forms of the owners' hub's assembly area (issue 15)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Art278Item, BallotDelivery, OwnersAssembly, Scope

MOTION_ROWS = 5
DT = {"type": "datetime-local"}


class AssemblyForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=[(OwnersAssembly.Kind.REGULAR, OwnersAssembly.Kind.REGULAR.label),
                                                         (OwnersAssembly.Kind.EXTRAORDINARY,
                                                          OwnersAssembly.Kind.EXTRAORDINARY.label)])
    title = forms.CharField(label=_("会议名称"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.ChoiceField(label=_("表决范围"), choices=Scope.choices)
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=None, required=False,
                                      help_text=_("范围为本幢或本单元时选择。"))
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=forms.DateTimeInput(attrs=DT))
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=forms.DateTimeInput(attrs=DT))
    place = forms.CharField(label=_("会议地点"), max_length=200)
    notice_sent_on = forms.DateField(label=_("书面告知日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notice_housing_office = forms.BooleanField(label=_("已将会议时间、地点、议题书面告知房屋管理部门"), required=False)
    notice_residents_committee = forms.BooleanField(label=_("已将会议时间、地点、议题书面告知居民委员会"), required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from communities.models import Building

        self.fields["building"].queryset = Building.objects.filter(community=community).order_by("name")
        for i in range(MOTION_ROWS):
            self.fields[f"motion_{i}"] = forms.CharField(label=_("议题 %(n)s") % {"n": i + 1}, max_length=200,
                                                         required=i == 0)
            self.fields[f"item_{i}"] = forms.TypedChoiceField(
                label=_("议题 %(n)s 属于《民法典》第二百七十八条第一款") % {"n": i + 1}, coerce=int,
                choices=[("", "—")] + list(Art278Item.choices), required=i == 0, empty_value=None)

    def motion_fields(self):
        return [(self[f"motion_{i}"], self[f"item_{i}"]) for i in range(MOTION_ROWS)]

    def motions(self) -> list[tuple[str, int]]:
        out = []
        for i in range(MOTION_ROWS):
            title, item = self.cleaned_data.get(f"motion_{i}"), self.cleaned_data.get(f"item_{i}")
            if title:
                out.append((title, item))
        return out


class RequestForm(forms.Form):
    matter = forms.CharField(label=_("提议临时会议讨论的事项"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class VotingRulesForm(forms.Form):
    deemed_consent = forms.BooleanField(label=_("未参与表决的业主视为同意多数意见"), required=False)
    clause = forms.CharField(label=_("业主大会议事规则的相应条款（原文）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))


class DeliveryForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput)
    delivered_on = forms.DateField(label=_("送达日期"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("送达方式"), choices=BallotDelivery.Method.choices)
    signer = forms.CharField(label=_("签收人"), max_length=50, required=False)
    proof = forms.CharField(label=_("凭证（单号、签收单编号等）"), max_length=200, required=False)
