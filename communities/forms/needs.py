from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Community

PHOTO_ACCEPT = {"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}


class NeedPostForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    title = forms.CharField(label=_("需求"), max_length=100, help_text=_("例如：小区休闲长椅"))
    quantity = forms.CharField(label=_("需要什么、多少"), max_length=100, required=False,
                               help_text=_("例如：长椅 6 张"))
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=2000)
    photo = forms.FileField(label=_("现场照片（可选）"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        only = list(communities[:2])
        if len(only) == 1:
            self.fields["community"].initial = only[0].pk
            self.fields["community"].widget = forms.HiddenInput()


class NeedClaimForm(forms.Form):
    team = forms.ModelChoiceField(label=_("代表团队认领（可选）"), queryset=None, required=False,
                                  empty_label=_("以个人名义认领"))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class NeedDeliverForm(forms.Form):
    photo = forms.FileField(label=_("交付照片"), widget=forms.ClearableFileInput(attrs=PHOTO_ACCEPT),
                            error_messages={"required": _("请上传一张交付的照片。")})
    note = forms.CharField(label=_("说明（可选）"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=1000)


class NeedNoteForm(forms.Form):
    note = forms.CharField(label=_("说明（可选）"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=1000)


class NeedReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             error_messages={"required": _("请写明退回的原因，认领人会看到。")})


class NeedWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("原因（可选）"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             max_length=1000)
