from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CaseCategory, RoutingRule, Team, User


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["priority", "category", "only_let_units", "target", "team", "user"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["category"].queryset = CaseCategory.objects.filter(community=community)
        self.fields["category"].empty_label = _("全部类别")
        self.fields["team"].queryset = Team.objects.filter(community=community)
        self.fields["user"].queryset = User.objects.filter(memberships__community=community).distinct()
        self.fields["user"].label_from_instance = lambda u: u.display_name()

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == RoutingRule.Target.TEAM and not data.get("team"):
            self.add_error("team", _("派给团队时请选择团队。"))
        if target == RoutingRule.Target.USER and not data.get("user"):
            self.add_error("user", _("派给人员时请选择人员。"))
        if target != RoutingRule.Target.TEAM:
            data["team"] = None
        if target != RoutingRule.Target.USER:
            data["user"] = None
        return data


MAX_HOURS = 24 * 366  # a deadline of at most a year


class CategoryDeadlineForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        for name in ("ack_hours", "fix_hours"):
            if (data.get(name) or 0) > MAX_HOURS:
                self.add_error(name, _("时限最多 %(n)s 小时（一年）。") % {"n": MAX_HOURS})
        if data.get("ack_hours") and data.get("fix_hours") and data["ack_hours"] > data["fix_hours"]:
            self.add_error("ack_hours", _("响应时限不能长于办结时限。"))
        return data

    class Meta:
        model = CaseCategory
        fields = ["ack_hours", "fix_hours", "active"]
        widgets = {
            "ack_hours": forms.NumberInput(attrs={"class": "form-control input-hours", "min": 1, "max": 24 * 366}),
            "fix_hours": forms.NumberInput(attrs={"class": "form-control input-hours", "min": 1, "max": 24 * 366}),
            "active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


RoutingRuleFormSet = forms.modelformset_factory(RoutingRule, form=RoutingRuleForm, extra=1, can_delete=True)
CategoryFormSet = forms.modelformset_factory(CaseCategory, form=CategoryDeadlineForm, extra=0)
