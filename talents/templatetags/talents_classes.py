"""Template tags of the classes area: the 本周活动 board and a studio's next sessions, which the studios area's
pages include (``talents/fragments/hub_week.html``, ``talents/fragments/studio_next_sessions.html``) without
knowing how they are read."""
import datetime as dt

from django import template
from django.utils import timezone

from communities import policy

from ..selectors.classes import studio_next_sessions, week_bounds, week_sessions

register = template.Library()


@register.inclusion_tag("talents/fragments/week_board.html", takes_context=True)
def hub_week(context, community=None):
    """本周活动: this week's sessions of every studio of the community (or of the viewer's communities)."""
    user = context["request"].user
    now = context.get("now") or timezone.now()
    community = community or context.get("community")
    if community is not None:
        ids = {community.pk} if policy.can(user, "talents.class.view", community) else set()
    else:
        ids = policy.community_ids_for(user, "talents.class.view")
    start, end = week_bounds(now)
    # The heading names the week's first and last day (Monday to Sunday), not the Monday after it.
    return {"sessions": week_sessions(community_ids=ids, now=now) if ids != set() else [], "week_start": start,
            "week_last_day": end - dt.timedelta(days=1), "now": now}


@register.inclusion_tag("talents/fragments/next_sessions_list.html", takes_context=True)
def studio_sessions(context, studio):
    now = context.get("now") or timezone.now()
    own, featured = studio_next_sessions(studio=studio, now=now)
    return {"own": own, "featured": featured, "studio": studio, "now": now}
