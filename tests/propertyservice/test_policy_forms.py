"""The propertyservice app's twin of tests/communities/test_policy_forms.py: for every ``propertyservice.*`` rule
with a list filter, ``can(user, action, obj)`` is exactly ``scope(user, action, Model.objects.filter(pk=obj.pk))
.exists()``, for every persona and object of a world of 光明村 objects in two villages (evaluations and their
improvement actions, flying-wire reports and suggestions, incidents and dispatches, the parking's standards, spaces,
cameras, vehicles and charges, patrol routes and checkpoints, the station's people and its rules).

A rule whose list filter is a bare callable does not say which models it filters: CALLABLE_MODELS says it, and a
rule missing from it fails (no rule skips the check silently)."""
from decimal import Decimal

import pytest

from communities import policy
from communities.models import (
    Community, DocumentVersion, Evaluation, EvaluationCriterion, EvaluationStandard, ImprovementAction, Role, Rota,
    Team, TeamMember,
)
from propertyservice.models import (
    Camera, Certificate, FeeStandard, FlyingWireReport, GateEntry, Incident, IncidentDispatch, ParkingCharge,
    ParkingSpace, PatrolCheckpoint, PatrolRoute, Recruit, StaffPost, StationPost, StationProfile, Suggestion,
    TrainingAttendance, TrainingSession, Vehicle,
)
from propertyservice.station_rules import KIND as STATION_RULES

from ..factories import CaseCategoryFactory, CaseFactory, make_member, team_join
from ..policy_forms import assert_can_and_scope_agree
from .world import (  # noqa: F401 - fixtures
    NOW, committee, head, head2, make_house, other_village, staff_member, station, village, villager,
)

TODAY = NOW.date()
pytestmark = pytest.mark.django_db


def _village_objects(village, *, manager, reporter, responder=None):
    """One object of each model the rules filter, in ``village``: ``manager`` (station staff) recorded them,
    ``reporter`` (a villager) reported and suggested, ``responder`` (a team member) was called to the incident."""
    person = manager.person
    # The evaluation and an improvement action (整改).
    standard = EvaluationStandard.objects.create(community=village, subject="propertyservice.station", version=1,
                                                 title="考核标准", created_by=manager)
    criterion = EvaluationCriterion.objects.create(standard=standard, name="巡逻",
                                                   group=EvaluationCriterion.Group.choices[0][0])
    evaluation = Evaluation.objects.create(community=village, subject="propertyservice.station",
                                           month=TODAY.replace(day=1), standard=standard)
    ImprovementAction.objects.create(community=village, evaluation=evaluation, criterion=criterion,
                                     score=Decimal("0.4"), due_on=TODAY)
    # A flying wire (with its case) and a suggestion.
    case = CaseFactory(community=village, category=CaseCategoryFactory(community=village), reporter=reporter)
    FlyingWireReport.objects.create(community=village, place_key="dq-1", place_label="丁钱组1号",
                                    channel=FlyingWireReport._meta.get_field("channel").choices[0][0],
                                    reported_by=reporter, reported_at=NOW, case=case)
    Suggestion.objects.create(community=village, author=reporter, text="路灯坏了", created_at=NOW)
    # An incident the villager reported, and a dispatch to the team member.
    incident = Incident.objects.create(community=village, kind=Incident.Kind.choices[0][0],
                                       how=Incident.How.choices[0][0], detected_by=reporter, place="丁钱组",
                                       description="爆管", detected_at=NOW)
    if responder is not None:
        team = Team.objects.get(community=village, kind=Team.Kind.STATION)
        team_join(team, responder)
        IncidentDispatch.objects.create(incident=incident, member=TeamMember.objects.get(team=team, user=responder),
                                        user=responder, position=1)
    # Parking: a standard, a space, a camera, a vehicle, a charge on a gate entry.
    fee = FeeStandard.objects.create(community=village, version=1, effective_from=NOW, created_by=manager)
    house = make_house(village, group="丁钱", number=f"{village.slug}-9号")
    ParkingSpace.objects.create(community=village, village_group=house.building.village_group, number="P1")
    Camera.objects.create(community=village, place="村口", maintainer="电信")
    Vehicle.objects.create(community=village, plate=f"沪A{village.pk:05d}", registered_by=manager)
    entry = GateEntry.objects.create(community=village, kind=GateEntry.Kind.VEHICLE, plate="沪B12345",
                                     logged_by=manager, standard=fee)
    ParkingCharge.objects.create(entry=entry, standard=fee, standard_version=1, amount=Decimal("5.00"),
                                 charged_until=NOW, computed_by=manager)
    # Patrols: a route and a checkpoint.
    route = PatrolRoute.objects.create(community=village, rota=Rota.objects.create(community=village, name="巡逻"),
                                       name="夜巡")
    PatrolCheckpoint.objects.create(route=route, name="村口")
    # The station: its profile, a post and who holds it, a certificate, a recruit, a training and who attended.
    StationProfile.objects.create(community=village)
    post = StationPost.objects.create(community=village, kind=StationPost._meta.get_field("kind").choices[0][0],
                                      name="巡逻岗")
    StaffPost.objects.create(community=village, post=post, person=person, since=TODAY)
    Certificate.objects.create(community=village, person=person, kind=Certificate._meta.get_field("kind")
                               .choices[0][0], number="123", issued_on=TODAY, issued_by="公安局")
    Recruit.objects.create(community=village, person=person, post=post, created_by=manager)
    session = TrainingSession.objects.create(community=village, topic="消防", starts_at=NOW, hours=Decimal("2"),
                                             created_by=manager)
    TrainingAttendance.objects.create(session=session, person=person)
    # The station's rules (a core document kind): a draft.
    DocumentVersion.objects.create(community=village, kind=STATION_RULES, number=1, title="管理制度", body="……",
                                   drafted_by=manager)


