from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.people import PeopleField

from ..models import SquadTask


class SquadProposalForm(forms.Form):
    name = forms.CharField(label=_("小分队名称"), max_length=60)
    purpose = forms.CharField(label=_("宗旨和任务"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    members = PeopleField(label=_("首批成员"), required=False, help_text=_("输入姓名查找并勾选本社区的居民。"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].set_community(community)


class SquadTaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SquadTask.Kind.choices)
    need = forms.ModelChoiceField(label=_("认领的共建需求"), queryset=None, required=False,
                                  empty_label=_("（不是认领需求）"))
    title = forms.CharField(label=_("任务"), max_length=100, required=False,
                            help_text=_("认领需求时可不填，默认用需求名称。"))
    starts_at = forms.DateTimeField(label=_("开始"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("地点"), max_length=100)
    participants = forms.ModelMultipleChoiceField(label=_("参与人"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, needs, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.fields["participants"].queryset = members
        self.fields["participants"].label_from_instance = lambda user: user.display_name()


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("未同意原因"), max_length=200)


class ApproveForm(forms.Form):
    consent_note = forms.CharField(label=_("居委同意依据"), max_length=200,
                                   help_text=_("例如：居委会 2026-03-05 会议同意"))
