"""People chosen by name from one community: rota members and managers, meeting invitees.

The choices are the community's own people (``selectors.dispatch.people_candidates``: name · building ·
role, so two 王芳 are told apart), and only they validate: an id from elsewhere is refused with a message
that names nobody. The list is filtered as one types by ``static/communities/forms.js``; without JS the whole
list is there to tick. Rendered in Python (see ``widgets.FastSelect``): a community has hundreds of people.
"""
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import User
from ..selectors.dispatch import people_candidates

NOT_HERE = _("所选的人不在本社区的名单里，没有保存任何更改。")
ERRORS = {"invalid_choice": NOT_HERE, "invalid_pk_value": NOT_HERE, "list": NOT_HERE}


class PeoplePicker(forms.SelectMultiple):
    """A search box over a list of checkboxes; with ``group_prefix`` each person also gets a group name box."""

    group_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: dict = {}

    def id_for_label(self, id_, index=None):
        return f"{id_}_search" if id_ else ""  # the field's label names the search box

    def render(self, name, value, attrs=None, renderer=None):
        base = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        chosen = {str(getattr(v, "pk", v)) for v in (value or [])}
        rows = []
        for index, (pk, label) in enumerate(self.choices):
            row_id = f"{base}_{index}"
            box = format_html('<input class="form-check-input" type="checkbox" name="{}" value="{}" id="{}"{}>',
                              name, pk, row_id, mark_safe(" checked") if str(pk) in chosen else "")
            group = ""
            if self.group_prefix:
                group = format_html(
                    '<input type="text" class="form-control form-control-sm people-picker-group" name="{}" '
                    'value="{}" maxlength="50" placeholder="{}" aria-label="{}">',
                    f"{self.group_prefix}{pk}", self.groups.get(str(pk), ""), _("组名"),
                    _("%(name)s 的组名(可不填)") % {"name": label})
            rows.append(format_html('<div class="form-check people-picker-row" data-search="{}">{}'
                                    '<label class="form-check-label" for="{}">{}</label>{}</div>',
                                    str(label).lower(), box, row_id, label, group))
        return format_html(
            '<div class="people-picker" data-people-picker>'
            '<input type="search" class="form-control mb-2" id="{}_search" autocomplete="off" placeholder="{}" '
            'aria-controls="{}">'
            '<div class="people-picker-list border rounded p-2" id="{}" role="group"{}>{}</div>'
            '<p class="small text-secondary mb-0" data-people-none hidden>{}</p></div>',
            base, _("输入姓名筛选"), base, base, flatatt({"aria-label": str(_("人员名单"))}),
            mark_safe("".join(rows)), _("没有找到这个名字"))


class PeopleField(forms.ModelMultipleChoiceField):
    widget = PeoplePicker

    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.none(), error_messages=ERRORS, **kwargs)

    def set_community(self, community, *, first=()):
        """Offer ``community``'s people, ``first`` (user ids, in order: the chosen ones) at the top."""
        set_people(self, community)
        order = {pk: i for i, pk in enumerate(first)}
        self.choices = sorted(self.choices, key=lambda c: order.get(c[0], len(order)))


class PersonField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.none(), error_messages=ERRORS, **kwargs)

    def set_community(self, community):
        set_people(self, community)
        self.choices = [("", self.empty_label)] + list(self.choices)


def set_people(field, community) -> None:
    field.queryset = User.objects.filter(memberships__community=community, is_active=True).distinct()
    field.choices = [(c.user_id, c.label) for c in people_candidates(community_ids=[community.pk])]
