"""The one short form a station staff member fills in while (or just after) taking a call, on a phone."""
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import CaseCategory, User, VillageGroup

from ..models import HotlineCall
from ..selectors.hotline import outcomes_offered

LOCAL = "%Y-%m-%dT%H:%M"


def _when(attrs=None):
    return forms.DateTimeInput(attrs={"type": "datetime-local", **(attrs or {})}, format=LOCAL)


class HotlineCallForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    received_at = forms.DateTimeField(label=_("来电时间"), widget=_when())
    caller_name = forms.CharField(label=_("来电人"), max_length=40, required=False,
                                  widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                                "class": "form-control-lg"}))
    caller_phone = forms.CharField(label=_("来电号码"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel",
                                                                 "autocomplete": "off", "class": "form-control-lg"}))
    category = forms.ChoiceField(label=_("来电类别"), choices=HotlineCall.Category.choices,
                                 widget=forms.RadioSelect)
    about = forms.CharField(label=_("来电内容"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    village_group = forms.ModelChoiceField(label=_("村民小组"), queryset=VillageGroup.objects.none(), required=False,
                                           empty_label=_("（不清楚）"))
    house = forms.CharField(label=_("门牌或地点"), max_length=100, required=False)
    urgent = forms.BooleanField(label=_("紧急：马上通知值班保安"), required=False)
    outcome = forms.ChoiceField(label=_("处理结果"), widget=forms.RadioSelect)
    answer = forms.CharField(label=_("答复内容"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("当场答复时必填。"))
    case_category = forms.ModelChoiceField(label=_("诉求类别"), queryset=CaseCategory.objects.none(), required=False,
                                           empty_label=_("（交村委选择）"),
                                           help_text=_("转为诉求时：村委工作人员可当场立案，服务站登记后移交村委立案。"))
    callback_due_at = forms.DateTimeField(label=_("承诺回电期限"), required=False, widget=_when())
    callback_assignee = forms.ModelChoiceField(label=_("回电人"), queryset=User.objects.none(), required=False,
                                               empty_label=_("（不需要回电）"))

    def __init__(self, *args, community, staff, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        kwargs["initial"].setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["village_group"].queryset = VillageGroup.objects.filter(community=community).order_by("name")
        self.fields["village_group"].label_from_instance = lambda group: group.name
        self.fields["case_category"].queryset = CaseCategory.objects.filter(community=community, active=True)
        self.fields["callback_assignee"].queryset = staff
        self.fields["callback_assignee"].label_from_instance = lambda user: user.display_name()
        self.fields["outcome"].choices = outcomes_offered()


class CaseFileForm(forms.Form):
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=CaseCategory.objects.none())

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.filter(community=community, active=True)


class CallbackDoneForm(forms.Form):
    note = forms.CharField(label=_("回电情况"), max_length=300, required=False)


class CallFilterForm(forms.Form):
    day = forms.DateField(label=_("日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    outcome = forms.ChoiceField(label=_("处理结果"), required=False,
                                choices=[("", _("全部"))] + list(HotlineCall.Outcome.choices),
                                widget=forms.Select(attrs={"class": "form-select"}))
