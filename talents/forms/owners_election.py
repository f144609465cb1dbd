"""Forms of the owners' hub's election area (issue 15): every field labelled, dates as date pickers."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Backbone, User

from ..models import CandidateCheck, ElectionStep, PreparatoryMember
from ..services.owners_election import RECORDED_BY_HAND
from .file_kept import FileNotKeptMixin

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


class ElectionCreateForm(forms.Form):
    term_number = forms.IntegerField(label=_("选举第几届业主委员会"), min_value=1, max_value=99)
    triggered_on = forms.DateField(label=_("换届启动日期（业主申请或任期届满通知之日）"), widget=forms.DateInput(DATE))
    seats = forms.IntegerField(label=_("委员名额（单数）"), min_value=3, max_value=21, initial=5)
    assembly_on = forms.DateField(label=_("计划召开业主大会日期"), required=False, widget=forms.DateInput(DATE))


class DatesForm(forms.Form):
    assembly_on = forms.DateField(label=_("计划召开业主大会日期"), widget=forms.DateInput(DATE))


class GroupMemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    side = forms.ChoiceField(label=_("代表方"), choices=PreparatoryMember.Side.choices)
    role = forms.ChoiceField(label=_("职务"), choices=PreparatoryMember.Role.choices,
                             initial=PreparatoryMember.Role.MEMBER)


class GroupFormForm(forms.Form):
    formed_on = forms.DateField(label=_("街镇组建筹备组的日期"), widget=forms.DateInput(DATE))


class StepForm(FileNotKeptMixin, forms.Form):
    kind = forms.ChoiceField(label=_("步骤"), choices=[(k, l) for k, l in ElectionStep.Kind.choices
                                                     if k in RECORDED_BY_HAND])
    done_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(DATE))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    document = forms.FileField(label=_("文件（可选）"), required=False)


class VoteForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=forms.DateTimeInput(DATETIME))
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=forms.DateTimeInput(DATETIME))


class NominateForm(forms.Form):
    user = forms.ModelChoiceField(label=_("候选人（本小区业主）"), queryset=User.objects.none())
    statement = forms.CharField(label=_("竞选陈述"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["user"].queryset = owners
        self.fields["user"].label_from_instance = lambda user: user.display_name()


class CheckForm(FileNotKeptMixin, forms.Form):
    check = forms.IntegerField(widget=forms.HiddenInput)
    pledge_signed_on = forms.DateField(label=_("书面承诺签署日期"), required=False, widget=forms.DateInput(DATE))
    pledge_file = forms.FileField(label=_("书面承诺（扫描件，可选）"), required=False)
    checked_on = forms.DateField(label=_("核查日期"), widget=forms.DateInput(DATE))
    result = forms.ChoiceField(label=_("核查结果"), choices=[(CandidateCheck.Result.PASSED, _("核查通过")),
                                                         (CandidateCheck.Result.FAILED, _("不符合条件"))])
    reason = forms.ChoiceField(label=_("不符合原因"), choices=CandidateCheck.Reason.choices, required=False)
    source = forms.CharField(label=_("核查依据"), max_length=200,
                             help_text=_("如：物业公司欠费清单（日期）、维修资金账户查询、执法记录。"))


class OnForm(forms.Form):
    on = forms.DateField(label=_("公示日期"), widget=forms.DateInput(DATE))


class ResultForm(forms.Form):
    on = forms.DateField(label=_("选举结果公布日期"), widget=forms.DateInput(DATE))


class TermForm(forms.Form):
    """One office per elected member (the committee picks its director: exactly one 主任)."""
    started_on = forms.DateField(label=_("任期开始"), widget=forms.DateInput(DATE))
    ends_on = forms.DateField(label=_("任期届满日"), widget=forms.DateInput(DATE))

    OFFICES = [(Backbone.Office.DIRECTOR, _("业委会主任")), (Backbone.Office.DEPUTY_DIRECTOR, _("业委会副主任")),
               (Backbone.Office.COMMITTEE_MEMBER, _("业委会委员"))]

    def __init__(self, *args, elected=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in elected:
            self.fields[f"office_{row['user_id']}"] = forms.ChoiceField(
                label=row["name"], choices=self.OFFICES, initial=Backbone.Office.COMMITTEE_MEMBER)

    def offices(self) -> dict:
        return {int(k.removeprefix("office_")): v for k, v in self.cleaned_data.items() if k.startswith("office_")}
