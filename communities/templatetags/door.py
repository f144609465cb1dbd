"""``{% panels "case" case %}``: every app's panel for this core page (``communities.extensions.register_panel``).

The core template names the page and its object; it never names an app."""
from django import template

from communities import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, page, obj=None):
    return extensions.render_panels(page, context["request"], obj)
