"""Repair projects' pages (issue 15, the repairs area): the list, the project page (tenants read it, another estate
gets 404), the staff's step forms (a wrong role 403, bad input 400 with nothing written, a double post harmless),
the red "已超过7日", the panel on the reporter's case page and the hub card."""
import pytest

from communities.models import CaseCategory
from communities.services.cases import case_file
from talents.models import RepairEvent, RepairProject

from .owners_world import (NOW, at, community, estate, frozen, other_estate, outsider, owners, staff,  # noqa: F401
                           staff2, tenant)
from .repairs_world import certified, jpeg, new_project, plan

pytestmark = pytest.mark.django_db
S = RepairProject.Status


def _url(project, step=""):
    return f"/talents/owners/repairs/{project.pk}/" + (f"step/{step}/" if step else "")


def test_tenant_and_owner_read_the_project_and_another_estate_gets_404(client, estate, owners, tenant, staff, outsider,
                                                                       frozen):
    project = new_project(estate, staff)
    plan(project, staff, estate)
    for user in (tenant, owners["a"]):
        client.force_login(user)
        page = client.get(_url(project))
        assert page.status_code == 200
        body = page.content.decode()
        assert "钱从哪里来" in body and "4000.00" in body and "下一步" not in body
    client.force_login(outsider)
    assert client.get(_url(project)).status_code == 404
    assert client.get(f"/talents/owners/repairs/?community={estate.community.slug}").status_code == 404


def test_tenants_see_the_project_but_not_the_vote(client, estate, owners, tenant, staff, frozen):
    from talents.services import owners_repairs as svc

    project = new_project(estate, staff)
    plan(project, staff, estate)
    svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(5, 9), now=at(0, 9))
    client.force_login(tenant)
    body = client.get(_url(project)).content.decode()
    assert "表决详情只向业主公开" in body and "/talents/owners/assembly/" not in body
    client.force_login(owners["a"])
    assert "/talents/owners/assembly/" in client.get(_url(project)).content.decode()


def test_the_list_puts_open_and_emergency_projects_first_in_constant_queries(client, estate, staff, frozen,
                                                                            django_assert_num_queries):
    client.force_login(staff)
    new_project(estate, staff, title="A")
    client.get(f"/talents/owners/repairs/?community={estate.community.slug}")  # warm the per-request caches
    with django_assert_num_queries(_count(client, estate)):
        client.get(f"/talents/owners/repairs/?community={estate.community.slug}")
    for i in range(5):
        new_project(estate, staff, title=f"B{i}")
    emergency = certified(estate, staff, submitted_day=-10)
    with django_assert_num_queries(_count(client, estate)):
        page = client.get(f"/talents/owners/repairs/?community={estate.community.slug}")
    body = page.content.decode()
    assert body.index(emergency.title) < body.index("B0")
    assert "已超过7日" in body


