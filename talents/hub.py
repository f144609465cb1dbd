"""What the 郡园 hub (/talents/) shows beyond the studios: one card per area, each the area's own fragment.

An area adds one line to ``HUB_AREAS``: its fragment ``templates/talents/fragments/hub_<area>.html`` is shown
under ``heading`` (a fragment that does not exist yet is skipped), and ``context``, the dotted path of
``fn(*, request, community) -> dict``, gives the fragment its data as ``{{ <area>.… }}`` (keep it to a fixed
number of queries: the hub's count is asserted). A context that comes back empty hides the card: that is how a
card is shown only to those the policy allows (each ``fn`` asks ``policy.can`` first). The 本周活动 board is the fragment
``talents/fragments/hub_week.html`` at the top of the hub (its data: ``HUB_WEEK_CONTEXT``)."""
from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HubArea:
    area: str
    heading: object
    context: str = ""  # dotted path of fn(*, request, community) -> dict, or "" for none
    page: str = "hub"  # "hub" (/talents/) or "owners" (/talents/owners/, the owners' hub)

    @property
    def template(self) -> str:
        return f"talents/fragments/{self.page}_{self.area}.html"


HUB_AREAS: list[HubArea] = [
    HubArea("classes", _("达人课堂"), "talents.selectors.hub.classes_card"),
    HubArea("services", _("预约服务"), "talents.selectors.hub.services_card"),
    HubArea("squads", _("治理小分队"), "talents.selectors.hub.squads_card"),
    HubArea("rotas", _("宝妈轮流"), "talents.selectors.hub.rotas_card"),
    HubArea("hours", _("我的志愿时长"), "talents.selectors.hub.hours_card"),
]

# The owners' hub (/talents/owners/, issue 15): the same shape, fragments ``talents/fragments/owners_<area>.html``.
OWNERS_AREAS: list[HubArea] = [
    HubArea("committee", _("业主委员会"), "talents.selectors.owners_committee.hub_card", page="owners"),
    HubArea("election", _("业委会换届选举"), "talents.selectors.owners_election.hub_card", page="owners"),
    HubArea("assembly", _("业主大会表决"), "talents.selectors.owners_assembly.hub_card", page="owners"),
    HubArea("repairs", _("维修项目"), "talents.selectors.owners_repairs.hub_card", page="owners"),
    HubArea("fund", _("专项维修资金"), "talents.selectors.owners_fund.hub_card", page="owners"),
    HubArea("company", _("物业服务企业"), "talents.selectors.owners_company.hub_card", page="owners"),
    HubArea("register", _("业主名册"), "talents.selectors.owners_register.hub_card", page="owners"),
]

# The 本周活动 board's data (the services area sets it): dotted path of fn(*, request, community) -> dict.
HUB_WEEK_CONTEXT = ""


def _context(path: str, request, community) -> dict:
    return import_string(path)(request=request, community=community) if path else {}


def hub_areas(request, community, areas: list[HubArea] | None = None) -> tuple[list[HubArea], dict]:
    """The areas whose fragment exists and whose context (if it has one) is not empty, and the context of each
    (``{area: {...}}``, with ``week``)."""
    shown, context = [], {"week": _context(HUB_WEEK_CONTEXT, request, community)}
    for area in HUB_AREAS if areas is None else areas:
        try:
            get_template(area.template)
        except TemplateDoesNotExist:
            continue
        data = _context(area.context, request, community)
        if area.context and not data:
            continue  # the policy does not let this user open anything of the area here
        shown.append(area)
        context[area.area] = data
    return shown, context
