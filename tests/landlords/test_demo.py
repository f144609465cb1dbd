"""蓉庭's demo on top of the core demo: seed_demo runs the landlords app's seeders (communities.extensions),
so what they created the first time is in its output; each is then run again and must create nothing.
One module, so that the slow core seed runs once."""
import re

from django.urls import reverse

from communities.models import (
    Backbone, Building, Case, Community, CommunityNeed, CommunityTitle, DocumentAcknowledgement, DocumentVersion,
    Election, ElectionVoter, NeedStatus, Residency, User,
)
from communities.selectors.documents import document_current
from landlords.models import (
    Announcement, Channel, MediationRecord, RentalDeclaration, TenantRegistration,
)
from landlords.selectors.channels import unread_count
from landlords.selectors.documents import covenant_by_building
from landlords.selectors.mediation import mediation_counts
from landlords.selectors.rentals import units_flagged
from landlords.demo.documents import demo_documents_seed
from landlords.demo.mediation import DISPUTES, demo_mediation_seed
from landlords.demo.needs import demo_needs_seed
from landlords.demo.rentals import demo_rentals_seed
from landlords.demo.team import OPEN_TITLE, PAST_TITLE, demo_team_seed
from tests.communities.demo_seeded import seed_output, seeded  # noqa: F401 - fixtures
from tests.landlords.admin_read_only import READ_ONLY


def test_demo_team_seed(seeded):
    assert "蓉治社 team and elections: members 80, past_election 1, open_election 1, officers 8." in seeded
    past = Election.objects.get(title=PAST_TITLE)
    assert past.status == Election.Status.PUBLISHED and past.tally["voted"] > 0
    offices = sorted(Backbone.objects.filter(election=past, term_end__isnull=True).values_list("office", flat=True))
    assert offices == ["backbone"] * 5 + ["president"] + ["vice_president"] * 2
    open_one = Election.objects.get(title=OPEN_TITLE)
    landlord = User.objects.get(username="landlord")
    assert open_one.status == Election.Status.OPEN
    assert ElectionVoter.objects.get(election=open_one, user=landlord).has_voted is False
    again = demo_team_seed()
    assert again == {"members": 80, "past_election": 0, "open_election": 0, "officers": 8}
    assert Election.objects.filter(title__in=[PAST_TITLE, OPEN_TITLE]).count() == 2


def test_demo_registers_every_tenant_once(seeded, django_assert_max_num_queries):
    assert "rentals and tenant registrations: declarations 1387, registrations 2838, over_capacity 12." in seeded
    with django_assert_max_num_queries(20):
        assert demo_rentals_seed() == {"declarations": 0, "registrations": 0, "over_capacity": 12}
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


def test_demo_documents(seeded, client):
    assert "charter and covenant: versions_created 3, acknowledgements_created" in seeded
    again = demo_documents_seed()
    assert again == {"versions_created": 0, "acknowledgements_created": 0}
    versions = {(v.kind, v.number): v.status for v in DocumentVersion.objects.filter(community__slug="rongting")}
    assert versions == {("charter", 1): "adopted", ("covenant", 1): "adopted", ("covenant", 2): "draft"}

    covenant = document_current(community=DocumentVersion.objects.filter(community__slug="rongting").first().community,
                                kind="covenant")
    rows = covenant_by_building(community=covenant.community, version=covenant)
    tenants = sum(r.tenants for r in rows)
    in_app, on_paper = sum(r.in_app for r in rows), sum(r.on_paper for r in rows)
    assert tenants >= 2838 and 0.6 < (in_app + on_paper) / tenants < 0.8 and on_paper > 500
    charter_acks = DocumentAcknowledgement.objects.filter(version__kind="charter").count()
    assert 65 <= charter_acks < 80

    client.force_login(User.objects.get(username="tenant"))
    page = client.get(reverse("landlords:document_current", args=["covenant"]) + "?community=rongting").content.decode()
    assert "我已阅读并遵守" in page and "禁止飞线充电" not in page and "严禁飞线充电" in page
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("landlords:document_current", args=["covenant"]) + "?community=rongting").content.decode()
    assert "第2版草案" in page


def test_demo_mediation_seed(seeded):
    made = {key: int(n) for key, n in re.findall(r"(\w+) (\d+)", seeded.split("mediation room and channels:")[1]
                                                                            .splitlines()[0])}
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


def test_demo_needs_seed(seeded, client):
    assert "needs list and titles: needs 10, titles 2." in seeded
    benches = CommunityNeed.objects.filter(title__startswith="爱心座椅", status=NeedStatus.CONFIRMED)
    assert benches.count() == 6
    assert {b.claimed_by.username for b in benches} == {"landlord", "landlord2", "landlord3", "landlord4",
                                                        "landlord5", "landlord6"}
    rongting = CommunityNeed.objects.filter(community__slug="rongting")  # 郡园's squads claim needs of their own
    assert rongting.filter(status=NeedStatus.OPEN).count() == 2
    assert rongting.filter(status=NeedStatus.CLAIMED).count() == 2
    for need in CommunityNeed.objects.all():
        assert need.events.last().to_status == need.status
    landlord = User.objects.get(username="landlord")
    assert CommunityTitle.objects.filter(person__user=landlord, kind="supervisor", revoked_at=None).exists()
    assert demo_needs_seed() == {"needs": 0, "titles": 0}

    client.force_login(User.objects.get(username="resident"))
    page = client.get(reverse("communities:need_list")).content.decode()
    board = page[page.index("谁捐了什么"):]
    assert board.count("爱心座椅") == 6 and landlord.display_name() in board and "社区监督员" in board
    client.force_login(landlord)
    assert "社区监督员" in client.get(reverse("accounts:profile")).content.decode()


def test_admin_lists_the_demo_records(seeded, client):
    client.force_login(User.objects.create(username="root", is_staff=True, is_superuser=True))
    for model in READ_ONLY:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200 and model.objects.exists(), model.__name__
    # Tenant names and phones stay out of the admin's registration list.
    page = client.get(reverse("admin:landlords_tenantregistration_changelist")).content.decode()
    tenant = TenantRegistration.objects.select_related("residency__person").first().residency.person
    assert tenant.phone not in page
