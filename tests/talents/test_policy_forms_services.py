"""The twin of tests/communities/test_policy_forms.py for the rules of services by appointment and squads
(``talents.service.*``, ``talents.appointment.*``, ``talents.squad.*``): ``can`` and ``scope`` agree for every
persona and object of a small world."""
import datetime as dt

import pytest

from communities import policy
from communities.models import Backbone, Role, Team
from talents.models import ServiceBooking, ServiceSlot, SquadTask, SquadTaskParticipant, Studio, StudioService

from ..factories import make_member, team_join
from ..policy_forms import assert_can_and_scope_agree

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)
AREAS = ("talents.service.", "talents.appointment.", "talents.squad.")


def _studio(community, host, slug):
    team = Team.objects.create(community=community, name=f"工作室{slug}", kind=Team.Kind.STUDIO)
    Backbone.objects.create(team=team, user=host, office=Backbone.Office.STUDIO_HOST, term_start=START.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=host)
    studio = Studio.objects.create(team=team, slug=slug, talent_kind="photography")
    service = StudioService.objects.create(studio=studio, title="免费证件照", created_by=host)
    return ServiceSlot.objects.create(service=service, starts_at=START, ends_at=START + dt.timedelta(minutes=15))


def _squad(community, backbone, members, name):
    team = team_join(Team.objects.create(community=community, name=name, kind=Team.Kind.SQUAD), backbone, *members)
    Backbone.objects.create(team=team, user=backbone, office=Backbone.Office.BACKBONE, term_start=START.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=backbone)
    task = SquadTask.objects.create(team=team, kind="patrol", title="巡查", place="1号楼", created_by=backbone,
                                    starts_at=START, ends_at=START + dt.timedelta(hours=1))
    for user in members:
        SquadTaskParticipant.objects.create(task=task, user=user)
    return team


@pytest.fixture
def world(community, other_community, resident, tenant, landlord, committee_staff, party_secretary, outsider,
          town_secretary, town_staff):
    host = make_member(community, Role.TALENT, username="host")
    other_host = make_member(community, Role.TALENT, username="other_host")
    mine = _studio(community, host, "sheying")
    _studio(community, other_host, "moxiang")
    _studio(other_community, outsider, "elsewhere")
    ServiceBooking.objects.create(slot=mine, user=resident)
    ServiceBooking.objects.create(slot=mine, user=tenant)
    _squad(community, host, [resident], "巡查队")
    _squad(other_community, outsider, [], "别处队")
    # A team that is not a squad, which the tenant and the landlord belong to and the landlord leads.
    station = team_join(Team.objects.create(community=community, name="服务队", kind=Team.Kind.VOLUNTEER_TEAM),
                        tenant, landlord)
    Backbone.objects.create(team=station, user=landlord, office=Backbone.Office.BACKBONE, term_start=START.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=landlord)
    return [resident, tenant, landlord, committee_staff, party_secretary, outsider, town_secretary, town_staff, host,
            other_host]


LISTED = sorted(action for action, rule in policy.RULES.items()
                if rule.extra_scope is not None and action.startswith(AREAS))


def test_the_areas_rules_are_listed():
    assert {"talents.service.manage", "talents.appointment.cancel", "talents.squad.view",
            "talents.squad.manage"} <= set(LISTED)


@pytest.mark.parametrize("action", LISTED)
def test_can_and_scope_agree(world, action):
    assert_can_and_scope_agree(action=action, models=tuple(policy.RULES[action].extra_scope), world=world)
