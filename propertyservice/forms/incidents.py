"""The forms of incidents: detect/report, warn, dispatch, handle, close, and a member's emergency profile."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.times import DATE, TIME, aware
from communities.models import Building, CaseCategory, VillageGroup

from ..models import Incident, IncidentWarning, ResponderProfile, Skill


class DetectForm(forms.Form):
    """The station records an incident (any source); ``resident_only`` for a villager's report."""
    kind = forms.ChoiceField(label=_("事件类型"), choices=Incident.Kind.choices)
    how = forms.ChoiceField(label=_("发现方式"), choices=Incident.How.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), required=False,
                                choices=[("", _("按事件类型（摔倒、火灾隐患为危及生命）"))] + list(Incident.Urgency.choices))
    place = forms.CharField(label=_("地点"), max_length=200)
    description = forms.CharField(label=_("情况描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    detected_time = forms.TimeField(label=_("发现时间（今天，不填为现在）"), required=False, widget=TIME)
    drill = forms.BooleanField(label=_("这是一次演练"), required=False)

    def __init__(self, *args, resident_only: bool = False, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if resident_only:
            for name in ("how", "urgency", "detected_time", "drill"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("detected_time") and self.today:
            data["detected_at"] = aware(self.today, data["detected_time"])
        return data


class WarnForm(forms.Form):
    level = forms.ChoiceField(label=_("预警级别"), choices=IncidentWarning.Level.choices,
                              widget=forms.RadioSelect, initial=IncidentWarning.Level.YELLOW)
    audience = forms.ChoiceField(label=_("发布范围"), choices=IncidentWarning.Audience.choices,
                                 initial=IncidentWarning.Audience.ALL)
    village_group = forms.ModelChoiceField(label=_("村民小组（范围选“村民小组”时）"), queryset=VillageGroup.objects.none(),
                                           required=False)
    building = forms.ModelChoiceField(label=_("房屋（范围选“一幢房屋”时）"), queryset=Building.objects.none(),
                                      required=False)
    channels = forms.MultipleChoiceField(label=_("发布渠道"), choices=IncidentWarning.Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("预警内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incident is not None:
            self.fields["village_group"].queryset = VillageGroup.objects.filter(
                community_id=incident.community_id).order_by("name")
            self.fields["building"].queryset = Building.objects.filter(
                community_id=incident.community_id).order_by("name")


class DispatchForm(forms.Form):
    skill = forms.ChoiceField(label=_("所需技能"), required=False,
                              choices=[("", _("不限技能"))] + list(Skill.choices))

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incident is not None and not self.is_bound:
            self.fields["skill"].initial = incident.needed_skill


class HandleForm(forms.Form):
    action_taken = forms.CharField(label=_("处置情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)


class IncidentCategoriesMixin:
    """The case categories of the incident's village, for the follow-up case."""

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incident is not None:
            self.fields["category"].queryset = CaseCategory.objects.filter(
                community_id=incident.community_id).order_by("order", "pk")


class CloseForm(IncidentCategoriesMixin, forms.Form):
    note = forms.CharField(label=_("关闭说明"), required=False, max_length=500)
    open_case = forms.BooleanField(label=_("开立后续维修案件"), required=False)
    category = forms.ModelChoiceField(label=_("案件类别"), queryset=CaseCategory.objects.none(), required=False)
    case_description = forms.CharField(label=_("案件说明（不填则用处置情况）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class CaseOpenForm(IncidentCategoriesMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("案件类别"), queryset=CaseCategory.objects.none())
    description = forms.CharField(label=_("案件说明（不填则用处置情况）"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ResponderProfileForm(forms.Form):
    skills = forms.MultipleChoiceField(label=_("技能"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    hours = forms.ChoiceField(label=_("值守时段"), choices=ResponderProfile.Hours.choices)
    on_call_order = forms.IntegerField(label=_("值守顺序"), min_value=1, max_value=999)
    away_until = forms.DateField(label=_("外出至（不填为在村）"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), required=False, max_length=100)


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("添加队员"), queryset=None)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        from communities.models import User

        self.fields["user"].queryset = (User.objects.filter(memberships__community=community, is_active=True)
                                        .select_related("person").distinct().order_by("person__name", "username"))
        self.fields["user"].label_from_instance = lambda user: user.display_name()
