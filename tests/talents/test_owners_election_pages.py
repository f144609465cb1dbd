"""The election's pages (issue 15 item 3): the public timeline, the staff page and its steps, the hub card; who
may open them (owners and tenants see the timeline, only staff manage, another estate gets 404)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talents.models import CommitteeElection, ElectionStep, PreparatoryMember
from talents.services import owners_election as svc

from .owners_world import NOW, community, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
S = PreparatoryMember.Side
D = dt.date


@pytest.fixture
def election(estate, staff):
    # Triggered 2026-01-05, group formed 01-20: the handover (due 01-30) is late on NOW (2026-03-10).
    e = svc.committee_election_create(actor=staff, community=estate.community, term_number=3,
                                      triggered_on=D(2026, 1, 5), seats=3, assembly_on=D(2026, 4, 1))
    for i, side in enumerate([S.OWNER, S.OWNER, S.TOWN]):
        svc.group_member_add(actor=staff, election=e, name=f"张三{i}", side=side,
                             role=PreparatoryMember.Role.LEADER if i == 0 else PreparatoryMember.Role.MEMBER)
    svc.group_form(actor=staff, election=e, formed_on=D(2026, 1, 20), now=NOW)
    return e


def _url(e, tail=""):
    return f"/talents/owners/election/{e.pk}/{tail}"


def test_the_public_timeline_shows_late_steps_masks_names_and_opens_for_owners_and_tenants(
        client, election, owners, tenant, frozen):
    for user in (owners["a"], tenant):
        client.force_login(user)
        page = client.get(_url(election))
        assert page.status_code == 200
        text = page.content.decode()
        assert "旧业委会移交资料和印章" in text and "逾期 39 天" in text  # due 01-30, today 03-10
        assert "张*" in text and "张三0" not in text
        assert "第二十九条" in text
        assert "管理本次选举" not in text


def test_another_estate_gets_404_and_the_wrong_role_403(client, election, owners, tenant, outsider, frozen):
    client.force_login(outsider)
    assert client.get(_url(election)).status_code == 404
    assert client.get(_url(election, "manage/")).status_code == 404
    assert client.post(_url(election, "step/"), {"kind": "handover", "done_on": "2026-02-01"}).status_code == 404
    for user in (owners["a"], tenant):
        client.force_login(user)
        assert client.get(_url(election, "manage/")).status_code == 403
        assert client.post(_url(election, "step/"), {"kind": "handover", "done_on": "2026-02-01"}).status_code == 403
    assert ElectionStep.objects.get(election=election, kind="handover").done_on is None


def test_staff_create_an_election_and_a_bad_group_is_refused_on_the_form(client, estate, staff, frozen):
    client.force_login(staff)
    page = client.post(f"/talents/owners/election/?community={estate.community.slug}",
                       {"term_number": 4, "triggered_on": "2026-03-01", "seats": 3})
    election = CommitteeElection.objects.get(term_number=4)
    assert page.status_code == 302 and page["Location"] == _url(election, "manage/")
    again = client.post(f"/talents/owners/election/?community={estate.community.slug}",
                        {"term_number": 4, "triggered_on": "2026-03-01", "seats": 3})
    assert again.status_code == 400 and "已经登记" in again.content.decode()
    assert CommitteeElection.objects.count() == 1
    for name, side in (("甲", "owner"), ("乙", "town")):
        client.post(_url(election, "group-add/"), {"name": name, "side": side, "role": "member"})
    page = client.post(_url(election, "group-form/"), {"formed_on": "2026-03-05"})
    assert page.status_code == 400
    assert "筹备组成员人数应为单数" in page.content.decode()
    election.refresh_from_db()
    assert election.group_formed_on is None


def test_staff_record_a_step_once(client, election, staff, frozen):
    client.force_login(staff)
    data = {"kind": "handover", "done_on": "2026-02-03", "note": "移交街道房管办"}
    assert client.post(_url(election, "step/"), data).status_code == 302
    assert client.post(_url(election, "step/"), data).status_code == 302  # a double submission: no change
    step = ElectionStep.objects.get(election=election, kind="handover")
    assert step.done_on == D(2026, 2, 3) and step.recorded_by == staff
    page = client.post(_url(election, "step/"), {"kind": "handover", "done_on": "2026-03-20"})
    assert page.status_code == 400 and "日期不能晚于今天" in page.content.decode()
    assert client.get(_url(election, "manage/")).status_code == 200


def test_the_hub_card_shows_the_next_step_and_late(client, election, owners, frozen):
    client.force_login(owners["a"])
    text = client.get(f"/talents/owners/?community={election.community.slug}").content.decode()
    assert "业委会换届选举" in text and "第3届业主委员会选举" in text
    assert "逾期" in text and "旧业委会移交资料和印章" in text


def test_the_public_page_reads_a_fixed_number_of_queries(client, election, staff, owners, frozen):
    client.force_login(owners["a"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(election)).status_code == 200
        return len(ctx)

    few = count()
    election.group_formed_on = None
    election.save(update_fields=["group_formed_on"])
    for i in range(6):
        svc.group_member_add(actor=staff, election=election, name=f"李{i}", side=S.OWNER)
    assert count() == few
