"""The patrols' cards: on the hub (my next or current patrol), on the heads' board (this month), and the panel on
the core shift page (the runs' flags and the hand-over note). Each asks the policy first and returns nothing for
someone the area is not for."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.extensions import Panel

from ..forms.patrols import HandoverForm
from ..selectors import patrols as sel
from ..services.patrols import STATION_KINDS


def hub_patrols(*, request, community) -> dict:
    user = request.user
    can_patrol = policy.can(user, "propertyservice.patrols.patrol", community)
    can_manage = policy.can(user, "propertyservice.patrols.manage", community)
    if not (can_patrol or can_manage):
        return {}
    return {"next": sel.hub_next_patrol(user=user, community=community) if can_patrol else None,
            "can_patrol": can_patrol, "can_manage": can_manage,
            "can_garbage": policy.can(user, "propertyservice.patrols.garbage", community), "now": timezone.now()}


def board_patrols(*, request, community) -> dict:
    if not policy.can(request.user, "propertyservice.patrols.view", community):
        return {}
    data = sel.board_patrols(community=community)
    return {**data, **board_chart_rows(data),
            "can_manage": policy.can(request.user, "propertyservice.patrols.manage", community)}


def _share(part, whole):
    return None if not whole else Decimal(part) / Decimal(whole)


def board_chart_rows(data: dict) -> dict:
    """The board card's charts from ``sel.board_patrols``'s counts (no query): the runs as counts, and the garbage
    work as shares of what was done (a share of nothing is None, 暂无数据, not 0%)."""
    runs, handovers, checks = data["runs"], data["handovers"], data["checks"]
    return {
        "run_rows": [{"label": _("巡逻"), "value": runs["total"]}, {"label": _("走完"), "value": runs["completed"]},
                     {"label": _("异常"), "value": runs["flagged"]}],
        "garbage_rows": [
            {"label": _("交接按时"), "value": _share(handovers["on_time"], handovers["total"])},
            {"label": _("分类正确"), "value": _share(checks["total"] - checks["mis_sorted"], checks["total"])},
            {"label": _("混投已纠正"), "value": _share(checks["corrected"], checks["mis_sorted"])},
        ],
    }


def shift_panel(request, shift) -> Panel | None:
    """On a station rota's shift page: this shift's patrol runs and their flags, the note the previous shift left
    (to mark read), and this shift's own note (to write, for those on it)."""
    if shift.rota.kind not in STATION_KINDS:
        return None
    if not policy.can(request.user, "propertyservice.patrols.view", shift):
        return None
    data = sel.shift_panel(shift=shift, user=request.user)
    may_write = data.on_this_shift and policy.can(request.user, "propertyservice.patrols.patrol", shift)
    return Panel("propertyservice/panels/shift_patrols.html", {
        "shift": shift, "panel": data, "may_write": may_write and timezone.now() >= shift.starts_at,
        "handover_form": HandoverForm(initial={"body": data.own_note.body if data.own_note else ""})})
