"""Issue 12 items 6 and 7 on the core's case pages: a phone the viewer may see is a ``tel:`` link; the case page
shows its handler the flat's current tenants; the dispatch picker (searchable, the flat's sublandlord first,
people told apart by building and role, every team); merging picks from the building's open cases; the desktop
table with its bulk dispatch; the navigation on a desktop. Each with the wrong role and another community."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.forms import DispatchForm, MergeForm
from communities.models import Case, CaseEvent, PersonalDataAccess, Role, Team, mask_phone
from communities.services import case_workflow as wf
from communities.services.cases import case_file
from communities.templatetags.phones import tel_link

from ..clock import frozen_at
from ..factories import BuildingFactory, TeamFactory, UnitFactory, make_member
from .case_world import S, as_user, category, detail_url, reload, texts  # noqa: F401

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


frozen = frozen_at(NOW)


# --- tel: links ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, html", [
    ("13811110001", '<a href="tel:13811110001" class="ld-tel">13811110001</a>'),
    ("021-6688 1234", '<a href="tel:02166881234" class="ld-tel">021-6688 1234</a>'),
    ("138****0001", "138****0001"),  # masked: plain text, nothing to dial
    ("", ""), (None, ""),
    ('1"><script>', "1&quot;&gt;&lt;script&gt;"),
])
def test_a_phone_the_viewer_may_see_is_a_tel_link_and_a_masked_one_stays_text(value, html):
    assert tel_link(value) == html


# --- the flat's current tenants on the case page ------------------------------------------------------

@pytest.fixture
def flat_case(community, category, let_unit, tenant, resident, landlord, committee_staff):
    case = case_file(filed_by=resident, community=community, category=category, unit=let_unit,
                     description="302 室夜里很吵")
    wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_user=landlord)
    return reload(case)


TENANTS = "这套房屋的在住租客"


def test_the_handler_sublandlord_sees_the_tenants_phones_to_call_and_each_view_is_logged(client, flat_case, landlord,
                                                                                       tenant):
    page = as_user(client, landlord).get(detail_url(flat_case)).content.decode()
    phone = tenant.person.phone
    assert TENANTS in page and "小李" in page and f'href="tel:{phone}"' in page
    log = PersonalDataAccess.objects.get()
    assert (log.viewer, log.person, log.purpose) == (landlord, tenant.person, f"处理诉求 #{flat_case.pk} 联系在住租客")


def test_a_handling_team_member_who_does_not_let_the_flat_sees_the_tenants_with_phones_masked(
        client, community, flat_case, committee_staff, tenant, landlord):
    from ..factories import team_join

    volunteer = make_member(community, Role.VOLUNTEER, username="vol", name="志愿者小王")
    team = TeamFactory(community=community, name="楼道治理小分队", kind=Team.Kind.SQUAD)
    team_join(team, volunteer)
    wf.case_dispatch(case_id=flat_case.pk, actor=committee_staff, handler_team=team)
    page = as_user(client, volunteer).get(detail_url(flat_case)).content.decode()
    assert TENANTS in page and "小李" in page and mask_phone(tenant.person.phone) in page
    assert tenant.person.phone not in page and not PersonalDataAccess.objects.exists()
    # 陈师傅 no longer handles it: the list is gone for him
    assert TENANTS not in as_user(client, landlord).get(detail_url(flat_case)).content.decode()


def test_the_reporter_staff_a_closed_case_and_another_community_show_no_tenants(client, flat_case, resident, landlord,
                                                                              outsider, committee_staff, tenant):
    assert TENANTS not in as_user(client, resident).get(detail_url(flat_case)).content.decode()
    assert TENANTS not in as_user(client, committee_staff).get(detail_url(flat_case)).content.decode()
    Case.objects.filter(pk=flat_case.pk).update(status=S.CLOSED)
    assert TENANTS not in as_user(client, landlord).get(detail_url(flat_case)).content.decode()
    assert as_user(client, outsider).get(detail_url(flat_case)).status_code == 404
    assert not PersonalDataAccess.objects.filter(person=tenant.person).exists()  # (staff read the reporter's)


# --- the dispatch picker -------------------------------------------------------------------------------

@pytest.fixture
def namesakes(community, other_community):
    """Two 王芳 in 蓉庭 (a sublandlord of 2号楼, a volunteer living in 1号楼) and one in another community."""
    b2 = BuildingFactory(community=community, name="2号楼")
    landlord_wang = make_member(community, Role.SUBLANDLORD, username="wang1", name="王芳")
    UnitFactory(building=b2, room="101", is_let=True, sublandlord=landlord_wang.person)
    volunteer_wang = make_member(community, Role.VOLUNTEER, username="wang2", name="王芳",
                                 unit=UnitFactory(building=community.buildings.get(name="1号楼"), room="601"))
    far_wang = make_member(other_community, Role.SUBLANDLORD, username="wang3", name="王芳")
    return landlord_wang, volunteer_wang, far_wang


def picker(form):
    return list(form.fields["handler_user"].choices)


def test_the_picker_suggests_the_flats_sublandlord_first_and_tells_namesakes_apart(flat_case, landlord, namesakes,
                                                                                   community, other_community):
    landlord_wang, volunteer_wang, far_wang = namesakes
    TeamFactory(community=community, name="楼道治理小分队", kind=Team.Kind.SQUAD)
    TeamFactory(community=other_community, name="别处的队")
    form = DispatchForm(case=flat_case)
    (_empty, (suggested_label, suggested), (_others_label, others)) = picker(form)
    assert suggested_label == "推荐：这套房屋的二房东"
    assert suggested == [(landlord.pk, "陈师傅 · 1号楼 · 二房东 · 推荐")]
    labels = dict(others)
    assert labels[landlord_wang.pk] == "王芳 · 2号楼 · 二房东"
    assert labels[volunteer_wang.pk] == "王芳 · 1号楼 · 志愿者"
    assert far_wang.pk not in labels
    teams = [label for value, label in form.fields["handler_team"].choices if value]
    assert teams == ["楼道治理小分队 · 治理小分队"]


def candidates_url(case):
    return reverse("communities:case_dispatch_candidates", args=[case.pk])


def test_the_picker_search_answers_with_matching_people_in_a_fixed_number_of_queries(
        client, flat_case, committee_staff, namesakes, django_assert_max_num_queries, community):
    landlord_wang, volunteer_wang, far_wang = namesakes
    as_user(client, committee_staff)
    client.get(candidates_url(flat_case))  # sessions and per-request facts warmed
    for n in range(5):
        make_member(community, Role.VOLUNTEER, username=f"extra{n}", name=f"王芳{n}",
                    unit=UnitFactory(building=community.buildings.get(name="1号楼"), room=f"70{n}"))
    with django_assert_max_num_queries(7):
        html = client.get(candidates_url(flat_case), {"handler_search": "王芳"}).content.decode()
    assert f'<option value="{landlord_wang.pk}">王芳 · 2号楼 · 二房东</option>' in html
    assert f'value="{volunteer_wang.pk}"' in html and f'value="{far_wang.pk}"' not in html
    assert "陈师傅" not in html
    html = client.get(candidates_url(flat_case), {"handler_search": "陈"}).content.decode()
    assert '<optgroup label="推荐：这套房屋的二房东">' in html
    html = client.get(candidates_url(flat_case), {"handler_search": "没有这个人"}).content.decode()
    assert "没有找到“没有这个人”" in html


def test_the_picker_search_refuses_the_wrong_role_and_hides_other_communities(client, flat_case, landlord, outsider,
                                                                             other_community):
    assert as_user(client, landlord).get(candidates_url(flat_case)).status_code == 403
    assert as_user(client, outsider).get(candidates_url(flat_case)).status_code == 403
    far_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="farstaff")
    assert as_user(client, far_staff).get(candidates_url(flat_case)).status_code == 404


def test_dispatching_to_someone_of_another_community_is_refused_and_changes_nothing(client, flat_case, namesakes,
                                                                                   committee_staff, landlord):
    far_wang = namesakes[2]
    response = as_user(client, committee_staff).post(
        reverse("communities:case_action", args=[flat_case.pk, "dispatch"]), {"handler_user": far_wang.pk})
    assert response.status_code == 400
    assert reload(flat_case).handler_user == landlord


# --- merging a duplicate -----------------------------------------------------------------------------------

@pytest.fixture
def duplicates(community, category, building, resident, committee_staff):
    def file(description, **kw):
        kw.setdefault("building", building)
        return case_file(filed_by=resident, community=community, category=category, description=description, **kw)

    original = file("1号楼3楼楼道堆满纸箱，消防通道被堵住了，已经好几天了，请尽快处理")
    duplicate = file("楼道又堆满了")
    closed = file("早就处理好的")
    wf.case_reject(case_id=closed.pk, actor=committee_staff, reason="不属于本社区管辖")
    elsewhere = file("2号楼门口", building=BuildingFactory(community=community, name="2号楼"))
    return original, duplicate, closed, elsewhere


def test_merge_offers_the_buildings_other_open_cases_with_a_line_of_each(duplicates):
    original, duplicate, closed, elsewhere = duplicates
    choices = [(c.value, label) for c, label in MergeForm(case=duplicate).fields["into"].choices if c]
    assert choices == [(original.pk, f"#{original.pk} 楼道堆物 · {original.description[:30]}…")]


def test_merge_into_a_case_not_offered_is_refused_and_a_listed_one_merges(client, duplicates, committee_staff,
                                                                         landlord, outsider, other_community):
    original, duplicate, closed, elsewhere = duplicates
    far = case_file(filed_by=outsider, community=other_community,
                    category=type(original.category).objects.create(community=other_community, code="x", name="其他"),
                    building=outsider.person.residencies.get().unit.building, description="别处")
    url = reverse("communities:case_action", args=[duplicate.pk, "merge"])
    as_user(client, landlord).post(url, {"into": original.pk})  # not staff: refused by the table
    assert reload(duplicate).status == S.SUBMITTED
    as_user(client, committee_staff)
    for wrong in (elsewhere.pk, closed.pk, duplicate.pk, far.pk, "abc"):
        assert client.post(url, {"into": wrong}).status_code == 400
        assert reload(duplicate).status == S.SUBMITTED
    assert client.post(url, {"into": original.pk}).status_code == 302
    assert (reload(duplicate).status, reload(duplicate).merged_into_id) == (S.DUPLICATE, original.pk)


# --- the desktop table and bulk dispatch ---------------------------------------------------------------

@pytest.fixture
def open_cases(frozen, community, category, building, resident):
    return [case_file(filed_by=resident, community=community, category=category, building=building,
                      description=f"第{n}件") for n in range(3)]


BULK = reverse("communities:case_bulk_dispatch")


def test_bulk_dispatch_sends_each_ticked_case_to_one_handler_and_a_repeat_changes_nothing(
        client, open_cases, committee_staff, landlord):
    a, b, _c = open_cases
    response = as_user(client, committee_staff).post(BULK, {"cases": [a.pk, b.pk], "handler_user": landlord.pk,
                                                            "next": "/cases/?status=open"})
    assert response.status_code == 302 and response.url == "/cases/?status=open"
    assert texts(response)[-1:] == [f"已派单 2 件：#{a.pk}、#{b.pk}。"]
    assert [reload(x).handler_user for x in (a, b)] == [landlord, landlord]
    events = CaseEvent.objects.count()
    response = client.post(BULK, {"cases": [a.pk, b.pk], "handler_user": landlord.pk})
    assert texts(response)[-1:] == [f"#{a.pk}、#{b.pk} 之前已派给同一处理人，没有重复派单。"]
    assert CaseEvent.objects.count() == events


def test_one_case_that_cannot_be_dispatched_is_reported_by_number_and_the_others_are_done(
        client, open_cases, committee_staff, landlord, outsider, other_community, category):
    a, b, c = open_cases
    wf.case_reject(case_id=b.pk, actor=committee_staff, reason="不属于本社区管辖")
    far = case_file(filed_by=outsider, community=other_community,
                    category=type(category).objects.create(community=other_community, code="x", name="其他"),
                    building=outsider.person.residencies.get().unit.building, description="别处")
    response = as_user(client, committee_staff).post(BULK, {"cases": [a.pk, b.pk, far.pk, c.pk],
                                                            "handler_user": landlord.pk})
    messages = texts(response)
    assert messages[0] == f"已派单 2 件：#{a.pk}、#{c.pk}。"
    assert messages[1] == f"#{b.pk} 没有派单：这件诉求现在是“不予受理”，不能进行这项操作。"
    assert messages[2] == f"#{far.pk} 没有派单：找不到这件诉求，或您不能给它派单。"
    assert reload(b).handler_user is None and reload(far).handler_user is None and reload(far).status == S.SUBMITTED


def test_bulk_dispatch_refuses_the_wrong_role_bad_input_and_another_communitys_handler(
        client, open_cases, committee_staff, landlord, party_secretary, namesakes):
    a = open_cases[0]
    assert as_user(client, landlord).post(BULK, {"cases": [a.pk], "handler_user": landlord.pk}).status_code == 403
    assert as_user(client, party_secretary).post(BULK, {"cases": [a.pk],
                                                        "handler_user": landlord.pk}).status_code == 403
    as_user(client, committee_staff)
    assert texts(client.post(BULK, {"handler_user": landlord.pk}))[-1:] == ["请先勾选要派单的诉求。"]
    assert texts(client.post(BULK, {"cases": [a.pk]}))[-1:] == ["请选择一位处理人或一个团队(二选一)。"]
    response = client.post(BULK, {"cases": [a.pk], "handler_user": namesakes[2].pk})
    assert any("选择一个有效的选项" in text for text in texts(response))
    assert reload(a).handler_user is None and reload(a).status == S.SUBMITTED


def test_the_desktop_table_names_handler_and_reporter_masks_the_phone_and_flags_overdue(
        client, frozen, open_cases, committee_staff, landlord, resident, monkeypatch, django_assert_max_num_queries,
        community, building, category):
    a, b, c = open_cases
    wf.case_dispatch(case_id=a.pk, actor=committee_staff, handler_user=landlord)
    for n in range(4):  # more rows, other reporters and handlers: the same number of queries
        reporter = make_member(community, Role.RESIDENT, username=f"r{n}", name=f"居民{n}",
                               unit=UnitFactory(building=building, room=f"80{n}"))
        handler = make_member(community, Role.VOLUNTEER, username=f"v{n}", name=f"志愿者{n}")
        case = case_file(filed_by=reporter, community=community, category=category, building=building,
                         description=f"另一件{n}")
        wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_user=handler)
    monkeypatch.setattr(timezone, "now", lambda: NOW + dt.timedelta(days=10))  # every deadline passed
    as_user(client, committee_staff)
    client.get("/cases/")
    with django_assert_max_num_queries(10):
        page = client.get("/cases/").content.decode()
    for head in ("编号", "类别", "地点", "状态", "经办人", "反映人", "逾期"):
        assert f'<th scope="col">{head}</th>' in page
    assert "<td>陈师傅</td>" in page and "王阿姨" in page
    assert mask_phone(resident.person.phone) in page and resident.person.phone not in page
    assert page.count('<span class="badge text-bg-danger">逾期</span>') == 7
    assert f'name="cases" value="{a.pk}"' in page and 'action="/cases/bulk-dispatch/"' in page
    assert not PersonalDataAccess.objects.exists()


def test_the_party_secretary_gets_the_table_without_bulk_dispatch(client, open_cases, party_secretary):
    page = as_user(client, party_secretary).get("/cases/").content.decode()
    assert '<th scope="col">经办人</th>' in page and 'name="cases"' not in page


def test_the_main_navigation_is_in_the_bar_on_a_desktop_and_behind_the_menu_on_a_phone(client, committee_staff):
    page = as_user(client, committee_staff).get("/cases/").content.decode()
    assert 'class="navbar navbar-expand-lg ld-navbar"' in page
    bar = page.split('class="navbar-nav d-none d-lg-flex', 1)[1].split("</ul>", 1)[0]
    assert 'href="/cases/"' in bar
    assert 'class="btn btn-outline-light d-lg-none"' in page  # 菜单, phones only
