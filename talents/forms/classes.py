"""Forms of the classes area: a class (its schedule picked in plain words, the core recurrence), enrolment,
session changes, the staff move and a child."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms.recurrence import RecurrenceForm
from communities.forms.times import DATE, TIME, DayTimeRangeMixin, aware

from ..models import Guardianship, TalentClass



class TeacherChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name()


class ClassForm(RecurrenceForm):
    """A class of a studio, from a phone. The schedule: 每周二 15:00, from a first date, for a duration."""

    title = forms.CharField(label=_("课程名称"), max_length=100)
    description = forms.CharField(label=_("课程介绍"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("对象"), choices=TalentClass.Audience.choices)
    age_min = forms.IntegerField(label=_("最小年龄"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("最大年龄"), min_value=0, max_value=120, required=False)
    capacity = forms.IntegerField(label=_("每次名额"), min_value=1, max_value=500, initial=12)
    first_date = forms.DateField(label=_("第一次上课日期"), widget=DATE)
    start_time = forms.TimeField(label=_("上课时间"), widget=TIME, initial=dt.time(15, 0))
    duration_minutes = forms.IntegerField(label=_("每次时长(分钟)"), min_value=15, max_value=480, initial=90)
    ends_on = forms.DateField(label=_("结课日期(可不填)"), widget=DATE, required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False,
                            help_text=_("例如：党群服务中心二楼书画室"))
    room = forms.ModelChoiceField(label=_("活动室"), queryset=None, required=False, empty_label=_("不预约活动室"),
                                  help_text=_("选了活动室，每次课都会自动预约，与其他预约冲突时会提示。"))
    kind = forms.ChoiceField(label=_("课程类型"), choices=TalentClass.Kind.choices,
                             help_text=_("公益课免费，老师可记志愿服务时长；体验课由合作商户收取少量费用(不在平台支付)，不记志愿服务时长。"))
    partner_merchant = forms.ModelChoiceField(label=_("合作商户(体验课)"), queryset=None, required=False,
                                              empty_label=_("无"))
    fee = forms.DecimalField(label=_("体验课收费(元)"), min_value=0, max_digits=8, decimal_places=2, required=False)
    fee_includes = forms.CharField(label=_("费用包含"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("例如：材料费、茶歇。明码标价，写清包含什么。"))
    safety_note = forms.CharField(label=_("安全须知"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("空手道等有风险的课程必填。"))
    allocation = forms.ChoiceField(label=_("名额分配规则"), choices=TalentClass.Allocation.choices,
                                   help_text=_("抽签：开始报名前登记的，在开始报名时随机排序；之后报名的先到先得。"))
    opens_date = forms.DateField(label=_("开始报名日期"), widget=DATE)
    opens_time = forms.TimeField(label=_("开始报名时间"), widget=TIME, initial=dt.time(9, 0))
    offer_hours = forms.IntegerField(label=_("候补名额保留(小时)"), min_value=1, max_value=168, initial=24)
    status = forms.ChoiceField(label=_("状态"), choices=TalentClass.Status.choices)
    teachers = TeacherChoiceField(label=_("授课老师"), queryset=None, required=False,
                                  widget=forms.CheckboxSelectMultiple, help_text=_("不选则为工作室主理人。"))

    field_order = ["title", "description", "audience", "age_min", "age_max", "capacity", "repeat", "weekdays", "nth",
                   "nth_weekday", "monthday", "rrule", "first_date", "start_time", "duration_minutes", "ends_on",
                   "place", "room", "kind", "partner_merchant", "fee", "fee_includes", "safety_note", "allocation", "opens_date", "opens_time",
                   "offer_hours", "status", "teachers"]

    def __init__(self, *args, teacher_choices, rooms, merchants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teacher_choices
        self.fields["room"].queryset = rooms
        self.fields["partner_merchant"].queryset = merchants

    def clean(self):
        data = super().clean()
        data["rrule"] = data.get("rule", "")
        if data.get("first_date") and data.get("start_time"):
            data["first_starts_at"] = aware(data["first_date"], data["start_time"])
        if data.get("opens_date") and data.get("opens_time"):
            data["opens_at"] = aware(data["opens_date"], data["opens_time"])
        low, high = data.get("age_min"), data.get("age_max")
        if data.get("partner_merchant") and data.get("kind") != TalentClass.Kind.TRIAL:
            self.add_error("partner_merchant", _("只有体验课才有合作商户。"))
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("最大年龄不能小于最小年龄。"))
        if data.get("ends_on") and data.get("first_date") and data["ends_on"] < data["first_date"]:
            self.add_error("ends_on", _("结课日期不能早于第一次上课。"))
        return data


def class_initial(talent_class: TalentClass) -> dict:
    from communities.forms.recurrence import recurrence_initial

    first = timezone.localtime(talent_class.first_starts_at)
    opens = timezone.localtime(talent_class.opens_at)
    initial = {f: getattr(talent_class, f) for f in (
        "title", "description", "audience", "age_min", "age_max", "capacity", "duration_minutes", "ends_on", "place",
        "kind", "fee", "fee_includes", "safety_note", "allocation", "offer_hours", "status", "room",
        "partner_merchant")}
    initial.update(recurrence_initial(talent_class.rrule), first_date=first.date(), start_time=first.time(),
                   opens_date=opens.date(), opens_time=opens.time(), teachers=list(talent_class.teachers.all()))
    return initial


class EnrolForm(forms.Form):
    people = forms.TypedMultipleChoiceField(label=_("为谁报名"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("请选择要报名的人。")})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [
            (p.person_id, (_("%(name)s（孩子）") if p.is_child else _("%(name)s（本人）")) % {"name": p.name})
            for p in people]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(DayTimeRangeMixin, ReasonForm):
    day = forms.DateField(label=_("新日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME)
    field_order = ["day", "start_time", "end_time", "reason"]


class StaffMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("调整为"), choices=[("front", _("移到候补第一位")), ("enrol", _("直接报名"))])
    reason = forms.CharField(label=_("原因(必填，会记录并向报名人显示)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请写明调整的原因：它会记在这条报名的记录里，报名人也能看到。")})


class ChildForm(forms.Form):
    name = forms.CharField(label=_("孩子的名字"), max_length=50, help_text=_("可以只写小名。"))
    birth_year = forms.IntegerField(label=_("出生年份"), min_value=2000, max_value=2100)
    birth_month = forms.IntegerField(label=_("出生月份"), min_value=1, max_value=12)
    relation = forms.ChoiceField(label=_("您是孩子的"), choices=Guardianship.Relation.choices)
    pickup_phone = forms.CharField(label=_("接送联系电话"), max_length=20,
                                   help_text=_("只有授课老师和居委工作人员能看到完整号码。"))
    consent = forms.BooleanField(label=_("我是孩子的监护人，同意为报名课程登记以上信息。"), required=True,
                                 error_messages={"required": _("请先勾选监护人同意：孩子的信息属于敏感个人信息，须由监护人同意后登记。")})
