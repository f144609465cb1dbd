from . import policy, viewer
from .selectors.navigation import navigation_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"elder_mode": request.COOKIES.get("elder_mode") == "1", "nav_items": [], "unread_count": 0}
    return {
        "elder_mode": user.elder_mode,
        "nav_items": navigation_for(user),
        "unread_count": viewer.facts_of(user).unread_notifications,
        "is_town": policy.is_town(user),
    }
