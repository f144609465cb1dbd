"""The landlords app's twin of tests/communities/test_policy_forms.py: for every ``landlords.*`` rule with a list
filter, ``can(user, action, obj)`` is exactly ``scope(user, action, Model.objects.filter(pk=obj.pk)).exists()``,
for every persona and object of a world of 蓉庭 objects (channels and announcements, mediation shifts and records,
tenant registrations, let units, charter versions).

A rule whose list filter is a bare callable does not say which models it filters: CALLABLE_MODELS says it, and a
rule missing from it fails (no rule skips the check silently)."""
import datetime as dt

import pytest

from communities import policy
from communities.models import DocumentVersion, Shift, Team, Unit
from landlords.documents import DocumentKind
from landlords.models import Announcement, Channel, MediationRecord, TenantRegistration
from landlords.services.channels import announcement_post, channels_ensure
from landlords.services.rentals import tenant_move_out

from ..communities.documents_helpers import make_officer
from ..factories import BuildingFactory, UnitFactory
from ..policy_forms import assert_can_and_scope_agree
from .mediation_world import (  # noqa: F401
    building2, landlord2, landlord2_let, make_shift, moved_out_tenant, other_staff, room,
)
from .rentals_helpers import clock, register  # noqa: F401

START = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(clock, community, other_community, building, building2, unit, let_unit, landlord2_let, room, resident,
          tenant, landlord, landlord2, committee_staff, party_secretary, outsider, other_staff, moved_out_tenant,
          town_secretary, town_staff):
    # Units: a let one each (fixtures), one not let, one the landlord lets in a community they are not in.
    UnitFactory(building=building, room="808")
    UnitFactory(building=BuildingFactory(community=other_community, name="别处楼"), room="101", is_let=True,
                sublandlord=landlord.person)
    # Channels: the team's (the landlord is an officer) and one per building; the other community's too.
    Team.objects.create(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    make_officer(community, landlord)
    channels_ensure(community=community)
    channels_ensure(community=other_community)
    announcement_post(actor=landlord, channel=Channel.objects.get(building=building), title="停水", body="周三停水。",
                      now=START)
    announcement_post(actor=committee_staff, channel=Channel.objects.get(community=community, kind=Channel.Kind.TEAM),
                      title="例会", body="周五例会。", now=START)
    announcement_post(actor=other_staff, channel=Channel.objects.filter(building__community=other_community).first(),
                      title="别处", body="别处的公告。", now=START)
    # Mediation: a landlord's shift with their record, landlord2's with theirs, a staff record on the first.
    mine = make_shift(room, starts_at=START, users=[landlord])
    theirs = make_shift(room, starts_at=START + dt.timedelta(days=1), users=[landlord2])
    make_shift(room, starts_at=START + dt.timedelta(days=2))
    for shift, by in ((mine, landlord), (theirs, landlord2), (mine, committee_staff)):
        MediationRecord.objects.create(community=community, shift=shift, recorded_by=by, parties="301 vs 302",
                                       issue="噪音", outcome=MediationRecord.Outcome.SETTLED, recorded_at=START)
    # Registrations: the tenant's own (by the landlord); two by landlord2, one moved out, whose unit the landlord
    # lets now.
    register(landlord, let_unit, name=tenant.person.name, phone=tenant.person.phone)
    register(landlord2, landlord2_let, name="甲")
    gone, _ = register(landlord2, landlord2_let, name="乙")
    tenant_move_out(actor=landlord2, registration_id=gone.pk, moved_out=gone.moved_in)
    Unit.objects.filter(pk=landlord2_let.pk).update(sublandlord=landlord.person)
    # The charter: a draft by the landlord (an officer), an adopted version, a draft elsewhere.
    DocumentVersion.objects.create(community=community, kind=DocumentKind.CHARTER, number=2, title="章程草案",
                                   body="……", drafted_by=landlord)
    DocumentVersion.objects.create(community=community, kind=DocumentKind.CHARTER, number=1, title="章程",
                                   body="……", status=DocumentVersion.Status.ADOPTED, drafted_by=committee_staff,
                                   adopted_on=START.date(), approved_by=committee_staff, approved_at=START)
    DocumentVersion.objects.create(community=other_community, kind=DocumentKind.CHARTER, number=1, title="别处",
                                   body="……", drafted_by=other_staff)
    return [resident, tenant, landlord, landlord2, committee_staff, party_secretary, outsider, other_staff,
            moved_out_tenant, town_secretary, town_staff]


MODELS = (Unit, Shift, DocumentVersion, Channel, Announcement, MediationRecord, TenantRegistration)

# The models a bare-callable list filter applies to (its rule does not say).
CALLABLE_MODELS = {
    "landlords.mediation.view": (MediationRecord,),
    "landlords.rental.manage": (Unit,),
    "landlords.tenant_registration.view": (TenantRegistration,),
}


def _models_of(action, rule):
    if callable(rule.extra_scope):
        return CALLABLE_MODELS[action]
    return tuple(rule.extra_scope)


LISTED = sorted(action for action, rule in policy.RULES.items()
                if action.startswith("landlords.") and rule.extra_scope is not None)


def test_every_listed_rule_names_its_models():
    """A new callable list filter not in CALLABLE_MODELS, or a model the world lacks, fails here."""
    assert LISTED
    for action in LISTED:
        rule = policy.RULES[action]
        assert not callable(rule.extra_scope) or action in CALLABLE_MODELS, f"{action}: add to CALLABLE_MODELS"
        assert set(_models_of(action, rule)) <= set(MODELS), action
    assert set(CALLABLE_MODELS) <= set(LISTED)


@pytest.mark.parametrize("action", LISTED)
def test_can_and_scope_agree(world, action):
    assert_can_and_scope_agree(action=action, models=_models_of(action, policy.RULES[action]), world=world)
