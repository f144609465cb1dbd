"""``{{ phone|tel }}``: a phone number as the page shows it, a ``tel:`` link when the viewer may see it whole.

The value is what the personal-data path gave the page (``communities.services.personal_data`` or
``communities.selectors.personal_data.masked_values``): a clear number becomes ``<a href="tel:…">``, so a
handler calls with one tap; a masked one (``138****8000``) or an empty one stays plain text. The filter decides
nothing about access: it cannot unmask, it only recognises a dialable value.
"""
import re

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()

# Digits with the separators people write (+86 138-0013 8000); a mask character (*) makes it undialable.
DIALABLE = re.compile(r"^\+?[0-9][0-9\s\-()]{2,30}$")


def tel_link(value) -> str:
    text = "" if value is None else str(value).strip()
    if not DIALABLE.match(text):
        return conditional_escape(text)
    digits = re.sub(r"[^0-9+]", "", text)
    return format_html('<a href="tel:{}" class="ld-tel">{}</a>', digits, text)


@register.filter(name="tel")
def tel(value):
    return tel_link(value)
