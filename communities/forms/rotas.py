from django import forms
from django.utils.translation import gettext_lazy as _

from .. import recurrence as rec
from ..models import Qualification, Rota
from ..services.rotas import SlotSpec
from .people import PeopleField, PersonField
from .recurrence import RecurrenceForm, recurrence_initial


class RotaForm(forms.ModelForm):
    """The rota and who is on it, chosen by name among the community's people (never typed login names or
    phones: a phone typed here was looked up across the town and named people of other communities)."""

    GROUP_PREFIX = "member_group-"

    manager = PersonField(label=_("负责人"), required=False, empty_label=_("不指定(由居委工作人员负责)"))
    members = PeopleField(label=_("值班成员"), required=False,
                          help_text=_("输入姓名查找并勾选；同组的人一起值班，在姓名后填写相同的组名。"
                                      "新加入的人排在轮换顺序的最后。"))

    class Meta:
        model = Rota
        fields = ["name", "kind", "place", "required_qualification", "children_per_adult", "horizon_weeks", "active"]

    def __init__(self, *args, community, may_require=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["required_qualification"].queryset = Qualification.objects.filter(community=community)
        self.fields["required_qualification"].empty_label = _("不需要")
        if not may_require:  # a manager who is not committee staff keeps the qualification staff set
            self.fields["required_qualification"].disabled = True
            self.fields["required_qualification"].help_text = _("要求的资质由居委工作人员设定。")
        current = list(self.instance.members.order_by("order", "id")) if self.instance.pk else []
        self._order = [m.user_id for m in current]
        picker = self.fields["members"]
        picker.set_community(community, first=self._order)
        picker.widget.group_prefix = self.GROUP_PREFIX
        self.fields["manager"].set_community(community)
        if self.is_bound:
            picker.widget.groups = {key[len(self.GROUP_PREFIX):]: value for key, value in self.data.items()
                                    if key.startswith(self.GROUP_PREFIX)}
        elif self.instance.pk:
            self.initial["manager"] = self.instance.manager_id
            self.initial["members"] = self._order
            picker.widget.groups = {str(m.user_id): m.group for m in current}

    def clean_members(self):
        """[(user, group)] in rotation order: the members kept in theirs, then the new ones as listed."""
        chosen = {user.pk: user for user in self.cleaned_data["members"]}
        listed = [pk for pk, _label in self.fields["members"].choices if pk in chosen]
        ordered = [pk for pk in self._order if pk in chosen] + [pk for pk in listed if pk not in self._order]
        return [(chosen[pk], (self.data.get(f"{self.GROUP_PREFIX}{pk}") or "").strip()[:50]) for pk in ordered]


class SlotForm(RecurrenceForm):
    """One line of the rota's pattern: when (in plain words, or an RRULE under 高级), from when to when, how many.
    Every day and chosen weekdays are kept as the slot's weekdays; other rules as its RRULE."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               help_text=_("早于开始时间表示到第二天，例如 22:00–06:00"))
    people = forms.IntegerField(label=_("每班人数"), min_value=1, max_value=20, initial=1)

    def spec(self) -> SlotSpec:
        data = self.cleaned_data
        choice = data["plain"]
        if choice is not None and choice.kind in (rec.DAILY, rec.WEEKLY):
            weekdays, rule = (tuple(range(7)) if choice.kind == rec.DAILY else choice.weekdays), ""
        else:
            weekdays, rule = (), data["rule"]
        return SlotSpec(id=data.get("id"), weekdays=weekdays, rrule=rule, start_time=data["start_time"],
                        end_time=data["end_time"], people=data["people"])


SlotFormSet = forms.formset_factory(SlotForm, extra=1, can_delete=True, max_num=12, validate_max=True)


def slot_initial(rota: Rota | None) -> list[dict]:
    if rota is None or not rota.pk:
        return []
    return [{"id": s.pk, "start_time": s.start_time, "end_time": s.end_time, "people": s.people,
             **recurrence_initial(s.rrule, s.weekdays)} for s in rota.slots.all()]


class SwapOfferForm(forms.Form):
    reason = forms.CharField(label=_("换班原因(可选)"), max_length=200, required=False)
