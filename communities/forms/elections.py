import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Election, ElectionPost, Team
from .rotas import find_users

SEPARATORS = re.compile(r"[,，\s]+")


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ElectionForm(forms.ModelForm):
    posts_text = forms.CharField(
        label=_("职位与名额"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个职位：名称，名额。例如：会长，1"))

    class Meta:
        model = Election
        fields = ["title", "description", "counting", "electorate_role", "team", "opens_at", "closes_at"]
        widgets = {"opens_at": DateTimeLocal(), "closes_at": DateTimeLocal(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
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
        if not posts:
            raise ValidationError(_("请至少设置一个职位。"))
        return posts

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CandidateForm(forms.Form):
    post = forms.ModelChoiceField(label=_("职位"), queryset=ElectionPost.objects.none())
    user_key = forms.CharField(label=_("候选人"), max_length=50, help_text=_("账号或手机号"))
    statement = forms.CharField(label=_("竞选陈述"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = election.posts.all()

    def clean_user_key(self):
        key = self.cleaned_data["user_key"].strip()
        user = find_users([key]).get(key)
        if user is None:
            raise ValidationError(_("找不到账号或手机号为“%(key)s”的用户。"), params={"key": key})
        return user


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "XXXX-XXXX-XXXX"}))
