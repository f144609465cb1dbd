"""The studio forms: a host's edit of the page, a photo, opening a studio, appointing a host, recording a
qualification."""
import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms.people import PersonField

from ..models import HostQualification, Studio

PHOTO_ACCEPT = {"accept": "image/jpeg,image/png,image/webp"}
EARLIEST = dt.date(1900, 1, 1)


class StudioEditForm(forms.Form):
    tagline = forms.CharField(label=_("一句话介绍"), max_length=100, required=False,
                              help_text=_("显示在郡园首页的工作室卡片上"))
    description = forms.CharField(label=_("介绍"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("工作室做什么、在哪里、什么时候开放。不要写他人的电话号码。"))


class StudioPhotoForm(forms.Form):
    photo = forms.FileField(label=_("添加一张照片"), widget=forms.ClearableFileInput(attrs=PHOTO_ACCEPT),
                            error_messages={"required": _("请选择一张照片。")},
                            help_text=_("有人物的照片须征得本人同意，儿童须征得监护人同意。"))


class StudioCreateForm(forms.Form):
    name = forms.CharField(label=_("工作室名称"), max_length=100, help_text=_("例如：墨香工作室"))
    slug = forms.CharField(label=_("网址代号"), max_length=40,
                           validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$",
                                                      _("只能用小写字母、数字和连字符，例如 moxiang。"))],
                           help_text=_("用于工作室页面的网址，例如 moxiang"))
    talent_kind = forms.ChoiceField(label=_("才艺类别"), choices=Studio.TalentKind.choices)
    tagline = forms.CharField(label=_("一句话介绍"), max_length=100, required=False)
    description = forms.CharField(label=_("介绍"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    host = PersonField(label=_("主理人"), required=False, empty_label=_("（稍后任命）"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].set_community(community)


class HostAppointForm(forms.Form):
    host = PersonField(label=_("任命主理人"), empty_label=_("选择本社区的居民"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].set_community(community)
        self.fields["host"].error_messages = {**self.fields["host"].error_messages, "required": _("请选择一位居民。")}


class QualificationForm(forms.Form):
    studio = forms.ModelChoiceField(label=_("工作室"), queryset=Studio.objects.none())
    host = forms.TypedChoiceField(label=_("主理人"), coerce=int)
    kind = forms.ChoiceField(label=_("类别"), choices=HostQualification.Kind.choices)
    number = forms.CharField(label=_("证书或记录编号"), max_length=60, required=False,
                             help_text=_("医师资格证书编号；背景核查的查询回执编号"))
    checked_on = forms.DateField(label=_("核验日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    born_on = forms.DateField(label=_("出生日期（年龄核验时填写）"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    guardian_consent = forms.BooleanField(label=_("16–17 周岁：已取得监护人同意"), required=False)
    notes = forms.CharField(label=_("备注"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, studios, hosts, **kwargs):
        """``hosts``: [(user id, "name · studio")] of every current host of ``studios``."""
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios
        self.fields["host"].choices = hosts
        self.fields["checked_on"].initial = timezone.localdate()

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        if value < dt.date(2000, 1, 1) or value > timezone.localdate():
            raise forms.ValidationError(_("核验日期须在 2000 年以后，且不晚于今天。"), code="range")
        return value

    def clean_born_on(self):
        value = self.cleaned_data.get("born_on")
        if value is not None and (value < EARLIEST or value > timezone.localdate()):
            raise forms.ValidationError(_("请填写正确的出生日期。"), code="range")
        return value
