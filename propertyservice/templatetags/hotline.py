"""``{{ call.time_to_answer|hotline_wait }}``: a time to answer as people say it (12 分钟, 3 小时 5 分钟, 2 天 4 小时)."""
from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hotline_wait(delta) -> str:
    if delta is None:
        return _("未答复")
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes == 0:
        return _("当场")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)s 天 %(hours)s 小时") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s 小时 %(minutes)s 分钟") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s 分钟") % {"minutes": minutes}


@register.filter
def hotline_minutes(minutes) -> str:
    if minutes is None:
        return "—"
    import datetime as dt

    return hotline_wait(dt.timedelta(minutes=minutes))
