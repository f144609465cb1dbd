"""Parking's forms: a household's plate, an exempt vehicle, a space, a fee standard with its bands."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.times import TIME

from ..models import FeeStandard, ParkingSpace, VehicleClass
from ..models.gate import EXEMPT
from .gate import DATETIME


class PlateForm(forms.Form):
    plate = forms.CharField(label=_("车牌号"), max_length=12,
                            widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                                          "placeholder": "沪A12345"}),
                            help_text=_("普通车牌7位，新能源车牌8位；字母I和O不使用"))


class ExemptVehicleForm(PlateForm):
    vehicle_class = forms.ChoiceField(label=_("车辆类别"),
                                      choices=[c for c in VehicleClass.choices if c[0] in EXEMPT])
    note = forms.CharField(label=_("所属单位"), max_length=100, required=False)


class SpaceForm(forms.Form):
    village_group = forms.ModelChoiceField(label=_("村民小组"), queryset=None)
    number = forms.CharField(label=_("车位号"), max_length=20, help_text=_("例如 12号"))
    kind = forms.ChoiceField(label=_("车位类别"), choices=ParkingSpace.Kind.choices)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from communities.models import VillageGroup

        self.fields["village_group"].queryset = VillageGroup.objects.filter(community=community).order_by("name")


BAND_ROWS = 3


class StandardForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100, initial=_("临时停车收费标准"))
    motion = forms.ModelChoiceField(label=_("村民会议表决议题"), queryset=None, required=False,
                                    help_text=_("表决通过后才生效；未选择的为草稿"))
    effective_from = forms.DateTimeField(label=_("生效时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    free_minutes = forms.IntegerField(label=_("免费时长(分钟)"), min_value=0, initial=60)
    first_block_minutes = forms.IntegerField(label=_("首段时长(分钟)"), min_value=0, initial=0)
    first_block_price = forms.DecimalField(label=_("首段价格(元)"), min_value=0, decimal_places=2, initial=0)
    daily_cap = forms.DecimalField(label=_("每日封顶(元)"), min_value=0, decimal_places=2, required=False)
    cap_mode = forms.ChoiceField(label=_("封顶方式"), choices=FeeStandard.CapMode.choices)
    cross_day = forms.ChoiceField(label=_("跨日规则"), choices=FeeStandard.CrossDay.choices)
    grace_minutes = forms.IntegerField(label=_("付费后离场宽限(分钟)"), min_value=0, initial=15)
    plates_per_household = forms.IntegerField(label=_("每户可登记车辆数"), min_value=1, max_value=10, initial=2)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from communities.models import Election, Motion

        self.fields["motion"].queryset = Motion.objects.filter(
            election__community=community,
            election__rule__in=[Election.Rule.VILLAGERS, Election.Rule.REPRESENTATIVES]).select_related("election")
        for i in range(BAND_ROWS):
            required = i == 0
            self.fields[f"band{i}_start"] = forms.TimeField(label=_("时段%(n)s 开始") % {"n": i + 1}, widget=TIME,
                                                            required=required)
            self.fields[f"band{i}_end"] = forms.TimeField(label=_("时段%(n)s 结束（不晚于开始表示跨午夜）") % {"n": i + 1},
                                                          widget=TIME, required=required)
            self.fields[f"band{i}_unit_minutes"] = forms.IntegerField(label=_("时段%(n)s 计费单位(分钟)") % {"n": i + 1},
                                                                      min_value=1, required=required)
            self.fields[f"band{i}_unit_price"] = forms.DecimalField(label=_("时段%(n)s 每单位价格(元)") % {"n": i + 1},
                                                                    min_value=0, decimal_places=2, required=required)
            self.fields[f"band{i}_cap"] = forms.DecimalField(label=_("时段%(n)s 封顶(元)") % {"n": i + 1},
                                                             min_value=0, decimal_places=2, required=False)

    def bands(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        for i in range(BAND_ROWS):
            if data.get(f"band{i}_start") is not None and data.get(f"band{i}_unit_price") is not None:
                out.append({"start": data[f"band{i}_start"], "end": data.get(f"band{i}_end") or data[f"band{i}_start"],
                            "unit_minutes": data.get(f"band{i}_unit_minutes") or 60,
                            "unit_price": data[f"band{i}_unit_price"], "cap": data.get(f"band{i}_cap")})
        return out

    def standard_fields(self) -> dict:
        names = ["title", "motion", "effective_from", "free_minutes", "first_block_minutes", "first_block_price",
                 "daily_cap", "cap_mode", "cross_day", "grace_minutes", "plates_per_household"]
        return {name: self.cleaned_data[name] for name in names}
