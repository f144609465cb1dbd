"""What each user may open, for the menu and the home page: the policy decides."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import extensions, policy
from ..models import Role
from . import rotas


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    hint: str = ""
    # Something waiting there for the user (unread announcements, say); 0 shows nothing.
    badge: int = 0


def navigation_for(user) -> list[NavItem]:
    items = [NavItem(_("首页"), reverse("home"), "house")]
    if policy.can(user, "case.file"):
        items.append(NavItem(_("反映问题"), reverse("communities:case_new"), "megaphone",
                             _("噪音、堆物、漏水、停车……拍照反映")))
        items.append(NavItem(_("我反映的问题"), reverse("communities:case_mine"), "list", _("查看处理进展并评价")))
    if policy.can(user, "case.queue"):
        items.append(NavItem(_("待我处理"), reverse("communities:case_queue"), "inbox", _("派给我的诉求")))
    on_rota = policy.can(user, "rota.create") or rotas.user_has_rotas(user=user)
    if on_rota:
        items.append(NavItem(_("我的值班"), reverse("communities:my_shifts"), "calendar", _("值班安排、换班和签到")))
    # 志愿时长 (the volunteer-hours record): for volunteers and talents, members of a team, people on a rota and
    # staff; from facts already loaded for the page, no query of its own. Never for whom the page is closed: town
    # roles manage rotas (so ``on_rota``) but keep no hours of their own (``hours.view_own`` is not for town).
    if policy.can(user, "hours.view_own") and (
            policy.can(user, "hours.manage") or on_rota or policy.team_ids_of(user)
            or policy.all_roles(user) & {Role.VOLUNTEER, Role.TALENT}):
        items.append(NavItem(_("志愿时长"), reverse("communities:hours_mine"), "clock",
                             _("我的志愿服务平台记录")))
    if policy.can(user, "case.list"):
        items.append(NavItem(_("诉求管理"), reverse("communities:case_list"), "table", _("筛选、派单、验收、导出")))
    if policy.can(user, "case.dashboard"):
        items.append(NavItem(_("治理看板"), reverse("communities:dashboard"), "chart",
                             _("响应率、解决率、满意率")))
    if policy.can(user, "meeting.view"):
        items.append(NavItem(_("会议"), reverse("communities:meeting_calendar"), "calendar",
                             _("碰头会、议事会：时间、地点、议程和纪要")))
    if policy.can(user, "room.book"):
        items.append(NavItem(_("活动室预约"), reverse("communities:room_list"), "calendar",
                             _("党群服务中心的活动室：谁在用、何时空着")))
    if policy.can(user, "directory.view"):
        items.append(NavItem(_("社区与房屋"), reverse("communities:community_list"), "buildings",
                             _("楼栋、房屋和居住登记")))
    if policy.can(user, "registration.review"):
        items.append(NavItem(_("注册审核"), reverse("communities:registration_queue"), "person-check",
                             _("审核居民的注册申请")))
    if policy.can(user, "residents.import"):
        items.append(NavItem(_("导入居民"), reverse("communities:residents_import"), "upload",
                             _("从 Excel 表格导入房屋和居民")))
    items.extend(extensions.nav_items(user))  # the apps' entries, where they serve the user's communities
    items.append(NavItem(_("消息"), reverse("communities:notification_list"), "bell", _("通知和提醒")))
    if policy.can(user, "community.view"):
        items.append(NavItem(_("我的社区"), reverse("communities:community_page"), "house",
                             _("居委电话、办公时间和地址")))
    items.append(NavItem(_("我的账号"), reverse("accounts:profile"), "person", _("密码、语言和长辈模式")))
    return items
