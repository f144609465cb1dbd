from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.models import normalize_phone


class MerchantForm(forms.Form):
    name = forms.CharField(label=_("商户名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    offers = forms.CharField(label=_("提供什么"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：体验课的场地和茶点。价格由商户明码标价，写明包含的内容。"))
    active = forms.BooleanField(label=_("合作中"), required=False, initial=True)

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code="phone") from None
