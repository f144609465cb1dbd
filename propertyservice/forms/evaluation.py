"""Forms of the station's evaluation: the villager's questions (one per residents' criterion, four big
answers), the paper form (the household, then the same questions), and the improvement actions."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Role, User


class ScoreForm(forms.Form):
    """``c<criterion id>`` → one of the standard's scale labels, for each residents' criterion. The page draws
    each answer as a big button (Bootstrap ``btn-check`` + label): a large target an elder can press."""

    def __init__(self, *args, criteria, scale, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(label, label) for label, _value in scale]
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=criterion.question or criterion.name, choices=choices, widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                initial=(initial_answers or {}).get(criterion.pk),
                error_messages={"required": _("请选择一项。")})

    def answers(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class PaperForm(ScoreForm):
    unit = forms.ModelChoiceField(label=_("户（按村民小组）"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = households
        self.fields["unit"].label_from_instance = lambda u: " ".join(
            x for x in ((u.building.village_group.name if u.building.village_group else ""), u.building.name, u.room)
            if x)
        self.order_fields(["unit"])


class ActionAssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=None, empty_label=_("请选择"))
    due_on = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (User.objects.filter(
            memberships__community=community, memberships__role__in=[Role.STATION_STAFF, Role.COMMITTEE_STAFF])
            .select_related("person").distinct().order_by("username"))
        self.fields["owner"].label_from_instance = lambda u: u.display_name()


class ActionCloseForm(forms.Form):
    closing_note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
