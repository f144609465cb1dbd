import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Community

# A committee's number may be a landline with its area code ("021-5686 1234") or a mobile.
PHONE_CHARS = re.compile(r"^\+?[0-9()\- ]+$")
FULL_WIDTH = str.maketrans("０１２３４５６７８９（）－＋　", "0123456789()-+ ")


class CommunityContactsForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["office_phone", "office_hours", "office_address"]
        widgets = {"office_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}
        help_texts = {"office_phone": _("居民在社区页和楼道二维码页面上看到并可直接拨打，如 021-5686 1234。"),
                      "office_hours": _("如：周一至周五 8:30–17:00，周六上午值班。")}

    def clean_office_phone(self):
        # Full-width digits and brackets typed on a Chinese keyboard are stored half-width, so the number dials.
        phone = self.cleaned_data["office_phone"].translate(FULL_WIDTH).strip()
        if not phone:
            return phone
        digits = re.sub(r"\D", "", phone)
        if not PHONE_CHARS.match(phone) or not 7 <= len(digits) <= 15:
            raise ValidationError(_("请填写有效的电话号码（7 到 15 位数字，可带区号和连字符）。"))
        return phone
