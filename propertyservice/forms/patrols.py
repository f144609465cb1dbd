"""Forms of patrols, hand-over notes and the garbage log."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms.times import aware
from communities.models import VillageGroup

from ..models import PatrolRoute
from ..selectors.patrols import patrol_rotas


class RouteForm(forms.ModelForm):
    class Meta:
        model = PatrolRoute
        fields = ["name", "rota", "expected_minutes", "late_after_minutes", "active"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rota"].queryset = patrol_rotas(community=community)
        self.fields["rota"].label = _("按哪个值班表巡逻")
        for name in ("name", "expected_minutes", "late_after_minutes"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["rota"].widget.attrs["class"] = "form-select"
        self.fields["active"].widget.attrs["class"] = "form-check-input"


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("点位名称"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    village_group = forms.ModelChoiceField(label=_("村民小组"), queryset=VillageGroup.objects.none(), required=False,
                                           empty_label=_("（不限）"), widget=forms.Select(attrs={"class": "form-select"}))
    requires_photo = forms.BooleanField(label=_("须拍照"), required=False,
                                        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_group"].queryset = VillageGroup.objects.filter(community=community)


class ScanForm(forms.Form):
    photo = forms.FileField(label=_("现场照片"), required=False, widget=forms.ClearableFileInput(
        attrs={"class": "form-control form-control-lg", "accept": "image/*", "capture": "environment"}))


class HandoverForm(forms.Form):
    body = forms.CharField(label=_("交接内容"), max_length=2000, widget=forms.Textarea(
        attrs={"class": "form-control", "rows": 3}))


class GarbageCheckForm(forms.Form):
    point = forms.CharField(label=_("收集点"), max_length=100,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    village_group = forms.ModelChoiceField(label=_("村民小组"), queryset=VillageGroup.objects.none(), required=False,
                                           empty_label=_("（不限）"), widget=forms.Select(attrs={"class": "form-select"}))
    bins_complete = forms.BooleanField(label=_("可回收物、有害垃圾、湿垃圾、干垃圾四类垃圾桶齐全"), required=False,
                                       initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    mis_sorted = forms.BooleanField(label=_("发现混投"), required=False,
                                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    corrected = forms.BooleanField(label=_("已当场纠正（指导村民重新分类）"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_group"].queryset = VillageGroup.objects.filter(community=community)


class GarbageHandoverForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("清运班次"), queryset=None, empty_label=None,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    day = forms.DateField(label=_("交接日期"), widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("交接时间"), widget=forms.TimeInput(
        attrs={"type": "time", "class": "form-control"}, format="%H:%M"))
    weight_kg = forms.DecimalField(label=_("重量（公斤）"), required=False, min_value=0, max_digits=7, decimal_places=1,
                                   widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal"}))
    bins = forms.IntegerField(label=_("桶数"), required=False, min_value=0, max_value=500,
                              widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}))
    received_by = forms.CharField(label=_("接收人（镇收运人员）"), max_length=50,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, shifts, now=None, **kwargs):
        now = timezone.localtime(now or timezone.now())
        kwargs.setdefault("initial", {"day": now.date(), "time": now.time().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts
        self.fields["shift"].label_from_instance = (
            lambda s: f"{s.rota.name} {timezone.localtime(s.starts_at):%m-%d %H:%M}")

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["handed_at"] = aware(data["day"], data["time"])
        return data

