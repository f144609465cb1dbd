"""Forms of the owners' hub's company area: the contract, the company's notice of non-renewal, a window document,
a fee change and its publication, and the owners' survey (one big-button question per criterion)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FeeChange, OwnersAssembly, PublicDocument
from .file_kept import FileNotKeptMixin

DATE = forms.DateInput(attrs={"type": "date"})
FILE_ACCEPT = {"accept": "application/pdf,image/jpeg,image/png"}


def _assemblies(community):
    return OwnersAssembly.objects.filter(community=community).select_related("election")


class ContractForm(FileNotKeptMixin, forms.Form):
    company_name = forms.CharField(label=_("物业服务企业名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码（选填）"), max_length=18, required=False)
    starts_on = forms.DateField(label=_("合同起始日"), widget=DATE)
    ends_on = forms.DateField(label=_("合同届满日"), widget=DATE)
    fee_residential = forms.DecimalField(label=_("住宅物业费（元/m²·月）"), max_digits=6, decimal_places=2,
                                         min_value=0)
    fee_parking = forms.DecimalField(label=_("车位物业费（元/个·月，选填）"), max_digits=7, decimal_places=2,
                                     min_value=0, required=False)
    file = forms.FileField(label=_("合同文本（PDF 或扫描件，选填）"), required=False,
                           widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))
    chosen_by = forms.ModelChoiceField(label=_("选聘该企业的业主共同决定（选填）"), queryset=None, required=False,
                                       empty_label=_("无"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_by"].queryset = _assemblies(community)


class NoticeForm(forms.Form):
    notice_on = forms.DateField(label=_("企业书面告知不续约的日期"),
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-lg"}))


class DocumentForm(FileNotKeptMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PublicDocument.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文（选填）"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=10000)
    file = forms.FileField(label=_("附件（PDF 或扫描件，选填）"), required=False,
                           widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))
    published_on = forms.DateField(label=_("公示日期"), widget=DATE)


class FeeChangeForm(FileNotKeptMixin, forms.Form):
    property_kind = forms.ChoiceField(label=_("物业类型"), choices=FeeChange.PropertyKind.choices)
    new_fee = forms.DecimalField(label=_("新标准（元/m²·月 或 元/个·月）"), max_digits=7, decimal_places=2, min_value=0)
    effective_on = forms.DateField(label=_("执行日期"), widget=DATE)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    audit_file = forms.FileField(label=_("审计报告或评估报告（公示前必须上传）"), required=False,
                                 widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))
    decision = forms.ModelChoiceField(label=_("业主共同决定（选填）"), queryset=None, required=False,
                                      empty_label=_("无"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _assemblies(community)


class FeePublishForm(FileNotKeptMixin, forms.Form):
    audit_file = forms.FileField(label=_("审计报告或评估报告"), required=False,
                                 widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))


class SurveyForm(forms.Form):
    """``c<criterion id>`` → one of the scale's labels; each answer a big button (an elder can press it)."""

    def __init__(self, *args, criteria, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=criterion.question or criterion.name, choices=[(label, label) for label, _v in scale],
                widget=forms.RadioSelect(attrs={"class": "btn-check"}), error_messages={"required": _("请选择一项。")})

    def answers(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}
