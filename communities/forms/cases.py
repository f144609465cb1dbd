from django import forms
from django.utils.translation import gettext_lazy as _

from ..dates import in_range
from ..models import (
    Agency, Building, Case, CaseCategory, CaseRating, PublicPlace, Role, Team, Unit, User, normalize_phone,
)
from ..natural import Natural
from .widgets import FastSelectMixin

MAX_PHOTOS = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to six photos; their content is checked by the photo service, not by the name."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传 6 张照片。"))
        return [super(PhotosField, self).clean(f, initial) for f in files]


class CaseFileForm(FastSelectMixin, forms.Form):
    PLACE_CHOICES = [("unit", _("我家")), ("flat", _("某一户(填楼栋和房号)")), ("building", _("楼栋公共部位")),
                     ("public", _("公共区域"))]

    category = forms.ModelChoiceField(label=_("问题类别"), queryset=CaseCategory.objects.none(),
                                      empty_label=_("请选择"))
    place_kind = forms.ChoiceField(label=_("发生地点"), choices=PLACE_CHOICES, widget=forms.RadioSelect,
                                   initial="building")
    unit = forms.ModelChoiceField(label=_("我家房屋"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("请选择"))
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none(), required=False,
                                      empty_label=_("请选择"))
    room = forms.CharField(label=_("房号"), max_length=20, required=False, help_text=_("选“某一户”时填写，例如 302"))
    public_place = forms.ModelChoiceField(label=_("公共区域"), queryset=PublicPlace.objects.none(), required=False,
                                          empty_label=_("请选择"))
    place_text = forms.CharField(label=_("具体位置"), max_length=200, required=False,
                                 help_text=_("例如：3楼楼道、东门停车场"))
    description = forms.CharField(label=_("情况描述"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    photos = PhotosField(label=_("照片(最多6张)"),
                         help_text=_("JPEG、PNG 或 WebP，每张不超过 10 MB。位置等信息会被自动去除。"))
    anonymous = forms.BooleanField(label=_("对处理人匿名(居委仍可看到是谁反映的)"), required=False)

    def __init__(self, *args, community, my_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["category"].queryset = CaseCategory.objects.filter(community=community, active=True)
        self.fields["unit"].queryset = my_units
        self.fields["building"].queryset = Building.objects.filter(community=community).order_by(Natural("name"))
        self.fields["building"].label_from_instance = lambda b: b.name
        self.fields["public_place"].queryset = PublicPlace.objects.filter(community=community)
        if not my_units.exists():
            self.fields["place_kind"].choices = self.PLACE_CHOICES[1:]
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        kind = data.get("place_kind")
        if kind == "flat":
            return self._clean_flat(data)
        needed = {"unit": "unit", "building": "building", "public": "public_place"}.get(kind)
        if needed and needed in self.fields and not data.get(needed):
            self.add_error(needed, _("请选择具体的地点。"))
        for other in {"unit", "building", "public_place"} - {needed}:
            data[other] = None
        return data

    def _clean_flat(self, data):
        building, room = data.get("building"), (data.get("room") or "").strip()
        if not building:
            self.add_error("building", _("请选择楼栋。"))
        if not room:
            self.add_error("room", _("请填写房号。"))
        elif building:
            unit = Unit.objects.filter(building=building, room=room).first()
            if unit is None:
                self.add_error("room", _("%(building)s 没有房号 %(room)s，请核对。") % {
                    "building": building.name, "room": room})
            data["unit"] = unit
        data["public_place"] = None
        return data


class CaseFileOnBehalfForm(CaseFileForm):
    channel = forms.ChoiceField(label=_("反映渠道"), choices=[c for c in Case.Channel.choices if c[0] != "app"])
    reporter_name = forms.CharField(label=_("反映人姓名"), max_length=50)
    reporter_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False)

    field_order = ["channel", "reporter_name", "reporter_phone"]

    def clean_reporter_phone(self):
        return normalize_phone(self.cleaned_data["reporter_phone"])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("说明(可不填)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FixedForm(NoteForm):
    photos = PhotosField(label=_("照片(可选，最多6张)"))


class VerifyPassForm(NoteForm):
    visited_at = forms.DateTimeField(label=_("上门验收时间"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    photos = PhotosField(label=_("现场照片(最多6张)"))


# Who a case can be dispatched to by name (teams are chosen separately).
HANDLER_ROLES = [Role.SUBLANDLORD, Role.STATION_STAFF, Role.COMMITTEE_STAFF, Role.VOLUNTEER, Role.TALENT]


class DispatchForm(FastSelectMixin, forms.Form):
    handler_team = forms.ModelChoiceField(label=_("派给团队"), queryset=Team.objects.none(), required=False,
                                          empty_label=_("不派给团队"))
    handler_user = forms.ModelChoiceField(label=_("或派给人员"), queryset=User.objects.none(), required=False,
                                          empty_label=_("不派给个人"))
    note = forms.CharField(label=_("说明(可不填)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler_team"].queryset = Team.objects.filter(community_id=case.community_id)
        self.fields["handler_user"].queryset = (
            User.objects.filter(memberships__community_id=case.community_id, is_active=True,
                                memberships__role__in=HANDLER_ROLES)
            .select_related("person").distinct().order_by("username"))
        self.fields["handler_user"].label_from_instance = lambda u: u.display_name()

    def clean(self):
        data = super().clean()
        if bool(data.get("handler_team")) == bool(data.get("handler_user")):
            raise forms.ValidationError(_("请选择一位处理人或一个团队(二选一)。"))
        return data


class ReferForm(FastSelectMixin, NoteForm):
    agency = forms.ModelChoiceField(label=_("职能部门"), queryset=Agency.objects.all(), empty_label=_("请选择"))


class MergeForm(OptionalNoteForm):
    into = forms.IntegerField(label=_("合并到诉求编号"), min_value=1)


class RateForm(forms.Form):
    score = forms.ChoiceField(label=_("您对处理结果是否满意"), choices=CaseRating.Score.choices, widget=forms.RadioSelect)
    reasons = forms.MultipleChoiceField(
        label=_("主要因为"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("speed", _("速度")), ("attitude", _("态度")), ("result", _("结果"))])
    partly_fixed = forms.BooleanField(label=_("问题只解决了一部分"), required=False)
    comment = forms.CharField(label=_("意见(可不填)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))



def _handler_ids(communities) -> list[int]:
    # Fetched first, as a list: as a subquery PostgreSQL expects hundreds of handlers and scans every
    # user of the town (bench_town: 17 ms instead of 2).
    return list(Case.objects.filter(community__in=communities, handler_user__isnull=False)
                .values_list("handler_user_id", flat=True).distinct().order_by())


class CaseFilterForm(FastSelectMixin, forms.Form):
    """The committee list's filters (GET); invalid values are ignored, never an error page."""

    STATUS_CHOICES = [("", _("全部状态")), ("open", _("未办结"))] + list(Case._meta.get_field("status").choices)

    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("编号、描述或位置")}))
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=CaseCategory.objects.none(), required=False,
                                      empty_label=_("全部类别"))
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none(), required=False,
                                      empty_label=_("全部楼栋"))
    handler = forms.ModelChoiceField(label=_("处理人"), queryset=User.objects.none(), required=False,
                                     empty_label=_("全部处理人"))
    overdue = forms.BooleanField(label=_("只看超时"), required=False)
    date_from = forms.DateField(label=_("提交日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("提交日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    # Shown on request ("更多筛选") or when one is in use: their choices cost four queries per page.
    MORE_FIELDS = ("category", "building", "handler", "overdue", "date_from", "date_to")

    def __init__(self, *args, communities, more=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.more = more or any(self.data.get(name) for name in self.MORE_FIELDS)
        if not self.more:
            for name in self.MORE_FIELDS:
                del self.fields[name]
            return
        self.fields["category"].queryset = CaseCategory.objects.filter(community__in=communities).select_related(
            "community")
        self.fields["building"].queryset = Building.objects.filter(community__in=communities).select_related(
            "community").order_by("community__name", Natural("name"))
        self.fields["handler"].queryset = (
            User.objects.filter(pk__in=_handler_ids(communities)).select_related("person"))
        self.fields["handler"].label_from_instance = lambda u: u.display_name()

    def _day_in_range(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not in_range(day):
            raise forms.ValidationError(_("请填写 2000 年以后、十年以内的日期。"), code="range")
        return day

    def clean_date_from(self):
        return self._day_in_range("date_from")

    def clean_date_to(self):
        return self._day_in_range("date_to")

    def to_filters(self):
        from ..selectors.cases import CaseFilters

        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return CaseFilters(
            status=data.get("status") or "", q=data.get("q") or "",
            category=data["category"].pk if data.get("category") else None,
            building=data["building"].pk if data.get("building") else None,
            handler=data["handler"].pk if data.get("handler") else None,
            overdue=bool(data.get("overdue")), date_from=data.get("date_from"), date_to=data.get("date_to"),
        )
