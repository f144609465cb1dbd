"""Forms of the e-bike sheds, flying wires and the suggestion box."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Unit, VillageGroup

OK_FAULT = (("ok", _("正常")), ("fault", _("故障")))


def _ok_fault(label):
    return forms.ChoiceField(label=label, choices=OK_FAULT, widget=forms.RadioSelect, initial="ok")


class SafetyCheckForm(forms.Form):
    smoke_detector = _ok_fault(_("烟感报警器"))
    sprinkler = _ok_fault(_("自动喷淋"))
    camera = _ok_fault(_("监控摄像头"))
    extinguisher = _ok_fault(_("灭火器"))
    fault_port = forms.ModelChoiceField(label=_("故障端口（如有）"), queryset=None, required=False,
                                        empty_label=_("端口都正常"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, shed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fault_port"].queryset = shed.ports.all()
        self.fields["fault_port"].label_from_instance = lambda port: _("%(n)s号端口") % {"n": port.number}

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] == "ok" for name in ("smoke_detector", "sprinkler", "camera", "extinguisher")}
        port = data.get("fault_port")
        return {**values, "fault_port_id": port.pk if port else None, "note": data.get("note", "")}


class SessionStopForm(forms.Form):
    kwh = forms.DecimalField(label=_("电量（千瓦时）"), min_value=0, max_value=100, decimal_places=3)


class SessionsImportForm(forms.Form):
    file = forms.FileField(label=_("运营商导出的 CSV 文件"),
                           help_text=_("第一行为：订单号,充电棚,端口,开始时间,结束时间,电量,费用。时间如 2026-03-10 08:30。"))


class FlyingWireForm(forms.Form):
    photo = forms.ImageField(label=_("照片（必填）"), required=True,
                             help_text=_("只拍电线和插座，不要拍人脸。照片只给服务站工作人员看，不会公开。"),
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    village_group = forms.ModelChoiceField(label=_("村民小组"), queryset=None, required=False,
                                           empty_label=_("请选择"))
    unit = forms.ModelChoiceField(label=_("房屋（知道的话）"), queryset=None, required=False, empty_label=_("不清楚"))
    place_text = forms.CharField(label=_("具体位置"), max_length=200, required=False,
                                 help_text=_("例如：3排东头二楼窗口。"))
    note = forms.CharField(label=_("补充说明"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_group"].queryset = VillageGroup.objects.filter(community=community)
        self.fields["village_group"].label_from_instance = lambda group: group.name
        self.fields["unit"].queryset = Unit.objects.filter(building__community=community).select_related("building")
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.building.name} {unit.room}"
        self.fields["photo"].error_messages["required"] = _("请拍一张飞线充电的照片（不要拍人脸）。")

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not (data.get("place_text") or "").strip():
            self.add_error("place_text", _("请选择房屋或写明具体位置。"))
        return data


class SuggestionForm(forms.Form):
    text = forms.CharField(label=_("您的意见或建议"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label=_("对其他村民匿名（工作人员仍能看到是谁提的）"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
