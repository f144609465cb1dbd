from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CommunityTitle


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("按姓名查找"), max_length=50, required=False)


class TitleAwardForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("社区身份"), choices=CommunityTitle.Kind.choices)
    other_name = forms.CharField(label=_("其他身份名称"), max_length=30, required=False,
                                 help_text=_("选择“其他”时填写，例如：消防宣传员"))
