import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import recurrence as rec
from ..models import Agency, CaseCategory, Meeting, MeetingKind, Room, Team, Unit, User
from ..natural import Natural
from .people import PeopleField, PersonField
from .recurrence import RecurrenceForm
from .times import DATE, TIME, aware  # noqa: F401 - the meeting forms' widgets; others import them from here too




class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name()


class _PeopleMixin:
    """Organiser and invitees are chosen by name among the community's people (name · building · role, and
    only theirs: an id from elsewhere is refused naming nobody), its teams and the town's agencies."""

    def setup_people(self, community, people):
        self.fields["organiser"].set_community(community)
        chosen = self.initial.get("invited_users") or []
        self.fields["invited_users"].set_community(community, first=[getattr(u, "pk", u) for u in chosen])
        self.fields["invited_teams"].queryset = Team.objects.filter(community=community)
        self.fields["invited_agencies"].queryset = Agency.objects.all()


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label()} · " + _("%(n)s人") % {"n": obj.capacity}


def _room_field():
    return RoomChoiceField(label=_("预约活动室(可不选)"), queryset=Room.objects.none(), required=False,
                           empty_label=_("不预约活动室"),
                           help_text=_("选了活动室，这段时间就为会议预约；如果已被占用，会告诉您被谁占用。"))


def _rooms_of(community, keep=None):
    """The community's open rooms, and the one the meeting holds even if it has since been closed."""
    rooms = Room.objects.filter(community=community, active=True)
    return (rooms | Room.objects.filter(pk=keep.pk)) if keep is not None else rooms


def _venue_or_room(form, data):
    """The venue may be left empty when a room is chosen: the room's name and place are the venue."""
    if not (data.get("venue") or "").strip():
        if data.get("room"):
            data["venue"] = data["room"].label()
        elif "venue" not in form.errors:
            form.add_error("venue", _("请填写地点，或选择一间活动室。"))


def _people_fields():
    return {
        "organiser": PersonField(label=_("召集人"), empty_label=_("请选择")),
        "invited_users": PeopleField(label=_("邀请人员"), required=False,
                                     help_text=_("输入姓名查找并勾选。")),
        "invited_teams": forms.ModelMultipleChoiceField(label=_("邀请团队(团队成员都会收到邀请)"),
                                                        queryset=Team.objects.none(), required=False,
                                                        widget=forms.CheckboxSelectMultiple),
        "invited_agencies": forms.ModelMultipleChoiceField(label=_("邀请职能部门"), queryset=Agency.objects.none(),
                                                           required=False, widget=forms.CheckboxSelectMultiple),
    }


class SeriesForm(_PeopleMixin, RecurrenceForm):
    """A meeting series; when it meets is picked in plain words (每月第一个周二), the RRULE only under 高级."""

    title = forms.CharField(label=_("例会名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    first_date = forms.DateField(label=_("从哪天起"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME, initial=dt.time(19, 0))
    duration_minutes = forms.IntegerField(label=_("时长(分钟)"), min_value=10, max_value=720, initial=90)
    venue = forms.CharField(label=_("地点"), max_length=200)
    standing_topics = forms.CharField(label=_("固定议题(每行一个)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    active = forms.BooleanField(label=_("启用(自动生成以后的会议)"), required=False, initial=True)

    field_order = ["title", "kind", "repeat", "weekdays", "nth", "nth_weekday", "monthday", "rrule", "first_date",
                   "start_time", "duration_minutes", "venue"]

    def __init__(self, *args, community, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeat"].initial = rec.MONTHLY_NTH
        self.fields.update(_people_fields())
        self.setup_people(community, people)

    def clean(self):
        data = super().clean()
        data["rrule"] = data.get("rule", "")
        if data.get("first_date") and data.get("start_time"):
            data["first_starts_at"] = aware(data["first_date"], data["start_time"])
        data["standing_topics"] = (data.get("standing_topics") or "").splitlines()
        return data


class MeetingForm(_PeopleMixin, forms.Form):
    title = forms.CharField(label=_("会议主题"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    day = forms.DateField(label=_("日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME)
    room = _room_field()
    venue = forms.CharField(label=_("地点"), max_length=200, required=False,
                            help_text=_("选了活动室可不填，默认为活动室的名称和位置。"))
    agenda = forms.CharField(label=_("议程(每行一项)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, community, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms_of(community)
        self.fields.update(_people_fields())
        self.setup_people(community, people)

    def clean(self):
        data = super().clean()
        _times(self, data)
        _venue_or_room(self, data)
        data["agenda"] = (data.get("agenda") or "").splitlines()
        return data


def _times(form, data):
    if data.get("day") and data.get("start_time") and data.get("end_time"):
        data["starts_at"] = aware(data["day"], data["start_time"])
        data["ends_at"] = aware(data["day"], data["end_time"])
        if data["ends_at"] <= data["starts_at"]:
            form.add_error("end_time", _("结束时间要晚于开始时间。"))


class MeetingEditForm(_PeopleMixin, forms.Form):
    title = forms.CharField(label=_("会议主题"), max_length=200)

    def __init__(self, *args, community, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_people_fields())
        self.fields["invited_users"].label = _("追加邀请人员")
        self.fields["invited_teams"].label = _("追加邀请团队")
        self.fields["invited_agencies"].label = _("追加邀请职能部门")
        self.setup_people(community, people)


class MoveForm(forms.Form):
    day = forms.DateField(label=_("新日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME)
    room = _room_field()
    venue = forms.CharField(label=_("地点"), max_length=200, required=False,
                            help_text=_("选了活动室可不填，默认为活动室的名称和位置。"))
    reason = forms.CharField(label=_("改期原因(受邀人会看到)"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        _times(self, data)
        _venue_or_room(self, data)
        return data

    @classmethod
    def for_meeting(cls, meeting: Meeting, data=None):
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        form = cls(data, initial={"day": start.date(), "start_time": start.time(), "end_time": end.time(),
                                  "venue": meeting.venue, "room": meeting.room_id})
        form.fields["room"].queryset = _rooms_of(meeting.community, keep=meeting.room)
        return form


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("新议题"), max_length=300)


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("会议纪要"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("待办事项"), max_length=300)
    owner = PersonChoiceField(label=_("负责人"), queryset=User.objects.none(), empty_label=_("请选择"))
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    decision = forms.ModelChoiceField(label=_("来自哪项决定(可不选)"), queryset=None, required=False,
                                      empty_label=_("不关联"))
    # The flat it is about, if any: kept when the item is turned into a case, so the case reaches that flat's
    # sublandlord by the routing rules.
    unit = forms.ModelChoiceField(label=_("涉及哪套房屋(可不选)"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("不涉及具体房屋"))

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["unit"].queryset = Unit.objects.filter(building__community_id=meeting.community_id) \
            .select_related("building").order_by(Natural("building__name"), "floor", Natural("room"))
        self.fields["unit"].label_from_instance = lambda u: f"{u.building.name} {u.room}"


class ActionToCaseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=CaseCategory.objects.none(),
                                      empty_label=_("请选择"))
    place_text = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    description = forms.CharField(label=_("情况描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.filter(community=community, active=True)


class ProposalForm(forms.Form):
    text = forms.CharField(label=_("您想讨论的议题"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("例如：楼道里电动车充电太危险，建议集中充电。"))
    meeting = forms.ModelChoiceField(label=_("希望在哪次会议上讨论(可不选)"), queryset=Meeting.objects.none(),
                                     required=False, empty_label=_("由召集人安排"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AcceptForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("列入哪次会议的议程"), queryset=Meeting.objects.none(),
                                     empty_label=_("请选择"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
