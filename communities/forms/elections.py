import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import electorates
from ..models import Election, ElectionPost, ElectionVoter, Motion, MotionVote, Team
from ..selectors.people import users_by_key

SEPARATORS = re.compile(r"[,，\s]+")


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ElectionForm(forms.ModelForm):
    posts_text = forms.CharField(
        label=_("职位与名额"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("每行一个职位：名称，名额。例如：会长，1。只表决议题（不选人）时留空。"))
    electorate = forms.ChoiceField(label=_("选民来源"), required=False)
    rule = forms.ChoiceField(label=_("表决规则"), choices=Election.Rule.choices, required=False,
                             help_text=_("业主共同决定按人数和专有面积双重计票（《民法典》第二百七十八条）。"))
    tie_rule = forms.ChoiceField(label=_("末位同票处理"), choices=Election.TieRule.choices, required=False,
                                 help_text=_("投票前定好，末位候选人票数相同时按此处理。"))
    notice_days = forms.IntegerField(label=_("公告期(天)"), min_value=0, max_value=90, required=False,
                                     help_text=_("发布公告后满这些天才能开始投票；村民会议至少 10 天。"))

    class Meta:
        model = Election
        fields = ["title", "description", "counting", "electorate_role", "team", "opens_at", "closes_at"]
        widgets = {"opens_at": DateTimeLocal(), "closes_at": DateTimeLocal(),
                   "description": forms.Textarea(attrs={"rows": 3})}
    # The decision fields are optional in the form and fall back to the model's defaults.
    DECISION_FIELDS = {"electorate": "role", "rule": Election.Rule.SIMPLE, "tie_rule": Election.TieRule.RUNOFF,
                       "notice_days": 0}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].choices = [(k, str(label)) for k, label in electorates.choices(community)]
        for name, default in self.DECISION_FIELDS.items():
            self.initial.setdefault(name, getattr(self.instance, name, default) if self.instance.pk else default)
        self.fields["team"].queryset = Team.objects.filter(community=community)
        self.fields["team"].empty_label = _("不关联团队")
        self.fields["team"].help_text = _("选举团队骨干时选择团队；结果公布后自动更新该团队的骨干名单。")
        if self.instance.pk and not self.is_bound:
            self.initial["posts_text"] = "\n".join(f"{p.name}，{p.seats}" for p in self.instance.posts.all())

    def clean_posts_text(self):
        posts = []
        for line in self.cleaned_data["posts_text"].splitlines():
            if not line.strip():
                continue
            parts = [p for p in SEPARATORS.split(line.strip()) if p]
            try:
                seats = int(parts[1]) if len(parts) > 1 else 1
            except ValueError:
                raise ValidationError(_("“%(line)s”的名额应是数字。"), params={"line": line.strip()}) from None
            posts.append((parts[0][:50], seats))
        return posts

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name, default in self.DECISION_FIELDS.items():
            value = self.cleaned_data.get(name)
            fields[name] = default if value in (None, "") else value
        return fields


class CandidateForm(forms.Form):
    post = forms.ModelChoiceField(label=_("职位"), queryset=ElectionPost.objects.none())
    user_key = forms.CharField(label=_("候选人"), max_length=50, help_text=_("账号或手机号"))
    statement = forms.CharField(label=_("竞选陈述"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = election.posts.all()
        self.community = election.community

    def clean_user_key(self):
        # Only within the election's community: a phone of someone elsewhere is "not found", never their name.
        key = self.cleaned_data["user_key"].strip()
        user = users_by_key(community=self.community, keys=[key]).get(key)
        if user is None:
            raise ValidationError(_("本社区找不到账号或手机号为“%(key)s”的用户。"), params={"key": key})
        return user


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "XXXX-XXXX-XXXX"}))


class MotionForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    matter = forms.ChoiceField(label=_("事项类别"), choices=Motion.Matter.choices, initial=Motion.Matter.ORDINARY)


class PaperVoterForm(forms.Form):
    """Whose paper ballot is typed in: a roll row that has not voted and has no paper ballot yet."""

    voter = forms.ModelChoiceField(label=_("选民"), queryset=ElectionVoter.objects.none(),
                                   help_text=_("按纸质选票上的签名选择选民。"))

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters
        self.fields["voter"].label_from_instance = lambda row: row.name()


MOTION_CHOICES = MotionVote.Choice.choices
