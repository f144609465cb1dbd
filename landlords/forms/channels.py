import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
