from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..dates import in_range
from ..models import (
    Agency, Building, Case, CaseCategory, CaseRating, PublicPlace, Team, Unit, User, normalize_phone,
)
from ..natural import Natural
from ..selectors.dispatch import dispatch_candidates, dispatch_teams, handler_users_q, suggested_handler_id
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
    # The photos kept from an attempt that came back with an error (``PendingPhoto``), ticked to drop one;
    # the template shows each as a thumbnail next to its box.
    remove_photo = forms.MultipleChoiceField(label=_("不要这张照片"), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, community, my_units, kept_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.kept_photos = list(kept_photos)
        # Any other value (a photo gone meanwhile, another user's) is ignored rather than an error nobody sees.
        self.fields["remove_photo"].valid_value = lambda value: True
        self.fields["category"].queryset = CaseCategory.objects.filter(community=community, active=True)
        self.fields["unit"].queryset = my_units
        self.fields["building"].queryset = Building.objects.filter(community=community).order_by(Natural("name"))
        self.fields["building"].label_from_instance = lambda b: b.name
        self.fields["public_place"].queryset = PublicPlace.objects.filter(community=community)
        unit_ids = list(my_units.values_list("pk", flat=True)[:2])
        if not unit_ids:
            self.fields["place_kind"].choices = self.PLACE_CHOICES[1:]
            del self.fields["unit"]
            return
        # Someone who lives in (or lets) a flat most often reports about it: 我家 comes first, and with a
        # single flat it is chosen too, so an older resident never files their leak as the building's.
        self.fields["place_kind"].initial = "unit"
        if len(unit_ids) == 1:
            self.fields["unit"].initial = unit_ids[0]

    def clean_remove_photo(self):
        kept = {str(p.pk): p.pk for p in self.kept_photos}
        return [kept[v] for v in self.cleaned_data["remove_photo"] if v in kept]

    def kept_photos_left(self) -> list:
        """The kept photos not ticked off (after validation)."""
        removed = set(getattr(self, "cleaned_data", {}).get("remove_photo") or [])
        return [p for p in self.kept_photos if p.pk not in removed]

    def clean(self):
        data = super().clean()
        if len(data.get("photos") or []) + len(self.kept_photos_left()) > MAX_PHOTOS:
            self.add_error("photos", _("最多上传 6 张照片。"))
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


def handler_choices(candidates) -> list:
    """The person picker's options: the flat's sublandlord first (推荐), then everyone else."""
    suggested = [(c.user_id, c.label) for c in candidates if c.suggested]
    others = [(c.user_id, c.label) for c in candidates if not c.suggested]
    choices = [("", _("不派给个人"))]
    if suggested:
        choices.append((_("推荐：这套房屋的二房东"), suggested))
    choices.append((_("人员(姓名 · 楼栋 · 角色)"), others))
    return choices


class HandlerPickMixin:
    """The two ways to name a handler, a person or a team of the case's community (one of them)."""

    def _set_handlers(self, *, community_ids, suggested_id=None):
        user_field, team_field = self.fields["handler_user"], self.fields["handler_team"]
        user_field.queryset = User.objects.filter(handler_users_q(community_ids)).distinct()
        user_field.choices = handler_choices(dispatch_candidates(community_ids=community_ids,
                                                                 suggested_id=suggested_id))
        team_field.queryset = Team.objects.filter(community_id__in=community_ids)
        team_field.choices = [("", _("不派给团队"))] + [
            (t.pk, f"{t.name} · {t.get_kind_display()}") for t in dispatch_teams(community_ids=community_ids)]

    def clean(self):
        data = super().clean()
        if bool(data.get("handler_team")) == bool(data.get("handler_user")):
            raise forms.ValidationError(_("请选择一位处理人或一个团队(二选一)。"))
        return data


class DispatchForm(HandlerPickMixin, FastSelectMixin, forms.Form):
    handler_search = forms.CharField(
        label=_("查找人员"), required=False, max_length=50,
        help_text=_("输入姓名筛选下面的人员名单；没有脚本时直接在名单里选。"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    handler_user = forms.ModelChoiceField(label=_("派给人员"), queryset=User.objects.none(), required=False)
    handler_team = forms.ModelChoiceField(label=_("或派给团队"), queryset=Team.objects.none(), required=False)
    note = forms.CharField(label=_("说明(可不填)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_handlers(community_ids=[case.community_id], suggested_id=suggested_handler_id(case))
        target = (self.auto_id or "id_%s") % "handler_user"
        self.fields["handler_search"].widget.attrs.update({
            "hx-get": reverse("communities:case_dispatch_candidates", args=[case.pk]),
            "hx-trigger": "input changed delay:300ms, search", "hx-target": f"#{target}", "hx-swap": "innerHTML",
            "aria-controls": target,
        })

    def clean(self):
        data = super().clean()
        data.pop("handler_search", None)  # only narrows the picker; the service gets the handler
        return data


class BulkDispatchForm(HandlerPickMixin, FastSelectMixin, forms.Form):
    """One handler for the cases ticked on the committee's list (each dispatched through ``case_dispatch``)."""

    cases = forms.TypedMultipleChoiceField(label=_("选中的诉求"), coerce=int, widget=forms.MultipleHiddenInput)
    handler_user = forms.ModelChoiceField(label=_("派给人员"), queryset=User.objects.none(), required=False)
    handler_team = forms.ModelChoiceField(label=_("或派给团队"), queryset=Team.objects.none(), required=False)
    note = forms.CharField(label=_("说明(可不填)"), max_length=2000, required=False)

    def __init__(self, *args, community_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_handlers(community_ids=community_ids)
        # Ids only: which of them the user may dispatch is the view's (scoped) question, per case.
        self.fields["cases"].choices = [(v, v) for v in (self.data.getlist("cases") if self.data else [])
                                        if str(v).isdigit()]
        self.fields["cases"].error_messages["required"] = _("请先勾选要派单的诉求。")


class ReferForm(FastSelectMixin, NoteForm):
    agency = forms.ModelChoiceField(label=_("职能部门"), queryset=Agency.objects.all(), empty_label=_("请选择"))


class MergeForm(FastSelectMixin, OptionalNoteForm):
    """The original is picked from the open cases at the same place (the building's, else the public
    place's); the service checks again (same community, open, not itself)."""

    into = forms.ModelChoiceField(label=_("合并到哪件诉求"), queryset=Case.objects.none(), empty_label=_("请选择"),
                                  help_text=_("列出同一楼栋(或同一公共区域)未办结的诉求。"))

    field_order = ["into", "note"]

    def __init__(self, *args, case, **kwargs):
        from ..selectors.cases import merge_targets

        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = merge_targets(case=case)
        field.label_from_instance = lambda c: f"#{c.pk} {c.category.name} · {_one_line(c.description)}"

    def clean_into(self):
        return self.cleaned_data["into"].pk


def _one_line(text: str, limit: int = 30) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit] + "…"


RATING_REASONS = [("speed", _("速度")), ("attitude", _("态度")), ("result", _("结果"))]


def rating_reason_labels(reasons) -> list:
    """The chosen reasons' words, in the table's order (the case page shows them after rating)."""
    return [label for value, label in RATING_REASONS if value in (reasons or [])]


class RateForm(forms.Form):
    """The reasons are asked only for 基本满意 / 不满意 (``case_rate.js`` shows them then; the server decides)."""

    REASONS_FOR = ("basic", "unsatisfied")

    score = forms.ChoiceField(label=_("您对处理结果是否满意"), choices=CaseRating.Score.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("请选择满意、基本满意或不满意。"),
                                              "invalid_choice": _("请选择满意、基本满意或不满意。")})
    reasons = forms.MultipleChoiceField(
        label=_("哪里还不够好(可多选)"), required=False, widget=forms.CheckboxSelectMultiple, choices=RATING_REASONS,
        help_text=_("选“基本满意”或“不满意”时请至少选一项。"))
    partly_fixed = forms.BooleanField(label=_("问题只解决了一部分"), required=False)
    comment = forms.CharField(label=_("意见(可不填)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("score") in self.REASONS_FOR:
            if not data.get("reasons"):
                self.add_error("reasons", _("请选择哪里还不够好(至少一项)。"))
        else:
            data["reasons"] = []  # 满意 needs no reason: whatever was ticked before is dropped
        return data


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
