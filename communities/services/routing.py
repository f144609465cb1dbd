"""Where a new case goes: the first matching RoutingRule (data, editable by committee staff)."""
from dataclasses import dataclass

from ..models import Case, RoutingRule, Team


@dataclass(frozen=True)
class Route:
    user: object = None
    team: Team | None = None

    @property
    def found(self) -> bool:
        return self.user is not None or self.team is not None


def route_for(*, case: Case) -> Route:
    rules = RoutingRule.objects.filter(community_id=case.community_id).select_related("team", "user")
    for rule in rules:
        if rule.category_id and rule.category_id != case.category_id:
            continue
        if rule.only_let_units and not (case.unit_id and case.unit.is_let):
            continue
        route = _resolve(rule, case)
        if route is not None:
            return route
    return Route()


def _resolve(rule: RoutingRule, case: Case) -> Route | None:
    """None when the rule does not apply to this case (e.g. a let unit whose sublandlord has no account)."""
    if rule.target == RoutingRule.Target.UNIT_SUBLANDLORD:
        landlord = case.unit.sublandlord if case.unit_id and case.unit.is_let else None
        user = landlord.user if landlord is not None else None
        return Route(user=user) if user is not None and user.is_active else None
    if rule.target == RoutingRule.Target.TEAM:
        return Route(team=rule.team)
    if rule.target == RoutingRule.Target.USER:
        return Route(user=rule.user) if rule.user.is_active else None
    return Route()  # COMMITTEE: wait for committee staff to dispatch by hand


DEFAULT_CATEGORIES = [
    # code, name, hours to acknowledge, hours to fix
    ("noise", "噪音扰民", 24, 72),
    ("illegal_construction", "违法搭建", 24, 360),
    ("partitioned_flat", "房屋隔断", 24, 360),
    ("corridor_clutter", "楼道堆物", 24, 72),
    ("garbage_sorting", "垃圾分类", 24, 72),
    ("leak", "房屋漏水", 24, 120),
    ("facade", "外墙脱落", 12, 360),
    ("parking", "停车", 24, 72),
    ("flying_wire", "飞线充电", 12, 48),
    ("tenant_dispute", "租客矛盾", 24, 120),
    ("other", "其他", 24, 120),
]
