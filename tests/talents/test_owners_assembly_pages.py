"""The assembly area's pages (issue 15): the list, the assembly page with its ballot (who sees one and who is told
why not), results only after publication, the staff form, requests, voting rules, the hub card; 403/404; the
query counts of the page and the tally at two roll sizes."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.services.election_count import election_tally
from talents.models import AssemblyRequest, OwnersAssembly, Scope
from talents.services import owners_assembly as svc

from ..factories import UnitFactory, make_member
from .assembly_helpers import make_assembly, paper, publish, vote
from .owners_world import (NOW, community, estate, frozen, other_estate, outsider, owners, staff,  # noqa: F401
                           staff2, tenant)

pytestmark = pytest.mark.django_db
B1 = {"scope": Scope.BUILDING, "building": "1号楼"}


def _url(a, tail=""):
    return f"/talents/owners/assembly/{a.pk}/{tail}"


def test_the_page_states_the_threshold_and_who_votes(client, estate, owners, staff, tenant, frozen):
    a = make_assembly(estate, staff, **B1)
    client.force_login(owners["a"])
    page = client.get(_url(a)).content.decode()
    assert "第（五）项使用维修资金，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意" in page
    assert 'name="motion-' in page and "1号楼" in page
    assert "已投票 0 / 7 人" in page
    client.force_login(tenant)
    page = client.get(_url(a)).content.decode()
    assert 'name="motion-' not in page and "租客和家庭成员不参加表决" in page
    client.force_login(owners["h"])  # 辛 owns in 2号楼 only
    page = client.get(_url(a)).content.decode()
    assert 'name="motion-' not in page and "本次表决仅由1号楼业主参加" in page


def test_voting_on_the_page_shows_the_receipt_once_and_results_wait(client, estate, owners, staff, tenant, frozen):
    a = make_assembly(estate, staff, **B1)
    motion = a.election.motions.get()
    client.force_login(owners["a"])
    answer = client.post(_url(a, "vote/"), {f"motion-{motion.pk}": "for"})
    assert answer.status_code == 200 and "回执码" in answer.content.decode()
    again = client.post(_url(a, "vote/"), {f"motion-{motion.pk}": "against"}, follow=True)
    assert "已经投过票了" in again.content.decode()
    page = client.get(_url(a)).content.decode()
    assert "已投票 1 / 7 人，专有面积 220.00 / 800.00 m²" in page and "实际投票" not in page
    client.force_login(tenant)
    assert client.post(_url(a, "vote/"), {f"motion-{motion.pk}": "for"}).status_code == 400
    client.force_login(owners["b"])
    assert client.post(_url(a, "vote/"), {}).status_code == 400  # no answer


def test_a_published_failure_says_which_test_failed_and_by_how_much(client, estate, owners, staff, staff2, frozen):
    a = make_assembly(estate, staff, **B1)
    for letter in "bdeg":
        vote(a, owners[letter], "for")
    paper(a, staff, staff2, "己业主", "for")
    publish(a, staff)
    client.force_login(owners["h"])
    page = client.get(_url(a)).content.decode()
    assert "参与表决专有面积达到总面积三分之二以上未达到（470.00 / 800.00 m²，还差 63.34 m²）" in page
    assert "未作出决定" in page and "实际投票" in page


def test_deemed_consent_shows_both_tallies_and_the_case(client, estate, owners, staff, staff2, frozen):
    svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=True, clause="第十二条 视为同意多数",
                         now=NOW)
    a = make_assembly(estate, staff, **B1)
    for letter in "bdeg":
        vote(a, owners[letter], "for")
    paper(a, staff, staff2, "己业主", "for")
    client.force_login(staff)
    voter = a.election.voters.get(person__name="甲业主")
    assert client.post(_url(a, "deliveries/"), {"voter": voter.pk, "delivered_on": "2026-03-10",
                                                "method": "in_person"}).status_code == 400  # no proof
    assert client.post(_url(a, "deliveries/"), {"voter": voter.pk, "delivered_on": "2026-03-10",
                                                "method": "in_person", "signer": "甲"}).status_code == 302
    from communities.models import PersonalDataAccess
    assert PersonalDataAccess.objects.filter(viewer=staff).exists()  # the names on the staff page are logged
    publish(a, staff)
    page = client.get(_url(a)).content.decode()
    assert "按议事规则视为同意多数后" in page and "视为同意多数后：通过" in page
    assert "（2022）沪02民初16号" in page and "第十二条 视为同意多数" in page


def test_other_estate_404_and_staff_pages_403(client, estate, owners, staff, outsider, frozen):
    a = make_assembly(estate, staff)
    client.force_login(outsider)
    assert client.get(_url(a)).status_code == 404
    assert client.get(f"/talents/owners/assembly/?community={estate.community.slug}").status_code == 404
    client.force_login(owners["a"])
    assert client.get(f"/talents/owners/assembly/new/?community={estate.community.slug}").status_code == 403
    assert client.get(f"/talents/owners/assembly/rules/?community={estate.community.slug}").status_code == 403
    assert client.get(_url(a, "deliveries/")).status_code == 403
    assert client.post(_url(a, "close/")).status_code == 403


def test_staff_create_an_assembly_with_its_notice(client, estate, staff, frozen):
    client.force_login(staff)
    url = f"/talents/owners/assembly/new/?community={estate.community.slug}"
    data = {"kind": "regular", "title": "2026年业主大会", "scope": "estate", "opens_at": "2026-03-20T09:00",
            "closes_at": "2026-03-30T18:00", "place": "会所", "notice_sent_on": "2026-03-10",
            "motion_0": "修改议事规则", "item_0": "1", "motion_1": "续筹维修资金", "item_1": "6",
            "notice_housing_office": "on"}
    answer = client.post(url, data)
    assert answer.status_code == 400 and "第二十五条" in answer.content.decode()
    assert not OwnersAssembly.objects.exists()
    answer = client.post(url, {**data, "notice_residents_committee": "on"})
    assert answer.status_code == 302
    a = OwnersAssembly.objects.get()
    assert sorted(a.election.motions.values_list("matter", flat=True)) == ["ordinary", "special"]
    assert client.post(url, {**data, "notice_residents_committee": "on"}).status_code == 400  # double submit
    assert client.post(_url(a, "open/")).status_code == 302
    a.refresh_from_db()
    assert a.election.status == "open" and a.deemed_consent is False


def test_the_requests_page_is_for_owners_to_add_and_all_to_see(client, estate, owners, tenant, frozen):
    url = f"/talents/owners/assembly/requests/?community={estate.community.slug}"
    client.force_login(tenant)
    assert "只有本小区的业主可以提议" in client.get(url).content.decode()
    assert client.post(url, {"matter": "x"}).status_code == 403
    client.force_login(owners["a"])
    assert client.post(url, {"matter": ""}).status_code == 400
    assert client.post(url, {"matter": "更换物业服务企业"}).status_code == 302
    client.force_login(owners["b"])
    client.post(url, {"matter": "更换物业服务企业"})
    page = client.get(url).content.decode()
    assert "已有 2 位业主提议，需 2 位" in page and "业主委员会现在应当组织召开" in page
    assert "甲*" in page and "甲业主" not in page
    assert AssemblyRequest.objects.count() == 2


def test_the_voting_rules_page(client, estate, staff, frozen):
    url = f"/talents/owners/assembly/rules/?community={estate.community.slug}"
    client.force_login(staff)
    assert "当前：未启用" in client.get(url).content.decode()
    assert client.post(url, {"deemed_consent": "on", "clause": ""}).status_code == 400
    assert client.post(url, {"deemed_consent": "on", "clause": "第十二条"}).status_code == 302
    assert "当前：已启用" in client.get(url).content.decode()


def test_the_hub_card(client, estate, owners, staff, tenant, frozen):
    a = make_assembly(estate, staff, **B1, title="外墙维修表决")
    client.force_login(owners["a"])
    page = client.get("/talents/owners/").content.decode()
    assert "外墙维修表决" in page and "去投票" in page
    client.force_login(tenant)
    page = client.get("/talents/owners/").content.decode()
    assert "外墙维修表决" in page and "正在表决" in page and "去投票" not in page
    assert "临时会议提议：0 / 2 位业主" in page


def _grow(estate, n):
    """``n`` more units in 2号楼, each with its own owner with a login."""
    for i in range(n):
        unit = UnitFactory(building=estate.buildings["2号楼"], room=f"3{i:02d}", floor=3, entrance="1单元",
                           floor_area=Decimal("88.5"))
        make_member(estate.community, "resident", username=f"grow{i}", name=f"业主{i}", unit=unit)


def _published_page_queries(client, estate, owners, staff):
    svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=True, clause="第十二条", now=NOW)
    a = make_assembly(estate, staff, motions=[("修改议事规则", 1), ("续筹维修资金", 6)])
    for user in a.election.voters.filter(user__isnull=False).values_list("user", flat=True)[:6]:
        from communities.models import User
        vote(a, User.objects.get(pk=user), "for", "against")
    publish(a, staff)
    return a


def test_the_page_and_the_tally_run_in_a_constant_number_of_queries(client, estate, owners, staff, frozen,
                                                                     django_assert_num_queries):
    a = _published_page_queries(client, estate, owners, staff)
    client.force_login(owners["h"])
    with CaptureQueriesContext(connection) as small_page:
        assert client.get(_url(a)).status_code == 200
    with CaptureQueriesContext(connection) as small_tally:
        election_tally(election=a.election)
    with CaptureQueriesContext(connection) as small_list:
        client.get(f"/talents/owners/assembly/?community={estate.community.slug}")
    _grow(estate, 40)
    b = _published_page_queries(client, estate, owners, staff)
    assert b.election.voters.filter(counted=True).count() == 48
    make_assembly(estate, staff, title="又一次")
    with django_assert_num_queries(len(small_page)):
        assert client.get(_url(b)).status_code == 200
    with django_assert_num_queries(len(small_tally)):
        election_tally(election=b.election)
    with django_assert_num_queries(len(small_list)):
        client.get(f"/talents/owners/assembly/?community={estate.community.slug}")