@pytest.fixture
def world(village, other_village, station, head, head2, staff_member, villager, committee):
    responder = make_member(village, Role.VOLUNTEER, username="responder", unit=make_house(village, number="2号"))
    party_secretary = make_member(village, Role.PARTY_SECRETARY, username="shuji")
    outsider = make_member(other_village, Role.RESIDENT, username="outsider", unit=make_house(other_village))
    other_head = Team.objects.get(community=other_village, kind=Team.Kind.STATION).backbones.get().user
    _village_objects(village, manager=staff_member, reporter=villager, responder=responder)
    _village_objects(other_village, manager=other_head, reporter=outsider)
    return [head, head2, staff_member, villager, committee, responder, party_secretary, outsider, other_head]


MODELS = (Community, ImprovementAction, FlyingWireReport, Suggestion, Incident, IncidentDispatch, FeeStandard,
          ParkingSpace, Camera, Vehicle, ParkingCharge, PatrolRoute, PatrolCheckpoint, DocumentVersion, Certificate,
          Recruit, StaffPost, StationPost, StationProfile, TrainingSession, TrainingAttendance)

# The models a bare-callable list filter applies to (its rule does not say).
CALLABLE_MODELS: dict[str, tuple] = {}


def _models_of(action, rule):
    if callable(rule.extra_scope):
        return CALLABLE_MODELS[action]
    return tuple(rule.extra_scope)


LISTED = sorted(action for action, rule in policy.RULES.items()
                if action.startswith("propertyservice.") and rule.extra_scope is not None)


def test_every_listed_rule_is_checked_here_or_in_its_app():
    """Every propertyservice rule with a list filter is checked here, its models known and in the world; a new
    callable filter not in CALLABLE_MODELS, or a model the world lacks, fails here."""
    assert {"propertyservice.evaluation.actions", "propertyservice.incident.respond", "propertyservice.parking.manage",
            "propertyservice.station.manage", "propertyservice.suggestion.answer"} <= set(LISTED)
    for action, rule in policy.RULES.items():
        if not action.startswith("propertyservice.") or rule.extra_scope is None:
            continue
        assert action in LISTED, action
        assert not callable(rule.extra_scope) or action in CALLABLE_MODELS, f"{action}: add to CALLABLE_MODELS"
        assert set(_models_of(action, rule)) <= set(MODELS), action
    assert set(CALLABLE_MODELS) <= set(LISTED)


@pytest.mark.parametrize("action", LISTED)
def test_can_and_scope_agree(world, action):
    assert_can_and_scope_agree(action=action, models=_models_of(action, policy.RULES[action]), world=world)
