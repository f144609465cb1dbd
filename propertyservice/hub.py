"""What the station hub (/property/) and the heads' board (/property/board/) show: one card per area, each the
area's own fragment.

An area adds one line to ``HUB_AREAS`` (and, for the board, to ``BOARD_AREAS``): its fragment
``templates/propertyservice/fragments/hub_<area>.html`` (board: ``…/board/board_<area>.html``) is shown under
``heading`` (a fragment that does not exist yet is skipped), and ``context``, the dotted path of
``fn(*, request, community) -> dict``, gives the fragment its data as ``{{ <area>.… }}``. Keep each to a fixed
number of queries: the board's count is asserted. A context that comes back empty hides the card: that is how a
card is shown only to those the policy allows (each ``fn`` asks ``policy.can`` first)."""
from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    area: str
    heading: object
    context: str = ""  # dotted path of fn(*, request, community) -> dict, or "" for none
    folder: str = "fragments"
    prefix: str = "hub"

    @property
    def template(self) -> str:
        return f"propertyservice/{self.folder}/{self.prefix}_{self.area}.html"


def board_area(area: str, heading, context: str = "") -> Area:
    return Area(area, heading, context, folder="board", prefix="board")


# One line per area, in the order the hub and the board show them.
HUB_AREAS: list[Area] = [
    Area("station", _("服务站与人员"), "propertyservice.views.station.hub_card"),
    Area("patrols", _("巡逻与清运"), "propertyservice.views.patrols_cards.hub_patrols"),
    Area("incidents", _("突发事件"), "propertyservice.views.incidents.hub_context"),
    Area("hotline", _("24 小时热线"), "propertyservice.selectors.hotline.hub_card"),
    Area("parking", _("门岗与停车"), "propertyservice.selectors.parking.hub_card"),
    Area("sheds", _("充电棚、飞线充电和意见箱"), "propertyservice.selectors.sheds.hub_card"),
    Area("evaluation", _("服务站考核"), "propertyservice.selectors.evaluation.hub_context"),
]
BOARD_AREAS: list[Area] = [
    board_area("evaluation", _("服务站考核（本月）"), "propertyservice.selectors.evaluation.board_context"),
    board_area("patrols", _("巡逻与垃圾清运（本月）"), "propertyservice.views.patrols_cards.board_patrols"),
    board_area("incidents", _("突发事件（本月）"), "propertyservice.views.incidents.board_context"),
    board_area("hotline", _("24 小时热线"), "propertyservice.selectors.hotline.board_card"),
    board_area("parking", _("门岗与停车"), "propertyservice.selectors.parking.board_card"),
    board_area("sheds", _("充电棚与飞线充电（本月）"), "propertyservice.selectors.sheds.board_context"),
    board_area("station", _("证书到期与招聘"), "propertyservice.views.station.board_card"),
]


def _shown(areas: list[Area], request, community) -> tuple[list[Area], dict]:
    shown, context = [], {}
    for area in areas:
        try:
            get_template(area.template)
        except TemplateDoesNotExist:
            continue
        data = import_string(area.context)(request=request, community=community) if area.context else {}
        if area.context and not data:
            continue  # the policy does not let this user open anything of the area here
        shown.append(area)
        context[area.area] = data
    return shown, context


def hub_areas(request, community) -> tuple[list[Area], dict]:
    """The hub's areas whose fragment exists and whose context (if it has one) is not empty, and the context of
    each (``{area: {...}}``)."""
    return _shown(HUB_AREAS, request, community)


def board_areas(request, community) -> tuple[list[Area], dict]:
    return _shown(BOARD_AREAS, request, community)
