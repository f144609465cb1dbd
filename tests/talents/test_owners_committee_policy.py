"""The twin of tests/communities/test_policy_forms.py for the committee area's rule with an extra grant
(``talents.committee.decide``): ``can`` and ``scope`` agree for every persona and object, including a member of
a recalled term, a backbone of another team and another estate's committee."""
import datetime as dt

import pytest

from communities import policy
from communities.models import Backbone, Community, Team
from talents.models import CommitteeDecision, CommitteeRecall, CommitteeTerm
from talents.services import owners_committee as svc
from talents.services.committee_terms import committee_term_start

from ..factories import make_member
from ..policy_forms import assert_can_and_scope_agree
from .owners_world import NOW, community, estate, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
O = Backbone.Office
D = dt.date


@pytest.fixture
def world(estate, other_estate, owners, staff, tenant, outsider):
    from communities.models import Role

    members = [(owners["a"], O.DIRECTOR), (owners["b"], O.DEPUTY_DIRECTOR), (owners["d"], O.COMMITTEE_MEMBER)]
    old = committee_term_start(actor=staff, community=estate.community, members=[
        (owners["e"], O.DIRECTOR), (owners["g"], O.COMMITTEE_MEMBER), (owners["h"], O.COMMITTEE_MEMBER)],
        started_on=D(2019, 1, 1), ends_on=D(2024, 1, 1))
    svc.committee_recall_record(actor=staff, term=old, decided_on=D(2022, 6, 1),
                                grounds=CommitteeRecall.Grounds.BROKE_PLEDGE, result_text="通过", now=NOW)
    committee_term_start(actor=staff, community=estate.community, members=members, started_on=D(2025, 1, 18),
                         ends_on=D(2030, 1, 17))
    svc.committee_decision_record(actor=owners["a"], community=estate.community, title="决定", text="内容",
                                  decided_on=D(2026, 3, 1), now=NOW)
    other_staff = make_member(other_estate.community, Role.COMMITTEE_STAFF, username="other_staff")
    committee_term_start(actor=other_staff, community=other_estate.community, members=[
        (outsider, O.DIRECTOR), (make_member(other_estate.community, Role.RESIDENT, username="o2"), O.COMMITTEE_MEMBER),
        (make_member(other_estate.community, Role.RESIDENT, username="o3"), O.COMMITTEE_MEMBER)],
        started_on=D(2025, 1, 1), ends_on=D(2030, 1, 1))
    squad = Team.objects.create(community=estate.community, kind=Team.Kind.SQUAD, name="小分队")
    Backbone.objects.create(team=squad, user=tenant, office=O.BACKBONE, term_start=D(2025, 1, 1),
                            source=Backbone.Source.APPOINTED, appointed_by=staff)
    return [*owners.values(), staff, tenant, outsider, other_staff]


def test_can_and_scope_agree(world):
    assert set(policy.RULES["talents.committee.decide"].extra_scope) == {Community, CommitteeTerm, CommitteeDecision}
    assert_can_and_scope_agree(action="talents.committee.decide", world=world,
                               models=(Community, CommitteeTerm, CommitteeDecision))
