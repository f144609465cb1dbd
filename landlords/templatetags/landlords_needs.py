"""``{% needs_hub_links as links %}``: what the hub shows this user of the needs list and community titles."""
from django import template

from communities import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_hub_links(context):
    user = context["request"].user
    return {
        "can_post": policy.can(user, "need.manage"),
        "title_communities": list(policy.communities_for(user, "title.award").order_by("name")),
    }
