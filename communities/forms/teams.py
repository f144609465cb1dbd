"""Committee staff appoint a team's backbones (骨干, 主理人, 负责人 …) and end their terms."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Backbone

EARLIEST = dt.date(2000, 1, 1)


def _sane(value: dt.date) -> dt.date:
    if value < EARLIEST or value > timezone.localdate() + dt.timedelta(days=366):
        raise forms.ValidationError(_("请填写 2000 年以后、一年以内的日期。"), code="range")
    return value


class BackboneAppointForm(forms.Form):
    user = forms.TypedChoiceField(label=_("成员"), coerce=int)
    office = forms.ChoiceField(label=_("职务"), choices=Backbone.Office.choices)
    term_start = forms.DateField(label=_("任职日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(m.pk, m.display_name()) for m in members]
        self.fields["term_start"].initial = timezone.localdate()

    def clean_term_start(self):
        return _sane(self.cleaned_data["term_start"])


class BackboneEndForm(forms.Form):
    term_end = forms.DateField(label=_("卸任日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_term_end(self):
        return _sane(self.cleaned_data["term_end"])
