from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("业主名册表格（.xlsx）"),
                           help_text=_("第一行为表头：楼栋、单元、房号、专有面积、面积来源、证号、业主姓名、手机、共有人、开发商未售。"))


class RegisterConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RosterPublishForm(forms.Form):
    note = forms.CharField(label=_("公示说明"), max_length=200, required=False,
                           help_text=_("例如：第四届业主委员会选举，业主名册公示，如有异议请于公示期内向居委会提出。"))
