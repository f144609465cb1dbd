import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Qualification, Rota, User, normalize_phone
from ..services.rotas import SlotSpec

WEEKDAYS = [(0, _("周一")), (1, _("周二")), (2, _("周三")), (3, _("周四")), (4, _("周五")), (5, _("周六")), (6, _("周日"))]
SEPARATORS = re.compile(r"[,，\s]+")


def find_users(keys: list[str]) -> dict[str, User]:
    """{key: user} for keys that are usernames or phone numbers (two queries however many keys)."""
    phones = {}
    for key in keys:
        try:
            phone = normalize_phone(key)
        except ValidationError:
            continue
        if phone:
            phones[phone] = key
    users = User.objects.select_related("person").filter(
        Q(username__in=keys) | Q(person__phone__in=list(phones)), is_active=True)
    found = {}
    for user in users:
        if user.username in keys:
            found[user.username] = user
        person = getattr(user, "person", None)
        if person is not None and person.phone in phones:
            found[phones[person.phone]] = user
    return found


class RotaForm(forms.ModelForm):
    manager_key = forms.CharField(label=_("负责人"), max_length=50, required=False,
                                  help_text=_("账号或手机号；留空则由居委工作人员负责"))
    members_text = forms.CharField(
        label=_("值班成员(按轮换顺序)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一人：账号或手机号，可在后面加逗号和组名，同组的人一起值班。例如：13900000001，第一组"))

    class Meta:
        model = Rota
        fields = ["name", "kind", "place", "required_qualification", "horizon_weeks", "active"]

    def __init__(self, *args, community, may_require=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["required_qualification"].queryset = Qualification.objects.filter(community=community)
        self.fields["required_qualification"].empty_label = _("不需要")
        if not may_require:  # a manager who is not committee staff keeps the qualification staff set
            self.fields["required_qualification"].disabled = True
            self.fields["required_qualification"].help_text = _("要求的资质由居委工作人员设定。")
        if self.instance.pk and not self.is_bound:
            self.initial["manager_key"] = self.instance.manager.username if self.instance.manager else ""
            self.initial["members_text"] = "\n".join(
                f"{m.user.username}，{m.group}" if m.group else m.user.username
                for m in self.instance.members.select_related("user").order_by("order", "id"))

    def clean_manager_key(self):
        key = self.cleaned_data["manager_key"].strip()
        if not key:
            return None
        user = find_users([key]).get(key)
        if user is None:
            raise ValidationError(_("找不到账号或手机号“%(key)s”。"), params={"key": key}, code="unknown")
        return user

    def clean_members_text(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["members_text"].splitlines(), start=1):
            parts = [p for p in SEPARATORS.split(line.strip(), maxsplit=1) if p]
            if parts:
                rows.append((number, parts[0], parts[1] if len(parts) > 1 else ""))
        found = find_users([key for _line, key, _group in rows])
        unknown = [_("第%(line)s行“%(key)s”") % {"line": n, "key": key} for n, key, _group in rows if key not in found]
        if unknown:
            raise ValidationError(_("找不到这些账号或手机号：%(list)s。"), params={"list": "、".join(unknown)},
                                  code="unknown")
        return [(found[key], group) for _line, key, group in rows]


class SlotForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    weekdays = forms.TypedMultipleChoiceField(label=_("星期"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               help_text=_("早于开始时间表示到第二天，例如 22:00–06:00"))
    people = forms.IntegerField(label=_("每班人数"), min_value=1, max_value=20, initial=1)
    rrule = forms.CharField(label=_("重复规则(可选)"), max_length=300, required=False,
                            help_text=_("例如 FREQ=MONTHLY;BYDAY=1TU（每月第一个周二）；填写后不按星期"))

    def spec(self) -> SlotSpec:
        data = self.cleaned_data
        return SlotSpec(id=data.get("id"), weekdays=tuple(data["weekdays"]), rrule=data["rrule"],
                        start_time=data["start_time"], end_time=data["end_time"], people=data["people"])


SlotFormSet = forms.formset_factory(SlotForm, extra=1, can_delete=True, max_num=12, validate_max=True)


def slot_initial(rota: Rota | None) -> list[dict]:
    if rota is None or not rota.pk:
        return []
    return [{"id": s.pk, "weekdays": s.weekdays, "start_time": s.start_time, "end_time": s.end_time,
             "people": s.people, "rrule": s.rrule} for s in rota.slots.all()]


class SwapOfferForm(forms.Form):
    reason = forms.CharField(label=_("换班原因(可选)"), max_length=200, required=False)
