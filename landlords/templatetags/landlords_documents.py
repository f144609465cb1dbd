from django import template

from communities import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_flags(context, community):
    """What the documents links on the 蓉治社 hub may show the signed-in user."""
    user = context["request"].user
    return {"record_paper": policy.can(user, "landlords.covenant.record_paper", community),
            "report": policy.can(user, "landlords.covenant.report", community)}
