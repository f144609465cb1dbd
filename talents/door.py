"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""
from communities import extensions
from communities.extensions import Panel

# (name, dotted path) run by seed_demo after the core's demo, in this order: the studios first, since the
# other areas (classes, services, squads) name them.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("郡园 studios, hosts and followers", "talents.demo.studios.demo_studios_seed"),
    ("talents.classes", "talents.demo.classes.demo_classes_seed"),  # classes, a full children's class with a waitlist
    ("talents_services", "talents.demo.services.demo_services_seed"),
    ("talents_mothers", "talents.demo.mothers.demo_mothers_seed"),
    ("talents_squads", "talents.demo.squads.demo_squads_seed"),
    # the owners' hub (issue 15): the register first (every other area counts its owners), the fund before the
    # repairs (they are paid from it), the property company last
    ("talents_owners_register", "talents.demo.owners_register.demo_owners_register_seed"),
    ("talents_owners_committee", "talents.demo.owners_committee.demo_owners_committee_seed"),
    ("talents_owners_election", "talents.demo.owners_election.demo_owners_election_seed"),
    ("talents_owners_assembly", "talents.demo.owners_assembly.demo_owners_assembly_seed"),
    ("talents_owners_fund", "talents.demo.owners_fund.demo_owners_fund_seed"),
    ("talents_owners_repairs", "talents.demo.owners_repairs.demo_owners_repairs_seed"),
    ("talents_owners_company", "talents.demo.owners_company.demo_owners_company_seed"),
]


def home_panel(request, obj) -> Panel | None:
    """The 郡园达人 card on the home page, for members of a community this app serves."""
    from .navigation import hub_entry

    entry = hub_entry(request.user)
    return Panel("talents/panels/home_hub.html", {"entry": entry}) if entry else None


def register() -> None:
    """Called once from ``TalentsConfig.ready``."""
    from .navigation import talents_nav

    extensions.register_nav(talents_nav)
    extensions.register_panel("home", home_panel)
    extensions.register_nav(classes_nav)
    register_owners()


def register_owners() -> None:
    """The owners' hub (issue 15): the owners' roll of a vote, scoped to the units that share it."""
    from django.utils.translation import gettext_lazy as _

    from .services.assemblies import ELECTORATE, owners_electorate

    extensions.register_electorate("talents", ELECTORATE, _("业主（按表决范围：全体、本幢或本单元，一户一票）"),
                                   owners_electorate, counts_area=True, community_kind="residential")
    from .views.owners_repairs import repair_case_panel
    extensions.register_panel("case", repair_case_panel)  # repairs: "你反映的问题已纳入维修项目"
    extensions.register_evaluation_source("talents.company", company_survey_source)


def company_survey_source(*, community, criterion_key, start, end):
    """The owners' survey of the property company (subject ``talents.company``) has owners' questions only: no
    measured criteria (暂无数据 for any that a later version might add)."""
    return None


def classes_nav(user) -> list:
    """达人课堂 (the classes, my classes and my children's) for members of a community the app serves."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from communities import policy
    from communities.selectors.navigation import NavItem

    if not policy.can(user, "talents.class.view"):
        return []
    return [NavItem(_("达人课堂"), reverse("talents:class_list"), "easel", _("报名参加达人开的课"))]
