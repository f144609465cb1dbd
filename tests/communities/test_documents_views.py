"""The charter and covenant pages: who sees and does what (right role, wrong role 403, other
community 404), the acknowledge button, the paper form, and the staff reports' query counts."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import DocumentAcknowledgement, DocumentVersion, Role, Team
from communities.services import documents as svc
from tests.factories import BuildingFactory, TeamFactory, UnitFactory, make_member

from .documents_helpers import CHARTER, COVENANT, adopted, other_landlord_unit, tenant_of


@pytest.fixture
def foreign_staff(other_community):
    return make_member(other_community, Role.COMMITTEE_STAFF, username="staff_meilan", name="美兰居委")


@pytest.fixture
def foreign_landlord(other_community):
    return make_member(other_community, Role.SUBLANDLORD, username="landlord_meilan", name="美兰房东")


def page_url(name, *args, slug="rongting"):
    """A documents page about one community, in the one URL style (communities.picker)."""
    return reverse(f"landlords:{name}", args=args) + f"?community={slug}"


def current_url(kind, slug="rongting"):
    return page_url("document_current", kind, slug=slug)


@pytest.fixture
def covenant(community, committee_staff, landlord):
    return adopted(community, COVENANT, drafter=landlord, staff=committee_staff, body="第一条 不得群租\n第二条 垃圾分类")


@pytest.fixture
def charter(community, committee_staff):
    return adopted(community, CHARTER, drafter=committee_staff, staff=committee_staff)


# --- reading -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["resident", "tenant", "landlord", "committee_staff", "party_secretary"])
def test_every_member_reads_both_documents(client, request, covenant, charter, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(current_url(COVENANT))
    assert response.status_code == 200
    assert "第一条 不得群租<br>第二条 垃圾分类" in response.content.decode()
    assert client.get(current_url(CHARTER)).status_code == 200


def test_other_community_gets_404(client, outsider, covenant):
    client.force_login(outsider)
    assert client.get(current_url(COVENANT)).status_code == 404
    assert client.get(reverse("landlords:document_version", args=[covenant.pk])).status_code == 404


def test_unknown_kind_is_404(client, resident):
    client.force_login(resident)
    assert client.get(current_url("minutes")).status_code == 404


def test_drafts_are_hidden_from_tenants(client, community, landlord, tenant, covenant):
    draft = svc.document_draft(actor=landlord, community=community, kind=COVENANT, title="修订稿", body="草案正文")
    client.force_login(tenant)
    assert "草案正文" not in client.get(current_url(COVENANT)).content.decode()
    assert client.get(reverse("landlords:document_version", args=[draft.pk])).status_code == 403
    client.force_login(landlord)
    assert client.get(reverse("landlords:document_version", args=[draft.pk])).status_code == 200


def test_history_shows_the_superseded_version(client, community, committee_staff, landlord, tenant, covenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff, body="第一条 新版")
    client.force_login(tenant)
    page = client.get(current_url(COVENANT)).content.decode()
    assert "第一条 新版" in page and "已被新版本取代" in page
    old = client.get(reverse("landlords:document_version", args=[covenant.pk])).content.decode()
    assert "第一条 不得群租" in old and "历史版本" in old


# --- drafting and adopting -------------------------------------------------------------------------

def test_sublandlord_drafts_the_covenant_and_staff_approve(client, community, landlord, committee_staff, covenant):
    client.force_login(landlord)
    response = client.post(page_url("document_draft", COVENANT),
                           {"title": "租户公约（修订）", "body": "第一条 新"})
    draft = DocumentVersion.objects.get(status="draft")
    assert response.status_code == 302 and draft.number == 2
    adopt_url = reverse("landlords:document_adopt", args=[draft.pk])
    assert client.post(adopt_url).status_code == 403
    client.force_login(committee_staff)
    assert client.post(adopt_url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "adopted"
    response = client.post(adopt_url, follow=True)  # approving twice
    assert "无需重复" in response.content.decode()


@pytest.mark.parametrize("persona,kind", [("resident", CHARTER), ("tenant", COVENANT), ("tenant", CHARTER),
                                          ("party_secretary", COVENANT)])
def test_drafting_by_the_wrong_role_is_403(client, request, persona, kind):
    client.force_login(request.getfixturevalue(persona))
    url = page_url("document_draft", kind)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "body": "y"}).status_code == 403
    assert not DocumentVersion.objects.exists()


def test_drafting_in_another_community_is_404(client, community, outsider, foreign_landlord):
    for user in (outsider, foreign_landlord):
        client.force_login(user)
        assert client.get(page_url("document_draft", COVENANT)).status_code == 404


def test_staff_adopt_the_charter_with_its_date(client, community, committee_staff):
    client.force_login(committee_staff)
    client.post(page_url("document_draft", CHARTER), {"title": "章程", "body": "第一条"})
    version = DocumentVersion.objects.get()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("landlords:document_adopt", args=[version.pk]), {"adopted_on": future},
                           follow=True)
    assert "不能晚于今天" in response.content.decode()
    client.post(reverse("landlords:document_adopt", args=[version.pk]), {"adopted_on": "2025-01-15"})
    version.refresh_from_db()
    assert (version.status, version.adopted_on) == ("adopted", dt.date(2025, 1, 15))


def test_withdraw_view(client, community, landlord, tenant):
    draft = svc.document_draft(actor=landlord, community=community, kind=COVENANT, title="x", body="y")
    url = reverse("landlords:document_withdraw", args=[draft.pk])
    client.force_login(tenant)
    assert client.post(url).status_code == 403
    client.force_login(landlord)
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "withdrawn"


# --- acknowledging -----------------------------------------------------------------------------------

def test_tenant_acknowledges_and_is_asked_again_after_a_new_version(client, community, committee_staff, landlord,
                                                                     tenant, covenant):
    client.force_login(tenant)
    assert "我已阅读并遵守" in client.get(current_url(COVENANT)).content.decode()
    url = page_url("document_acknowledge", COVENANT)
    client.post(url)
    client.post(url)  # double click
    assert DocumentAcknowledgement.objects.filter(person=tenant.person).count() == 1
    assert "您已于" in client.get(current_url(COVENANT)).content.decode()
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    page = client.get(current_url(COVENANT)).content.decode()
    assert "请阅读后重新确认" in page and "我已阅读并遵守" in page


def test_tenant_acknowledging_the_charter_is_403(client, tenant, charter):
    client.force_login(tenant)
    assert "我已阅读并遵守" not in client.get(current_url(CHARTER)).content.decode()
    assert client.post(page_url("document_acknowledge", CHARTER)).status_code == 403
    assert not DocumentAcknowledgement.objects.exists()


def test_member_acknowledges_the_charter(client, landlord, charter):
    client.force_login(landlord)
    client.post(page_url("document_acknowledge", CHARTER))
    assert DocumentAcknowledgement.objects.get().person == landlord.person


def test_acknowledging_in_another_community_is_404(client, foreign_landlord, covenant):
    client.force_login(foreign_landlord)
    assert client.post(page_url("document_acknowledge", COVENANT)).status_code == 404


# --- paper signatures -----------------------------------------------------------------------------

def test_paper_form_lists_only_own_tenants(client, community, building, landlord, tenant, covenant):
    _, their_unit = other_landlord_unit(building, community)
    theirs = tenant_of(their_unit, name="别家租客")
    client.force_login(landlord)
    url = page_url("covenant_paper")
    page = client.get(url).content.decode()
    assert tenant.person.name in page and "别家租客" not in page
    response = client.post(url, {"tenant": theirs.pk, "signed_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and not DocumentAcknowledgement.objects.exists()
    response = client.post(url, {"tenant": tenant.person.pk, "signed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert DocumentAcknowledgement.objects.get().method == "paper"


def test_paper_form_refuses_a_future_date(client, landlord, tenant, covenant):
    client.force_login(landlord)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(page_url("covenant_paper"),
                           {"tenant": tenant.person.pk, "signed_on": tomorrow})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()


@pytest.mark.parametrize("persona,status", [("tenant", 403), ("committee_staff", 403),
                                            ("foreign_landlord", 404)])
def test_paper_form_for_others(client, request, covenant, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url("covenant_paper")).status_code == status


# --- reports ---------------------------------------------------------------------------------------

def populate(community, landlord, covenant, *, buildings, per_building):
    """Tenants in several buildings: one acknowledged in the app, one on paper, the rest not yet."""
    for b in range(buildings):
        building = BuildingFactory(community=community, name=f"{20 + b}号楼")
        unit = UnitFactory(building=building, is_let=True, sublandlord=landlord.person, capacity=9)
        people = [tenant_of(unit, name=f"租客{b}-{i}") for i in range(per_building)]
        DocumentAcknowledgement.objects.create(version=covenant, person=people[0], method="app",
                                               signed_on=covenant.adopted_on)
        DocumentAcknowledgement.objects.create(version=covenant, person=people[1], method="paper",
                                               signed_on=covenant.adopted_on)


def test_covenant_report_counts_per_building(client, community, committee_staff, landlord, tenant, covenant):
    populate(community, landlord, covenant, buildings=2, per_building=4)
    client.force_login(committee_staff)
    response = client.get(page_url("covenant_report"))
    rows = {r.building.name: (r.tenants, r.in_app, r.on_paper, r.missing) for r in response.context["rows"]}
    assert rows == {"1号楼": (1, 0, 0, 1), "20号楼": (4, 1, 1, 2), "21号楼": (4, 1, 1, 2)}
    assert response.context["totals"] == {"tenants": 9, "in_app": 2, "on_paper": 2, "missing": 5}


def test_old_acknowledgements_count_as_missing(client, community, committee_staff, landlord, tenant, covenant):
    svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    client.force_login(committee_staff)
    response = client.get(page_url("covenant_report"))
    assert response.context["totals"]["missing"] == 1


@pytest.mark.parametrize("size", [1, 6])
def test_covenant_reports_run_a_constant_number_of_queries(client, community, committee_staff, landlord,
                                                           covenant, django_assert_max_num_queries, size):
    populate(community, landlord, covenant, buildings=size, per_building=size + 2)
    client.force_login(committee_staff)
    with django_assert_max_num_queries(9):
        assert client.get(page_url("covenant_report")).status_code == 200
    building = community.buildings.get(name="20号楼")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("landlords:covenant_report_building", args=[building.pk]))
    page = response.content.decode()
    assert "租客0-0" in page and "139" in page and "****" in page  # phones masked


def test_building_drill_down_masks_phones(client, community, committee_staff, tenant, covenant):
    client.force_login(committee_staff)
    response = client.get(reverse("landlords:covenant_report_building", args=[tenant.person.residencies.get().unit
                                                                             .building_id]))
    assert tenant.person.masked_phone in response.content.decode()
    assert tenant.person.phone not in response.content.decode()


@pytest.mark.parametrize("persona,status", [("landlord", 403), ("tenant", 403), ("resident", 403),
                                            ("party_secretary", 200), ("foreign_staff", 404)])
def test_reports_are_for_leaders(client, request, community, building, covenant, charter, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url("covenant_report")).status_code == status
    assert client.get(reverse("landlords:covenant_report_building", args=[building.pk])).status_code == status
    assert client.get(page_url("charter_report")).status_code == status


@pytest.mark.parametrize("size", [2, 12])
def test_charter_report_lists_members(client, community, building, committee_staff, landlord, charter,
                                      django_assert_max_num_queries, size):
    TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)  # its members: the sublandlords
    members = [make_member(community, Role.SUBLANDLORD, username=f"ll{i}", name=f"房东{i}") for i in range(size)]
    UnitFactory(building=building, is_let=True, sublandlord=members[0].person)  # units and role: listed once
    svc.document_acknowledge(actor=landlord, community=community, kind=CHARTER)
    client.force_login(committee_staff)
    with django_assert_max_num_queries(8):
        response = client.get(page_url("charter_report"))
    assert len(response.context["members"]) == size + 1
    assert (response.context["done"], response.context["missing"]) == (1, size)


@pytest.mark.parametrize("persona,paper,report", [("landlord", True, False), ("committee_staff", False, True),
                                                  ("tenant", False, False)])
def test_hub_fragment_shows_the_links_the_user_may_follow(rf, request, community, persona, paper, report):
    from django.template.loader import render_to_string
    req = rf.get("/")
    req.user = request.getfixturevalue(persona)
    html = render_to_string("landlords/fragments/hub_documents.html", {"community": community}, request=req)
    assert current_url(CHARTER) in html and current_url(COVENANT) in html
    assert (page_url("covenant_paper") in html) is paper
    assert (page_url("covenant_report") in html) is report
