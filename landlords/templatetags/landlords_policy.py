"""``{% may "action" obj as allowed %}``: the policy's answer inside a template (links only to pages
the user may open). The views still check on their own."""
from django import template

from communities import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action, obj=None):
    return policy.can(context["request"].user, action, obj)
