"""The rentals demo on top of the core demo (one seeded module: seeding is slow)."""
from landlords.models import RentalDeclaration, TenantRegistration
from landlords.selectors.rentals import units_flagged
from landlords.services.demo_rentals import demo_rentals_seed

from communities.models import Community, Residency

from ..communities.demo_seeded import seed_output, seeded  # noqa: F401


def test_demo_registers_every_tenant_once(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        report = demo_rentals_seed()
    assert report == {"declarations": 1387, "registrations": 2838, "over_capacity": 12}
    assert RentalDeclaration.objects.count() == 1387
    tenants = Residency.objects.filter(unit__building__community__slug="rongting", relation="tenant",
                                       moved_out__isnull=True)
    assert TenantRegistration.objects.count() == tenants.count() == 2838
    late = TenantRegistration.objects.filter(is_late=True).count()
    assert 200 <= late <= 400  # about one in ten
    assert not TenantRegistration.objects.filter(registered_by__username="outsider").exists()
    assert TenantRegistration.objects.filter(registered_by__username="landlord").exists()
    assert units_flagged(community=Community.objects.get(slug="rongting")).count() == 12
    assert demo_rentals_seed() == {"declarations": 0, "registrations": 0, "over_capacity": 12}
