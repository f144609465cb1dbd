"""The recurrence picked in plain words (每天 / 每周二、四 / 每月第一个周二 / 每月15日), one base form for the
rota slot form and the meeting-series form; the RRULE text is only under 高级.

``RecurrenceForm.clean`` leaves ``rule`` (the stored rule, always) and ``plain`` (the choices, or None for a
rule typed under 高级) in ``cleaned_data``. ``recurrence_initial(rule)`` is what an edit form starts from: the
rule in plain words when they can say it, else the rule itself with 高级 open, so saving keeps it.
Rendered by ``communities/fragments/recurrence_fields.html``; ``static/communities/forms.js`` shows only
the choices of the picked kind.
"""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import recurrence as rec

WEEKDAY_CHOICES = [(0, _("周一")), (1, _("周二")), (2, _("周三")), (3, _("周四")), (4, _("周五")), (5, _("周六")),
                   (6, _("周日"))]
KIND_CHOICES = [(rec.WEEKLY, _("每周")), (rec.DAILY, _("每天")), (rec.MONTHLY_NTH, _("每月第几个星期几")),
                (rec.MONTHLY_DAY, _("每月几号"))]
NTH_CHOICES = [(1, pgettext_lazy("recurrence", "第一个")), (2, pgettext_lazy("recurrence", "第二个")),
               (3, pgettext_lazy("recurrence", "第三个")), (4, pgettext_lazy("recurrence", "第四个")),
               (-1, pgettext_lazy("recurrence", "最后一个"))]
RECURRENCE_FIELDS = ("repeat", "weekdays", "nth", "nth_weekday", "monthday", "rrule")
_RULE_ERRORS = {"frequency": _("重复规则无效：频率只能是每天、每周、每月或每年。"),
                "syntax": _("重复规则无效：请填写一条 RRULE，例如 FREQ=MONTHLY;BYDAY=1TU。")}


class WeekdayButtons(forms.CheckboxSelectMultiple):
    """The weekdays as a row of toggle buttons (Bootstrap ``btn-check``) that wraps on a phone."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "btn-check", "autocomplete": "off", **(attrs or {})}, choices=choices)


class RecurrenceForm(forms.Form):
    RECURRENCE_FIELDS = RECURRENCE_FIELDS  # for templates that render the rest of the form with crispy

    repeat = forms.ChoiceField(label=_("重复"), choices=KIND_CHOICES, initial=rec.WEEKLY, required=False)
    weekdays = forms.TypedMultipleChoiceField(label=_("星期"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
                                              widget=WeekdayButtons)
    nth = forms.TypedChoiceField(label=_("每月的第几个"), choices=NTH_CHOICES, coerce=int, initial=1, required=False)
    nth_weekday = forms.TypedChoiceField(label=_("星期几"), choices=WEEKDAY_CHOICES, coerce=int, initial=1,
                                         required=False)
    monthday = forms.IntegerField(label=_("每月几号"), min_value=1, max_value=31, required=False,
                                  help_text=_("没有这一天的月份(例如 31 日)跳过。"))
    rrule = forms.CharField(label=_("自定义重复规则(iCal RRULE)"), max_length=300, required=False,
                            help_text=_("填写后按这条规则重复，上面的选择不再使用。例如 FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH"
                                        "(每季度第二个星期四)"))

    def clean(self):
        data = super().clean()
        typed = (data.get("rrule") or "").strip()
        if typed:
            try:
                data["rule"] = rec.rule_clean(typed)
            except rec.InvalidRule as exc:
                self.add_error("rrule", _RULE_ERRORS[exc.code])
                return data
            data["plain"] = None
            return data
        choice = rec.Plain(data.get("repeat") or rec.WEEKLY, weekdays=tuple(data.get("weekdays") or ()),
                           nth=data.get("nth"), weekday=data.get("nth_weekday"), monthday=data.get("monthday"))
        try:
            data["rule"] = rec.build(choice)
        except ValueError as exc:
            field, message = {"weekdays": ("weekdays", _("请选择星期几。")),
                              "monthday": ("monthday", _("请填写每月几号(1–31)。"))}.get(
                str(exc), ("nth", _("请选择每月的第几个星期几。")))
            self.add_error(field, message)
            return data
        data["plain"] = choice
        return data

    def advanced_open(self) -> bool:
        """高级 starts open when a rule is typed there (or kept from an edit) or it has an error."""
        value = self["rrule"].value()
        return bool((value or "").strip()) or bool(self["rrule"].errors)


def recurrence_initial(rule: str, weekdays=()) -> dict:
    """An edit form's start: the rule (or a rota slot's weekdays) in plain words, else the rule under 高级."""
    if not rule:
        days = sorted(set(weekdays))
        return {"repeat": rec.DAILY if len(days) == 7 else rec.WEEKLY, "weekdays": days}
    choice = rec.plain(rule)
    if choice is None:
        return {"rrule": rule}
    found = {"repeat": choice.kind, "weekdays": list(choice.weekdays)}
    if choice.kind == rec.MONTHLY_NTH:
        found.update(nth=choice.nth, nth_weekday=choice.weekday)
    if choice.kind == rec.MONTHLY_DAY:
        found["monthday"] = choice.monthday
    return found
