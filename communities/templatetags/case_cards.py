"""``{% case_card case show_community=True %}``: one row of a case list (the staff list, my cases, my queue).

The markup the template fragment ``case_card.html`` gave, byte for byte, written in Python: a list renders
20–25 of them, and through ``{% include %}`` they cost about a tenth of the staff list's function calls
(bench_town). A change of the markup goes here.
"""
from django import template
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def case_card(case, show_community=False):
    if case.status == "closed":
        badge = "text-bg-success"
    elif case.is_open:
        badge = "text-bg-warning"
    else:
        badge = "text-bg-secondary"
    place_label = case.place_label() or ""
    place_text = (format_html(" · {}", case.place_text)
                  if case.place_text and case.place_label() != case.place_text else "")
    community = format_html(" · {}", case.community.name) if show_community else ""
    due = (format_html(" · {} {}", gettext("办结期限"), date(template_localtime(case.fix_due_at), "m-d H:i"))
           if case.fix_due_at and case.is_open else "")
    return format_html(
        '<li class="list-group-item">\n'
        '  <div class="d-flex justify-content-between flex-wrap gap-1">\n'
        '    <a href="{}" class="fw-bold">#{} {}</a>\n'
        '    <span class="badge {}">{}</span>\n'
        '  </div>\n'
        '  <div class="small">{}{}</div>\n'
        '  <div class="small text-secondary">{}{}{}</div>\n'
        '</li>\n',
        reverse("communities:case_detail", args=[case.pk]), case.pk, case.category.name, badge,
        case.get_status_display(), place_label, place_text,
        date(template_localtime(case.created_at), "Y-m-d H:i"), community, due)
