"""The documents demo on top of the core demo: the charter, the covenant v1 and a v2 draft, and
acknowledgements from most sublandlords and a share of the 2,838 tenants. Run twice, nothing doubles."""
from django.urls import reverse

from communities.models import User
from landlords.models import DocumentAcknowledgement, DocumentVersion
from landlords.selectors.documents import covenant_by_building, document_current
from landlords.services.demo_documents import demo_documents_seed
from tests.communities.demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_demo_documents(seeded, client):
    first = demo_documents_seed()
    again = demo_documents_seed()
    assert first["versions_created"] == 3 and again == {"versions_created": 0, "acknowledgements_created": 0}
    versions = {(v.kind, v.number): v.status for v in DocumentVersion.objects.filter(community__slug="rongting")}
    assert versions == {("charter", 1): "adopted", ("covenant", 1): "adopted", ("covenant", 2): "draft"}

    covenant = document_current(community=DocumentVersion.objects.first().community, kind="covenant")
    rows = covenant_by_building(community=covenant.community, version=covenant)
    tenants = sum(r.tenants for r in rows)
    in_app, on_paper = sum(r.in_app for r in rows), sum(r.on_paper for r in rows)
    assert tenants >= 2838 and 0.6 < (in_app + on_paper) / tenants < 0.8 and on_paper > 500
    charter_acks = DocumentAcknowledgement.objects.filter(version__kind="charter").count()
    assert 65 <= charter_acks < 80

    client.force_login(User.objects.get(username="tenant"))
    page = client.get(reverse("landlords:document_current", args=["rongting", "covenant"])).content.decode()
    assert "我已阅读并遵守" in page and "禁止飞线充电" not in page and "严禁飞线充电" in page
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("landlords:document_current", args=["rongting", "covenant"])).content.decode()
    assert "第2版草案" in page
