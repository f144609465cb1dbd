"""代登记: the resident's name, mobile number, building and flat, as committee staff type them."""
from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterOnBehalfForm(forms.Form):
    name = forms.CharField(label=_("居民姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=None, empty_label=None)
    room = forms.CharField(label=_("房号"), max_length=20, help_text=_("例如 301"))
    tenant = forms.BooleanField(label=_("是租客"), required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