def _count(client, estate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/talents/owners/repairs/?community={estate.community.slug}")
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_rows(client, estate, staff, frozen):
    client.force_login(staff)
    new_project(estate, staff, title="A")
    one = _count(client, estate)
    for i in range(6):
        new_project(estate, staff, title=f"B{i}")
    certified(estate, staff, submitted_day=-10)
    assert _count(client, estate) == one


def test_staff_register_a_project_and_bad_input_writes_nothing(client, estate, owners, staff, frozen):
    client.force_login(owners["a"])
    url = f"/talents/owners/repairs/new/?community={estate.community.slug}"
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.post(url, {"title": "", "kind": "leak", "scope": "building",
                             "building": estate.buildings["1号楼"].pk, "photos": [jpeg()]})
    assert page.status_code == 400 and not RepairProject.objects.exists()
    assert "照片和文件不会保存" in page.content.decode()
    page = client.post(url, {"title": "1号楼屋面渗漏", "kind": "leak", "scope": "building",
                             "building": estate.buildings["1号楼"].pk, "case_ids": "999"})
    assert page.status_code == 400 and not RepairProject.objects.exists()
    page = client.post(url, {"title": "1号楼屋面渗漏", "kind": "leak", "scope": "building",
                             "building": estate.buildings["1号楼"].pk, "photos": [jpeg()]})
    project = RepairProject.objects.get()
    assert page.status_code == 302 and project.photos.count() == 1


def test_a_step_posted_by_the_wrong_role_or_twice(client, estate, owners, staff, tenant, frozen):
    project = new_project(estate, staff)
    data = {"scope": "building", "building": estate.buildings["1号楼"].pk, "item_1": "更换楼道灯", "amount_1": "3000"}
    for user in (owners["a"], tenant):
        client.force_login(user)
        assert client.post(_url(project, "plan"), data).status_code == 403
    client.force_login(staff)
    bad = client.post(_url(project, "plan"), {**data, "amount_1": "-1"})
    assert bad.status_code == 400 and RepairProject.objects.get().status == S.DISCOVERED
    assert client.post(_url(project, "plan"), data).status_code == 302
    assert client.post(_url(project, "plan"), data).status_code == 302  # the double click
    assert RepairEvent.objects.filter(project=project, action="plan").count() == 1
    assert RepairProject.objects.get().budget == 3000


def test_a_refused_step_shows_its_message_with_status_400(client, estate, staff, frozen):
    project = certified(estate, staff, submitted_day=-10)
    plan(project, staff, estate)
    client.force_login(staff)
    page = client.post(_url(project, "emergency_approve"), {"approved_by": "张主任", "approved_at": "2026-03-10T09:00"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "已超过7日" in body and "宝山区房屋管理局" in body
    page = client.post(_url(project, "refer"), {"referred_on": "2026-03-10", "referred_to": "宝山区房屋管理局",
                                                "reference_no": "BS-18"})
    assert page.status_code == 302
    assert client.get(_url(project)).content.decode().count("BS-18") >= 1


def test_the_overdue_clock_is_red_on_the_project_page(client, estate, tenant, staff, frozen):
    project = certified(estate, staff, submitted_day=-8)  # submitted 03-02: the 7 days ended 03-09 24:00
    client.force_login(tenant)
    body = client.get(_url(project)).content.decode()
    assert "alert-danger" in body and "已超过7日" in body and "2026-03-09 24:00" in body
    project = certified(estate, staff, submitted_day=-7)  # submitted 03-03: today 03-10 is the seventh day
    body = client.get(_url(project)).content.decode()
    assert "已超过7日" not in body and "2026-03-10 24:00" in body


def test_the_reporter_sees_the_project_on_the_case_page(client, estate, owners, staff, outsider, frozen):
    category = CaseCategory.objects.create(community=estate.community, code="leak", name="房屋漏水", ack_hours=24,
                                           fix_hours=72)
    case = case_file(filed_by=owners["d"], community=estate.community, category=category, description="顶楼漏水",
                     building=estate.buildings["1号楼"])
    project = new_project(estate, staff, kind="leak", cases=[case], title="1号楼屋面渗漏维修")
    client.force_login(owners["d"])
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "你反映的问题已纳入维修项目：1号楼屋面渗漏维修，当前进度：已发现，资金来源：1号楼专项维修资金" in body
    assert _url(project) in body


def test_photos_and_files_are_served_to_the_estate_only(client, estate, owners, staff, outsider, frozen):
    from talents.models import RepairDocument

    project = certified(estate, staff, submitted_day=0)
    document = RepairDocument.objects.get(project=project)
    client.force_login(owners["a"])
    assert client.get(f"{_url(project)}files/{document.pk}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"{_url(project)}files/{document.pk}/").status_code == 404


def test_the_hub_card_lists_projects_with_the_overdue_first(client, estate, owners, tenant, staff, frozen):
    new_project(estate, staff, title="楼道灯")
    certified(estate, staff, submitted_day=-10)
    client.force_login(tenant)
    body = client.get(f"/talents/owners/?community={estate.community.slug}").content.decode()
    assert "维修项目" in body and "已超过7日" in body
    assert body.index("1号楼外墙脱落抢修") < body.index("楼道灯")
