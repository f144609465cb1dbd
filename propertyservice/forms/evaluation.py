"""Forms of the station's evaluation: the villager's questions (one per residents' criterion, four big
answers), the paper form (the household, then the same questions), and the improvement actions."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import EvaluationCriterion, Role, User


class ScoreForm(forms.Form):
    """``c<criterion id>`` → one of the standard's scale labels, for each residents' criterion. The page draws
    each answer as a big button (Bootstrap ``btn-check`` + label): a large target an elder can press."""

    def __init__(self, *args, criteria, scale, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(label, label) for label, _value in scale]
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=criterion.question or criterion.name, choices=choices,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
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


GROUPS = {"客观": "objective", "诉求": "cases", "村民": "residents"}
# What a line may name its group by: the Chinese words, or the English ones (the English form says those).
GROUP_WORDS = {**GROUPS, "objective": "objective", "cases": "cases", "residents": "residents"}


class StandardDraftForm(forms.Form):
    """A new version: title, the three group weights, the threshold, and the criteria one per line as
    ``名称 | 类别（客观/诉求/村民） | 指标代码 | 权重 | 向村民提的问题``."""
    title = forms.CharField(label=_("标题"), max_length=200)
    weight_objective = forms.DecimalField(label=_("客观指标权重（%）"), min_value=0, max_value=100, decimal_places=2)
    weight_cases = forms.DecimalField(label=_("诉求办理权重（%）"), min_value=0, max_value=100, decimal_places=2)
    weight_residents = forms.DecimalField(label=_("村民评价权重（%）"), min_value=0, max_value=100, decimal_places=2)
    threshold = forms.DecimalField(label=_("整改线（0–1）"), min_value=0, max_value=1, decimal_places=3)
    criteria = forms.CharField(label=_("评价项目（每行一项：名称 | 类别（客观/诉求/村民） | 指标代码 | 权重 | 问题）"),
                               widget=forms.Textarea(attrs={"rows": 12}))

    def clean(self):
        data = super().clean()
        weights = [data.get(k) for k in ("weight_objective", "weight_cases", "weight_residents")]
        if all(w is not None for w in weights) and sum(weights) != 100:
            raise forms.ValidationError(_("三类权重之和应为 100%。"))
        return data

    def clean_criteria(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + [""] * 5
            name, group, key, weight, question = parts[:5]
            if not name or group not in GROUP_WORDS:
                raise forms.ValidationError(_("第 %(n)s 行：请写明名称和类别（客观、诉求或村民）。") % {"n": n})
            try:
                weight = forms.DecimalField(min_value=0).clean(weight or "1")
            except forms.ValidationError:
                raise forms.ValidationError(_("第 %(n)s 行：权重应为数字。") % {"n": n}) from None
            rows.append({"name": name, "group": GROUP_WORDS[group], "metric_key": key, "weight": weight,
                         "question": question})
        if not rows:
            raise forms.ValidationError(_("评价标准至少要有一个评价项目。"))
        if len({r["name"] for r in rows}) != len(rows):
            raise forms.ValidationError(_("评价项目的名称不能重复。"))
        return rows


def criteria_lines(standard) -> str:
    """The criteria of ``standard`` in the form's one-per-line text (a new version starts from the last)."""
    names = {}
    for name, group in GROUPS.items():
        names.setdefault(group, name)  # the Chinese name (客观), not the English alias the form also takes
    return "\n".join(" | ".join([c.name, names[c.group], c.metric_key, f"{c.weight.normalize()}", c.question])
                     for c in standard.criteria.all())


class StandardAdoptForm(forms.Form):
    motion = forms.ModelChoiceField(label=_("表决通过该标准的议题"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, motions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].queryset = motions
        self.fields["motion"].label_from_instance = lambda m: f"{m.election.title} · {m.title}"


class ResultEnterForm(forms.Form):
    """A value given by hand for this month (a check done on paper), 0–100; empty removes it."""
    criterion = forms.ModelChoiceField(label=_("评价项目"), queryset=None, empty_label=_("请选择"))
    score = forms.DecimalField(label=_("得分（0–100，留空则取消人工录入）"), min_value=0, max_value=100,
                               decimal_places=1, required=False)
    note = forms.CharField(label=_("说明（如：入户检查 20 户）"), max_length=200, required=False)

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = standard.criteria.exclude(group=EvaluationCriterion.Group.RESIDENTS)
