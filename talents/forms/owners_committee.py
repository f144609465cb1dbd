"""Staff forms of the owners' committee area (issue 15 item 2): a filing, a recall, a decision, its notice."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CommitteeFiling, CommitteeRecall, CommitteeTerm, OwnersAssembly
from .file_kept import FileNotKeptMixin

DATE = forms.DateInput(attrs={"type": "date"})
FILE_ACCEPT = {"accept": "application/pdf,image/jpeg"}


class FilingForm(FileNotKeptMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("届别"), queryset=CommitteeTerm.objects.none())
    kind = forms.ChoiceField(label=_("证明类型"), choices=CommitteeFiling.Kind.choices)
    number = forms.CharField(label=_("证明编号"), max_length=60, help_text=_("例如：罗店业备〔2025〕第003号"))
    issued_on = forms.DateField(label=_("出具日期"), widget=DATE)
    issued_by = forms.CharField(label=_("出具机关"), max_length=60, initial="罗店镇人民政府")
    file = forms.FileField(label=_("证明扫描件（PDF 或 JPG，不超过 5 MB，可选）"), required=False,
                           widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = CommitteeTerm.objects.filter(community=community).order_by("-number")


class RecallForm(forms.Form):
    term = forms.ModelChoiceField(label=_("被罢免的届别"), queryset=CommitteeTerm.objects.none())
    decided_on = forms.DateField(label=_("罢免日期（业主表决通过之日）"), widget=DATE)
    grounds = forms.ChoiceField(label=_("罢免事由"), choices=CommitteeRecall.Grounds.choices)
    grounds_text = forms.CharField(label=_("事由说明"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    assembly = forms.ModelChoiceField(label=_("罢免表决（系统内的业主表决）"), required=False,
                                      queryset=OwnersAssembly.objects.none(), empty_label=_("（纸质表决，无系统记录）"))
    result_text = forms.CharField(label=_("表决结果（纸质表决时必填）"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = CommitteeTerm.objects.filter(community=community, ended_on__isnull=True)
        self.fields["assembly"].queryset = OwnersAssembly.objects.filter(
            community=community, kind=OwnersAssembly.Kind.RECALL).select_related("election")


class DecisionForm(FileNotKeptMixin, forms.Form):
    title = forms.CharField(label=_("决定事项"), max_length=200)
    text = forms.CharField(label=_("决定内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    file = forms.FileField(label=_("附件（PDF 或 JPG，不超过 5 MB，可选）"), required=False,
                           widget=forms.ClearableFileInput(attrs=FILE_ACCEPT))

    def __init__(self, *args, community=None, **kwargs):  # the same signature as the other staff forms
        super().__init__(*args, **kwargs)


class NoticeForm(forms.Form):
    notice = forms.CharField(label=_("告知居委会的书面通知"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
