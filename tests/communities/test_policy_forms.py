"""The policy's two forms agree: for every rule with a list filter, ``can(user, action, obj)`` is exactly
``scope(user, action, Model.objects.filter(pk=obj.pk)).exists()``, for every persona and object of a small
world; and a rule whose extra grant has no list filter is refused when declared."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from communities import policy
from communities.models import (
    Case, Meeting, MeetingKind, Person, Rota, RotaMember, Shift, ShiftAssignment, SwapOffer, Unit,
)
from communities.policy import Rule

from ..factories import CaseCategoryFactory, CaseFactory, UnitFactory

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(community, other_community, building, unit, let_unit, resident, tenant, landlord, committee_staff,
          party_secretary, outsider, town_secretary):
    UnitFactory(building=building, room="909")
    rota = Rota.objects.create(community=community, name="门岗", manager=landlord)
    RotaMember.objects.create(rota=rota, user=resident)
    Rota.objects.create(community=community, name="巡逻")
    Rota.objects.create(community=other_community, name="别处", manager=outsider)
    shift = Shift.objects.create(rota=rota, starts_at=START, ends_at=START + dt.timedelta(hours=2))
    mine = ShiftAssignment.objects.create(shift=shift, user=resident)
    ShiftAssignment.objects.create(shift=shift, user=landlord)
    SwapOffer.objects.create(assignment=mine, offered_by=resident)
    category = CaseCategoryFactory(community=community)
    CaseFactory(community=community, category=category, reporter=resident)
    CaseFactory(community=community, category=category, reporter=tenant, handler_user=landlord)
    Meeting.objects.create(community=community, kind=MeetingKind.choices[0][0], title="议事", organiser=landlord,
                           starts_at=START, ends_at=START + dt.timedelta(hours=1))
    return [resident, tenant, landlord, committee_staff, party_secretary, outsider, town_secretary]


MODELS = (Unit, Person, Case, Meeting, Rota, Shift, ShiftAssignment, SwapOffer)


def _models_of(rule):
    return () if callable(rule.extra_scope) else tuple(rule.extra_scope)


LISTED = sorted(action for action, rule in policy.RULES.items() if rule.extra_scope is not None)


@pytest.mark.parametrize("action", LISTED)
def test_can_and_scope_agree(world, action):
    rule = policy.RULES[action]
    checked = 0
    for model in _models_of(rule):
        if model not in MODELS:
            continue  # an app's model: its own tests' worlds
        for obj in model.objects.all():
            for user in world:
                try:
                    allowed = policy.can(user, action, obj)
                except TypeError:
                    break  # the rule's predicate does not take this model
                listed = policy.scope(user, action, model.objects.filter(pk=obj.pk)).exists()
                assert allowed == listed, (action, model.__name__, obj.pk, user.username)
                checked += 1
    assert checked or not set(_models_of(rule)) & set(MODELS)


def test_every_extra_grant_has_its_list_filter():
    for action, rule in policy.RULES.items():
        assert rule.extra is None or rule.extra_scope is not None, action


def test_a_rule_without_list_filter_is_refused_when_declared():
    with pytest.raises(ImproperlyConfigured):
        Rule(frozenset(), extra=lambda user, obj: True)


def test_community_of_follows_the_model_path(let_unit, building):
    assert policy.community_of(let_unit) == building.community_id
    assert policy.community_path(Unit) == "building__community"


def test_register_rules_refuses_a_missing_prefix_and_a_clash():
    from communities import extensions

    with pytest.raises(ImproperlyConfigured):
        extensions.register_rules("talents", {"class.enrol": Rule(frozenset())})
    with pytest.raises(ImproperlyConfigured):
        extensions.register_rules("talents", {"talents.x": Rule(frozenset()), "case.view": Rule(frozenset())})
    assert "talents.x" not in policy.RULES
    extensions.register_rules("talents", {"talents.class.enrol": Rule(frozenset())})
    assert "talents.class.enrol" in policy.RULES
    del policy.RULES["talents.class.enrol"]
