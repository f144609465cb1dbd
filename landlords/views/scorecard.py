from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.exports import xlsx_response
from communities.policy import guard
from communities.services.audit import audit

from ..selectors.scorecard import COLUMNS, DEFAULT_DAYS, PERIODS, rank_rows, scorecard, sort_rows
from .picking import pick_team_community

EXPORT_HEADERS = (gettext_lazy("姓名"), gettext_lazy("出租房屋"), gettext_lazy("诉求件数"),
                  gettext_lazy("响应用时中位数(小时)"), gettext_lazy("办结用时中位数(小时)"), gettext_lazy("验收通过率"),
                  gettext_lazy("满意率"), gettext_lazy("值班签到"), gettext_lazy("值班缺勤"), gettext_lazy("参会次数"),
                  gettext_lazy("租客按时登记率"), gettext_lazy("社区身份"))


def _days(request) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


def _rows_for(request, community):
    """All rows for leaders; a sublandlord's own row only."""
    days = _days(request)
    if policy.can(request.user, "landlords.scorecard", community):
        return scorecard(community=community, days=days), True
    person = getattr(request.user, "person", None)
    if person is None or not policy.can(request.user, "landlords.scorecard_view", community):
        raise PermissionDenied
    return scorecard(community=community, days=days, only_person=person), False


def _community(request, action="landlords.scorecard_view"):
    return pick_team_community(request, action).community


@guard("landlords.scorecard_view")
def scorecard_view(request):
    community = _community(request)
    rows, everyone = _rows_for(request, community)
    if everyone:  # a rank among all; a sublandlord seeing only their own row gets none
        rank_rows(rows)
    rows, sort = sort_rows(rows, request.GET.get("sort", "name"))
    return render(request, "landlords/scorecard.html", {
        "community": community, "rows": rows, "everyone": everyone, "sort": sort, "columns": COLUMNS,
        "sort_key": sort.lstrip("-"), "descending": sort.startswith("-"),
        "days": _days(request), "periods": PERIODS})


@guard("landlords.scorecard")
def scorecard_export(request):
    community = _community(request, "landlords.scorecard")
    rows, _everyone = _rows_for(request, community)
    rows, _sort = sort_rows(rows, request.GET.get("sort", "name"))
    audit(actor=request.user, action="landlords.scorecard_export", community=community, rows=len(rows),
          days=_days(request))
    today = timezone.localdate()
    return xlsx_response(filename=_("二房东履职积分卡-%(date)s.xlsx") % {"date": f"{today:%Y%m%d}"},
                         ascii_filename=f"scorecard-{today:%Y%m%d}.xlsx", sheet_title=_("二房东履职积分卡"),
                         headers=EXPORT_HEADERS, rows=[_export_row(row) for row in rows])


def _percent(rate):
    return None if rate.value is None else round(rate.value * 100, 1)


def _export_row(row) -> list:
    hours = (lambda h: None if h is None else round(h, 1))
    return [row.person.name, row.units, row.cases, hours(row.median_ack_hours), hours(row.median_fix_hours),
            _percent(row.verification), _percent(row.satisfaction), row.shifts_served, row.shifts_missed,
            row.meetings_attended, _percent(row.registrations), "、".join(row.titles)]
