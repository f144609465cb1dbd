"""The rota actions of communities.policy: who sees, manages and acts on which rota, shift and swap."""
from communities import policy
from communities.models import Rota, ShiftAssignment, SwapOffer

from .rota_helpers import MONDAY, generate, make_rota, members


def test_rota_view_scope(community, other_community, committee_staff, party_secretary, landlord, resident, outsider,
                         town_staff):
    on_duty = members(community, 2)
    mine = make_rota(community, on_duty, name="调解室", manager=landlord)
    other = make_rota(community, [], name="巡逻")
    elsewhere = make_rota(other_community, [], name="别处")

    def visible(user):
        return set(policy.scope(user, "rota.view", Rota.objects.all()).values_list("name", flat=True))

    assert visible(committee_staff) == visible(party_secretary) == {mine.name, other.name}
    assert visible(on_duty[0]) == visible(landlord) == {mine.name}
    assert visible(resident) == set() and visible(outsider) == set()
    assert visible(town_staff) == {mine.name, other.name, elsewhere.name}


def test_manage_check_in_and_take(community, committee_staff, landlord, resident):
    on_duty = members(community, 3)
    rota = make_rota(community, on_duty, manager=landlord)
    generate(rota, days=3)
    assignment = ShiftAssignment.objects.select_related("shift__rota").filter(user=on_duty[0]).first()
    offer = SwapOffer.objects.create(assignment=assignment, offered_by=on_duty[0], created_at=MONDAY)
    assert policy.can(landlord, "rota.manage", rota) and policy.can(committee_staff, "rota.manage", rota)
    assert not policy.can(on_duty[0], "rota.manage", rota)
    assert policy.can(on_duty[0], "shift.check_in", assignment)
    assert not policy.can(on_duty[1], "shift.check_in", assignment)
    assert not policy.can(committee_staff, "shift.check_in", assignment)  # staff manage, they do not check in
    assert policy.can(on_duty[1], "swap.take", offer) and not policy.can(resident, "swap.take", offer)
    assert policy.can(committee_staff, "rota.create") and not policy.can(landlord, "rota.create")
