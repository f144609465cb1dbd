"""The mediation demo on top of the core demo: a month of records, the channels, unread ones for `landlord`."""
from communities.models import Building, Case, Community, User
from landlords.models import Announcement, Channel, MediationRecord
from landlords.selectors.channels import unread_count
from landlords.selectors.mediation import mediation_counts
from landlords.services.demo_mediation import DISPUTES, demo_mediation_seed

from ..communities.demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_demo_mediation_seed(seeded):
    made = demo_mediation_seed()
    rongting = Community.objects.get(slug="rongting")
    records = MediationRecord.objects.filter(community=rongting)
    assert made["mediation_records"] == records.count() == len(DISPUTES)
    assert set(records.values_list("outcome", flat=True)) == set(MediationRecord.Outcome.values)
    assert Case.objects.filter(mediation_record__isnull=False, category__code="tenant_dispute").count() == 3
    assert all(r.shift.starts_at <= r.recorded_at <= r.shift.ends_at for r in records.select_related("shift"))
    assert Channel.objects.filter(community=rongting, kind=Channel.Kind.BUILDING).count() == \
        Building.objects.filter(community=rongting).count()
    assert Announcement.objects.filter(channel__community=rongting).count() == made["announcements"] >= 3
    assert unread_count(User.objects.get(username="landlord")) >= 2
    first = records.order_by("recorded_at").first().recorded_at
    assert mediation_counts(community=rongting, month=first.date())["total"] >= 1
    assert demo_mediation_seed() == {"mediation_records": 0, "channels": 0, "announcements": 0}
