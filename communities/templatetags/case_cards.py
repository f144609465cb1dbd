"""``{% case_card case show_community=True %}``: one row of a case list (the staff list, my cases, my queue).

The markup the template fragment ``case_card.html`` gave, byte for byte, written in Python: a list renders
20–25 of them, and through ``{% include %}`` they cost about a tenth of the staff list's function calls
(bench_town). The URL is reversed once per script prefix, the times formatted with ``strftime`` (the same
text as Django's ``date`` filter for these two formats) and the texts escaped with ``conditional_escape``,
as ``format_html`` does: tests/communities/test_case_cards.py compares the row with the fragment's markup.
A change of the markup goes here and there.
"""
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

register = template.Library()

_PK = 987654321  # a stand-in id, replaced by each row's


@lru_cache(maxsize=16)
def _detail_url(script_prefix: str) -> tuple[str, str]:
    """The case page's URL around its id, reversed once per script prefix instead of once per row."""
    head, _, tail = reverse("communities:case_detail", args=[_PK]).partition(str(_PK))
    return head, tail


def _minute(value, fmt: str) -> str:
    return template_localtime(value).strftime(fmt)  # Django's "Y-m-d H:i" and "m-d H:i"


@register.simple_tag
def case_status_badge(case, large=False):
    """``{% case_status_badge case %}``: the case's status as a badge, a colour of its own per state
    (``.ld-status-<state>`` in site.css, each at least 4.5:1 against its text) besides its words."""
    size = " fs-6" if large else ""
    return mark_safe(f'<span class="badge ld-status ld-status-{conditional_escape(case.status)}{size}">'
                     f'{conditional_escape(case.get_status_display())}</span>')


@register.filter
def one_line(text, limit=40):
    """The first ``limit`` characters of ``text`` on one line (the similar-case box's description)."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit] + "…"


@register.simple_tag
def case_card(case, show_community=False):
    place_label = case.place_label() or ""
    place_text = (" · " + conditional_escape(case.place_text)
                  if case.place_text and place_label != case.place_text else "")
    community = " · " + conditional_escape(case.community.name) if show_community else ""
    due = (f" · {conditional_escape(gettext('办结期限'))} {_minute(case.fix_due_at, '%m-%d %H:%M')}"
           if case.fix_due_at and case.is_open else "")
    head, tail = _detail_url(get_script_prefix())
    # In 我反映的问题 (``my_cases`` annotates ``is_mine``) a followed case says so, apart from my own reports.
    followed = ""
    if getattr(case, "is_mine", True) is False:
        label = gettext("我关注的")  # outside the f-string, where makemessages finds it
        followed = f' <span class="badge ld-followed">{conditional_escape(label)}</span>'

    return mark_safe(
        '<li class="list-group-item">\n'
        '  <div class="d-flex justify-content-between flex-wrap gap-1">\n'
        f'    <a href="{head}{case.pk}{tail}" class="fw-bold">#{case.pk} {conditional_escape(case.category.name)}</a>\n'
        f'    {case_status_badge(case)}{followed}\n'
        '  </div>\n'
        f'  <div class="small">{conditional_escape(place_label)}{place_text}</div>\n'
        f'  <div class="small text-secondary">{_minute(case.created_at, "%Y-%m-%d %H:%M")}{community}{due}</div>\n'
        '</li>\n')
