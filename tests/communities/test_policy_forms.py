"""The policy's two forms agree: for every rule with a list filter, ``can(user, action, obj)`` is exactly
``scope(user, action, Model.objects.filter(pk=obj.pk)).exists()``, for every persona and object of a small
world; and a rule whose extra grant has no list filter is refused when declared.

The core's rules are checked here; an app's rules (``landlords.*``) in the app's twin
(tests/landlords/test_policy_forms.py). A rule whose list filter is a bare callable does not say which models
it filters: CALLABLE_MODELS says it, and a rule missing from it fails (no rule skips the check silently)."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from communities import policy
from communities.models import (
    Backbone, Case, CommunityNeed, DocumentVersion, Election, ElectionVoter, Meeting, MeetingKind, NeedStatus,
    PendingPhoto, Person, Room, RoomBooking, Rota, RotaMember, Shift, ShiftAssignment, SwapOffer, Team, Unit,
    VolunteerCertificate, VolunteerHours,
)
from communities.models.meetings import MeetingSeries
from communities.policy import Rule

from ..factories import CaseCategoryFactory, CaseFactory, UnitFactory, team_join
from ..policy_forms import assert_can_and_scope_agree

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(community, other_community, building, unit, let_unit, resident, tenant, landlord, committee_staff,
          party_secretary, outsider, town_secretary, town_staff):
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
    # An open case at a building's public parts: what any member may follow (case.follow).
    CaseFactory(community=community, category=category, reporter=landlord, building=building)
    # A photo kept from a filing form that came back with an error: its uploader's only (case.pending_photo).
    PendingPhoto.objects.create(community=community, uploaded_by=resident, token="t" * 43, image="pending/x.jpg",
                                expires_at=START + dt.timedelta(days=1))
    Meeting.objects.create(community=community, kind=MeetingKind.choices[0][0], title="议事", organiser=landlord,
                           starts_at=START, ends_at=START + dt.timedelta(hours=1))
    MeetingSeries.objects.create(community=community, title="每月议事", kind=MeetingKind.choices[0][0],
                                 rrule="FREQ=MONTHLY", first_starts_at=START, venue="活动室", organiser=landlord)
    MeetingSeries.objects.create(community=community, title="党员大会", kind=MeetingKind.choices[0][0],
                                 rrule="FREQ=MONTHLY", first_starts_at=START, venue="活动室",
                                 organiser=party_secretary)
    MeetingSeries.objects.create(community=other_community, title="别处议事", kind=MeetingKind.choices[0][0],
                                 rrule="FREQ=MONTHLY", first_starts_at=START, venue="别处", organiser=outsider)
    # Needs: one open, one claimed by the landlord, one claimed for a team the tenant is in, one elsewhere.
    CommunityNeed.objects.create(community=community, title="开放的", posted_by=committee_staff)
    CommunityNeed.objects.create(community=community, title="房东认领", posted_by=committee_staff,
                                 status=NeedStatus.CLAIMED, claimed_by=landlord, claimed_at=START)
    squad = Team.objects.create(community=community, name="志愿队", kind=Team.Kind.SQUAD)
    team_join(squad, tenant)
    CommunityNeed.objects.create(community=community, title="队伍认领", posted_by=committee_staff,
                                 status=NeedStatus.CLAIMED, claimed_by=committee_staff, team=squad, claimed_at=START)
    CommunityNeed.objects.create(community=other_community, title="别处", posted_by=outsider,
                                 status=NeedStatus.CLAIMED, claimed_by=outsider, claimed_at=START)
    # Documents: a draft by the landlord, an adopted one, a draft elsewhere.
    DocumentVersion.objects.create(community=community, kind="test", number=2, title="草案", body="……",
                                   drafted_by=landlord)
    DocumentVersion.objects.create(community=community, kind="test", number=1, title="现行", body="……",
                                   status=DocumentVersion.Status.ADOPTED, drafted_by=committee_staff,
                                   adopted_on=START.date(), approved_by=committee_staff, approved_at=START)
    DocumentVersion.objects.create(community=other_community, kind="test", number=1, title="别处", body="……",
                                   drafted_by=outsider)
    # Elections: the resident and the landlord on the roll of one, nobody on another, the outsider elsewhere.
    rolled = Election.objects.create(community=community, title="骨干选举", created_by=committee_staff)
    ElectionVoter.objects.create(election=rolled, user=resident)
    ElectionVoter.objects.create(election=rolled, user=landlord)
    Election.objects.create(community=community, title="无名册", created_by=committee_staff)
    elsewhere = Election.objects.create(community=other_community, title="别处", created_by=outsider)
    ElectionVoter.objects.create(election=elsewhere, user=outsider)
    # Rooms: a booking by the landlord (room.booking.cancel: staff and the booker), one elsewhere.
    hall = Room.objects.create(community=community, name="多功能厅", capacity=60)
    RoomBooking.objects.create(room=hall, starts_at=START, ends_at=START + dt.timedelta(hours=1), title="议事",
                               booked_by=landlord)
    RoomBooking.objects.create(room=Room.objects.create(community=other_community, name="别处", capacity=9),
                               starts_at=START, ends_at=START + dt.timedelta(hours=1), title="别处", booked_by=outsider)
    # Volunteer hours: the tenant leads the squad, so confirms its entries (hours.confirm); certificates are the
    # volunteer's own (hours.certificate).
    Backbone.objects.create(team=squad, user=tenant, office=Backbone.Office.BACKBONE, term_start=START.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=committee_staff)
    for team in (squad, None):
        VolunteerHours.objects.create(volunteer=resident, community=community, team=team, activity="巡查",
                                      starts_at=START, ends_at=START + dt.timedelta(hours=1), minutes=60,
                                      source_kind="manual", entered_by=committee_staff)
    VolunteerCertificate.objects.create(
        community=community, volunteer=resident, volunteer_name="居民", period_from=START.date(),
        period_to=START.date(), total_minutes=60, content="巡查", issuer_name="居委会", person_in_charge="主任",
        handler=committee_staff, handler_name="干部", contact_phone="021-5555 0101", notice_starts_on=START.date())
    return [resident, tenant, landlord, committee_staff, party_secretary, outsider, town_secretary, town_staff]


MODELS = (Unit, Person, Case, Meeting, MeetingSeries, Rota, Shift, ShiftAssignment, SwapOffer, CommunityNeed,
          DocumentVersion, Election, PendingPhoto, RoomBooking, VolunteerHours, VolunteerCertificate)

# The models a bare-callable list filter applies to (its rule does not say).
CALLABLE_MODELS = {
    "need.deliver": (CommunityNeed,),
    "need.photo": (CommunityNeed,),
    "need.claim": (CommunityNeed,),
}

# The apps whose rules their own twin checks (tests/<app>/test_policy_forms.py).
APPS_WITH_TWIN = ("landlords.", "talents.", "propertyservice.")


def _models_of(action, rule):
    if callable(rule.extra_scope):
        return CALLABLE_MODELS[action]
    return tuple(rule.extra_scope)


LISTED = sorted(action for action, rule in policy.RULES.items()
                if rule.extra_scope is not None and not action.startswith(APPS_WITH_TWIN))


def test_every_listed_rule_is_checked_here_or_in_its_app():
    """A rule with a list filter is either the core's (checked here, its models known and in the world) or an
    app's with its own twin; a new callable filter not in CALLABLE_MODELS fails here."""
    for action, rule in policy.RULES.items():
        if rule.extra_scope is None:
            continue
        prefix = action.split(".", 1)[0] + "."
        assert action in LISTED or prefix in APPS_WITH_TWIN, action
        if action in LISTED:
            assert not callable(rule.extra_scope) or action in CALLABLE_MODELS, f"{action}: add to CALLABLE_MODELS"
            assert set(_models_of(action, rule)) <= set(MODELS), action


@pytest.mark.parametrize("action", LISTED)
def test_can_and_scope_agree(world, action):
    assert_can_and_scope_agree(action=action, models=_models_of(action, policy.RULES[action]), world=world)


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
    extensions.register_rules("talents", {"talents.made_up.enrol": Rule(frozenset())})
    assert "talents.made_up.enrol" in policy.RULES
    del policy.RULES["talents.made_up.enrol"]
