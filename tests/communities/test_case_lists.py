"""The case lists, the Excel export, the dashboard, the filters on request, and query counts that do not
grow with the rows shown."""
import datetime as dt
import io

import pytest
from django.db import connection
from django.core.cache import caches
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import (
    AuditEvent,
    Building,
    Case,
    CaseCategory,
    CaseEvent,
    CasePhoto,
    PersonalDataAccess,
    PublicPlace,
    Role,
    Team,
    mask_phone,
)
from communities.services import case_workflow as wf
from communities.services.case_summaries import case_summaries_refresh
from communities.services.cases import case_file, case_follow

from ..factories import (
    BuildingFactory,
    CaseCategoryFactory,
    CaseFactory,
    CaseRatingFactory,
    CommunityFactory,
    TeamFactory,
    UnitFactory,
    make_member, team_join,
)

from .case_world import (  # noqa: F401 - fixtures
    S,
    detail_url,
    as_user,
    category,
    neighbour,
    dispatched,
    world,
)


# --- lists ---------------------------------------------------------------------------------------------------------

def listed(response) -> list[int]:
    return [c.pk for c in response.context["page"]]


def test_my_cases_are_my_own_and_the_ones_i_follow(client, community, category, building, resident, neighbour):
    mine = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="我反映的")
    followed = case_file(filed_by=neighbour, community=community, category=category, building=building,
                         description="邻居反映的，我关注了")
    case_follow(case_id=followed.pk, user=resident)
    case_file(filed_by=neighbour, community=community, category=category, building=building, description="与我无关")

    response = as_user(client, resident).get(reverse("communities:case_mine"))

    assert sorted(listed(response)) == sorted([mine.pk, followed.pk])


def test_the_queue_shows_a_sublandlord_only_the_open_cases_assigned_to_them(client, world):
    assigned = world.at(S.DISPATCHED)
    working = world.at(S.IN_PROGRESS)
    world.at(S.CLOSED)                     # assigned, but done
    world.at(S.SUBMITTED)                  # nobody's yet
    other = world.file()
    wf.case_dispatch(case_id=other.pk, actor=world.staff, handler_user=world.other_landlord)

    response = as_user(client, world.handler).get(reverse("communities:case_queue"))

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted([assigned.pk, working.pk])
    assert listed(as_user(client, world.other_landlord).get(reverse("communities:case_queue"))) == [other.pk]


def test_the_queue_shows_station_staff_only_their_teams_cases(client, village, station_staff):
    station = TeamFactory(community=village, name="光明村物业服务站", kind=Team.Kind.STATION)
    team_join(station, station_staff)
    squad = TeamFactory(community=village, name="巡逻队", kind=Team.Kind.SQUAD)
    category = CaseCategoryFactory(community=village, code="parking", name="停车")
    ours = CaseFactory(community=village, category=category, status=S.DISPATCHED, handler_team=station)
    CaseFactory(community=village, category=category, status=S.DISPATCHED, handler_team=squad)
    CaseFactory(community=village, category=category, status=S.SUBMITTED)

    response = as_user(client, station_staff).get(reverse("communities:case_queue"))

    assert listed(response) == [ours.pk]


def test_residents_have_no_queue_list_export_or_dashboard(client, resident):
    as_user(client, resident)
    for name in ("case_queue", "case_list", "case_export", "dashboard"):
        assert client.get(reverse(f"communities:{name}")).status_code == 403, name


@pytest.fixture
def listed_cases(community, other_community, building, landlord, resident):
    """Four cases of 蓉庭 that differ in one thing each, and one of another community."""
    now = timezone.now()
    noise = CaseCategoryFactory(community=community, code="noise", name="噪音扰民")
    leak = CaseCategoryFactory(community=community, code="leak", name="房屋漏水")
    b2 = BuildingFactory(community=community, name="2号楼")
    old = CaseFactory(community=community, category=noise, building=building, reporter=resident,
                      status=S.IN_PROGRESS, description="夜里唱歌", created_at=now - dt.timedelta(days=10),
                      fix_due_at=now + dt.timedelta(days=5))
    handled = CaseFactory(community=community, category=leak, building=b2, reporter=resident, status=S.DISPATCHED,
                          handler_user=landlord, description="楼上漏水", dispatched_at=now)
    late = CaseFactory(community=community, category=noise, building=b2, reporter=resident, status=S.DISPATCHED,
                       description="装修噪音", created_at=now - dt.timedelta(hours=30),
                       ack_due_at=now - dt.timedelta(hours=6))
    closed = CaseFactory(community=community, category=noise, building=b2, reporter=resident, status=S.CLOSED,
                         description="狗叫")
    foreign = CaseFactory(community=other_community, description="别的社区")
    return {"old": old, "handled": handled, "late": late, "closed": closed, "foreign": foreign, "noise": noise,
            "leak": leak, "b2": b2, "building": building}


def test_the_staff_list_shows_the_communitys_cases_only(client, committee_staff, party_secretary, listed_cases):
    c = listed_cases
    expected = sorted(c[k].pk for k in ("old", "handled", "late", "closed"))
    assert sorted(listed(as_user(client, committee_staff).get(reverse("communities:case_list")))) == expected
    assert sorted(listed(as_user(client, party_secretary).get(reverse("communities:case_list")))) == expected


def test_filtering_by_another_communitys_building_shows_nothing_of_it(client, committee_staff, listed_cases):
    foreign = listed_cases["foreign"]
    foreign_building = BuildingFactory(community=foreign.community, name="外社区楼")
    Case.objects.filter(pk=foreign.pk).update(building=foreign_building)
    as_user(client, committee_staff)
    shown = listed(client.get(reverse("communities:case_list"), {"building": foreign_building.pk}))
    assert foreign.pk not in shown
    # Another community's building is no valid filter: the export is refused (back to the list, which says
    # why) rather than run without the filter, so the foreign case is in no sheet.
    export = client.get(reverse("communities:case_export"), {"building": foreign_building.pk})
    assert export.status_code == 302 and export["Content-Type"].startswith("text/html")


def test_town_staff_see_every_communitys_cases(client, town_staff, listed_cases):
    assert listed_cases["foreign"].pk in listed(as_user(client, town_staff).get(reverse("communities:case_list")))


@pytest.mark.parametrize("query,expected", [
    ({"status": "dispatched"}, ["handled", "late"]),
    ({"status": "open"}, ["old", "handled", "late"]),
    ({"status": "closed"}, ["closed"]),
    ({"category": "leak"}, ["handled"]),
    ({"building": "building"}, ["old"]),
    ({"handler": "landlord"}, ["handled"]),
    ({"overdue": "on"}, ["late"]),
    ({"date_to": -5}, ["old"]),
    ({"date_from": -5}, ["handled", "late", "closed"]),
    ({"date_from": -11, "date_to": -9}, ["old"]),
    ({"q": "漏水"}, ["handled"]),
    ({"q": "#late"}, ["late"]),
    ({"q": "late"}, ["late"]),
    ({"q": "没有这种事"}, []),
    ({"status": "no-such-status"}, ["old", "handled", "late", "closed"]),   # ignored, never an error page
])
def test_the_staff_list_filters(client, committee_staff, landlord, listed_cases, query, expected):
    c = listed_cases
    today = timezone.localdate()
    params = {}
    for key, value in query.items():
        if key in ("category", "building"):
            params[key] = c[value].pk
        elif key == "handler":
            params[key] = landlord.pk
        elif key.startswith("date_"):
            params[key] = (today + dt.timedelta(days=value)).isoformat()
        elif key == "q" and value.lstrip("#") in c:
            params[key] = value.replace(value.lstrip("#"), str(c[value.lstrip("#")].pk))
        else:
            params[key] = value
    response = as_user(client, committee_staff).get(reverse("communities:case_list"), params)
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(c[k].pk for k in expected)


def test_the_staff_list_paginates(client, community, committee_staff):
    category = CaseCategoryFactory(community=community, code="noise", name="噪音扰民")
    cases = [CaseFactory(community=community, category=category,
                         created_at=timezone.now() - dt.timedelta(minutes=i)) for i in range(30)]
    as_user(client, committee_staff)
    first = client.get(reverse("communities:case_list"))
    second = client.get(reverse("communities:case_list"), {"page": 2})
    assert first.context["page"].paginator.count == 30
    assert listed(first) == [c.pk for c in cases[:25]]
    assert listed(second) == [c.pk for c in cases[25:]]
    assert "共 30 件" in first.content.decode()
    assert "page=2" in first.content.decode()


# --- export ----------------------------------------------------------------------------------------------------------

def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_export_matches_the_filtered_list_with_full_phones_for_committee_staff(client, committee_staff,
                                                                                 resident, listed_cases):
    phone = resident.person.phone
    as_user(client, committee_staff)
    listed_ids = listed(client.get(reverse("communities:case_list"), {"status": "open"}))

    response = client.get(reverse("communities:case_export"), {"status": "open"})

    header, rows = sheet_rows(response)
    assert header[0] == "编号" and header[9] == "反映人电话"
    assert [r[0] for r in rows] == listed_ids
    assert {r[8] for r in rows} == {"王阿姨"}
    assert {r[9] for r in rows} == {phone}
    overdue = {r[0]: r[12] for r in rows}
    assert overdue[listed_cases["late"].pk] == "是" and overdue[listed_cases["old"].pk] in ("", None)
    logged = PersonalDataAccess.objects.filter(viewer=committee_staff, kind=PersonalDataAccess.Kind.EXPORT)
    assert logged.count() == len(rows)
    assert set(logged.values_list("person", flat=True)) == {resident.person.pk}
    audit = AuditEvent.objects.get(action="cases.export")
    assert (audit.actor, audit.detail["rows"]) == (committee_staff, len(rows))


def test_the_export_masks_phones_for_the_party_secretary(client, party_secretary, resident, listed_cases):
    phone = resident.person.phone
    response = as_user(client, party_secretary).get(reverse("communities:case_export"))
    _, rows = sheet_rows(response)
    assert len(rows) == 4
    assert {r[9] for r in rows} == {mask_phone(phone)}
    assert not PersonalDataAccess.objects.exists()
    assert AuditEvent.objects.filter(actor=party_secretary, action="cases.export").count() == 1


# --- dashboard -------------------------------------------------------------------------------------------------------

def rated_case(community, *, acked_after_hours, fix_due_in_hours, status, score=None):
    now = timezone.now()
    created = now - dt.timedelta(days=2)
    case = CaseFactory(community=community, created_at=created, dispatched_at=created, status=status,
                       acknowledged_at=created + dt.timedelta(hours=acked_after_hours),
                       ack_due_at=created + dt.timedelta(hours=24),
                       fix_due_at=now + dt.timedelta(hours=fix_due_in_hours))
    if score:
        CaseRatingFactory(case=case, score=score)
    return case


@pytest.fixture
def rates_example(community):
    # response: 3 of 4 acknowledged in time; resolution: 1 of the 2 due by now closed;
    # satisfaction: 2 of 3 ratings satisfied or basic.
    rated_case(community, acked_after_hours=1, fix_due_in_hours=-24, status=S.CLOSED, score="satisfied")
    rated_case(community, acked_after_hours=30, fix_due_in_hours=-1, status=S.IN_PROGRESS)
    rated_case(community, acked_after_hours=2, fix_due_in_hours=48, status=S.CLOSED, score="unsatisfied")
    rated_case(community, acked_after_hours=3, fix_due_in_hours=48, status=S.CLOSED, score="basic")
    case_summaries_refresh()  # what Celery beat does every minute


@pytest.mark.parametrize("persona", ["committee_staff", "party_secretary"])
def test_the_dashboard_shows_the_three_rates_of_their_community(client, request, rates_example, other_community,
                                                               persona):
    response = as_user(client, request.getfixturevalue(persona)).get(reverse("communities:dashboard"))
    assert response.status_code == 200
    [board] = response.context["boards"]
    assert board.community.slug == "rongting"
    r = board.rates
    assert (r.response.numerator, r.response.denominator) == (3, 4)
    assert (r.resolution.numerator, r.resolution.denominator) == (1, 2)
    assert (r.satisfaction.numerator, r.satisfaction.denominator) == (2, 3)
    html = response.content.decode()
    for text in ("响应率", "解决率", "满意率", "75.0%", "50.0%", "66.7%", "3/4", "1/2", "2/3", "蓉庭居民区"):
        assert text in html
    assert "美兰花园" not in html


def test_town_staff_see_every_community_side_by_side(client, town_staff, community, village, other_community,
                                                     rates_example):
    response = as_user(client, town_staff).get(reverse("communities:dashboard"))
    names = [b.community.name for b in response.context["boards"]]
    assert {"蓉庭居民区", "光明村", "美兰花园"} <= set(names)
    rongting = next(b for b in response.context["boards"] if b.community == community)
    meilan = next(b for b in response.context["boards"] if b.community == other_community)
    assert rongting.rates.response.denominator == 4
    assert meilan.rates.response.value is None
    html = response.content.decode()
    assert all(name in html for name in ("蓉庭居民区", "光明村", "美兰花园"))


def test_outsiders_and_residents_get_no_dashboard(client, outsider, tenant):
    for user in (outsider, tenant):
        assert as_user(client, user).get(reverse("communities:dashboard")).status_code == 403


# --- query counts do not grow with the rows shown ---------------------------------------------------------------------

def count_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def varied_cases(community, n, *, new_buildings=False, **fields):
    """Cases that touch every relation a list row shows: unit and building, place, handler person or team."""
    categories = [CaseCategoryFactory(community=community, code=f"c{i}", name=f"类别{i}") for i in range(3)]
    handler = make_member(community, Role.SUBLANDLORD, username=f"h-{community.slug}-{n}", name="处理人")
    team = TeamFactory(community=community)
    # The same three buildings each time: a list row is what should vary, not the filter's choices.
    buildings = [] if new_buildings else [
        Building.objects.get_or_create(community=community, name=f"{i + 11}号楼")[0] for i in range(3)]
    place = PublicPlace.objects.get_or_create(community=community, name="东门")[0]
    out = []
    for i in range(n):
        building = BuildingFactory(community=community) if new_buildings else buildings[i % 3]
        kind = i % 3
        full = i == 0  # the first row touches every relation, so one row already costs every query
        out.append(CaseFactory(
            community=community, category=categories[i % 3], building=building,
            unit=UnitFactory(building=building) if kind == 0 else None,
            handler_user=handler if kind == 1 or full else None, handler_team=team if kind == 2 or full else None,
            public_place=place if kind == 2 or full else None, place_text="东门" if kind == 2 else "", **fields))
    return out


def test_the_staff_list_query_count_does_not_grow(client, community, committee_staff, django_assert_max_num_queries):
    varied_cases(community, 1, status=S.DISPATCHED)
    as_user(client, committee_staff)
    url = reverse("communities:case_list")
    filtered = {"status": "open", "q": "吵", "overdue": "on"}  # a "more" filter: its choices load too
    at_one, at_one_filtered = count_queries(client, url), count_queries(client, url, filtered)
    varied_cases(community, 49, status=S.DISPATCHED)
    with django_assert_max_num_queries(at_one):
        assert len(client.get(url).context["page"]) == 25
    with django_assert_max_num_queries(at_one_filtered):
        client.get(url, filtered)


def test_the_staff_list_query_count_does_not_grow_with_buildings(client, community, committee_staff,
                                                                django_assert_max_num_queries):
    varied_cases(community, 1, new_buildings=True, status=S.DISPATCHED)
    as_user(client, committee_staff)
    url = reverse("communities:case_list")
    at_one = count_queries(client, url)
    varied_cases(community, 49, new_buildings=True, status=S.DISPATCHED)
    with django_assert_max_num_queries(at_one):
        client.get(url)


def test_my_list_query_count_does_not_grow(client, community, resident, neighbour, django_assert_max_num_queries):
    varied_cases(community, 1, reporter=resident)
    as_user(client, resident)
    url = reverse("communities:case_mine")
    at_one = count_queries(client, url)
    for i, case in enumerate(varied_cases(community, 49, reporter=neighbour, status=S.IN_PROGRESS)):
        if i % 2:
            case.followers.add(resident)
        else:
            Case.objects.filter(pk=case.pk).update(reporter=resident)
    with django_assert_max_num_queries(at_one):
        assert len(client.get(url).context["page"]) == 20


def test_the_queue_query_count_does_not_grow(client, community, landlord, django_assert_max_num_queries):
    [first] = varied_cases(community, 1, status=S.DISPATCHED)  # a row with every relation
    Case.objects.filter(pk=first.pk).update(handler_user=landlord)
    as_user(client, landlord)
    url = reverse("communities:case_queue")
    at_one = count_queries(client, url)
    for case in varied_cases(community, 49, status=S.IN_PROGRESS):
        Case.objects.filter(pk=case.pk).update(handler_user=landlord, handler_team=None)
    with django_assert_max_num_queries(at_one):
        assert len(client.get(url).context["page"]) == 20


def test_the_detail_page_query_count_does_not_grow_with_events_and_photos(client, dispatched, committee_staff,
                                                                        community, django_assert_max_num_queries):
    """Measured with the page's history rendered afresh (``CACHES["pages"]`` cleared): the uncached path."""
    as_user(client, committee_staff)
    url = detail_url(dispatched)
    client.get(url)
    caches["pages"].clear()
    at_one = count_queries_fresh(client, url)
    for i in range(48):
        actor = make_member(community, Role.RESIDENT, username=f"follower{i}") if i % 3 else None
        event = CaseEvent.objects.create(case=dispatched, actor=actor, action="follow" if actor else "escalate",
                                         from_status=S.DISPATCHED, to_status=S.DISPATCHED, data={"level": 1})
        if i % 4 == 0:
            CasePhoto.objects.create(case=dispatched, event=event, image=f"case-photos/test/{i}.jpg",
                                     uploaded_by=committee_staff)
    caches["pages"].clear()
    with django_assert_max_num_queries(at_one):
        response = client.get(url)
    timeline = response.content.decode().split('id="timeline-title"')[1]
    assert timeline.count('<li class="list-group-item">') == 50
    assert timeline.count("<img ") == 12


def count_queries_fresh(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_query_count_does_not_grow_with_cases(client, community, committee_staff,
                                                           django_assert_max_num_queries):
    rated_case(community, acked_after_hours=1, fix_due_in_hours=-1, status=S.CLOSED, score="satisfied")
    case_summaries_refresh()
    as_user(client, committee_staff)
    url = reverse("communities:dashboard")
    at_one = count_queries(client, url)
    for i in range(49):
        rated_case(community, acked_after_hours=i, fix_due_in_hours=i - 20,
                   status=S.CLOSED if i % 2 else S.IN_PROGRESS, score="basic" if i % 2 else None)
    case_summaries_refresh()
    with django_assert_max_num_queries(at_one):
        board = client.get(url).context["boards"][0]
    assert board.filed == 50


def test_the_town_dashboard_query_count_does_not_grow_with_communities(client, town_staff, community,
                                                                      django_assert_max_num_queries):
    CaseFactory(community=community)
    case_summaries_refresh()
    as_user(client, town_staff)
    url = reverse("communities:dashboard")
    at_one = count_queries(client, url)
    for i in range(10):
        other = CommunityFactory(slug=f"extra-{i}", name=f"加测社区{i}")
        varied_cases(other, 3)
    case_summaries_refresh()
    with django_assert_max_num_queries(at_one):
        assert len(client.get(url).context["boards"]) >= 11


# --- the list's filters on demand and the town overview -------------------------------------------------------------

def test_the_list_offers_search_and_status_and_more_filters_on_request(client, community, committee_staff,
                                                                       listed_cases):
    as_user(client, committee_staff)
    url = reverse("communities:case_list")
    plain = client.get(url)
    assert set(plain.context["filter_form"].fields) == {"q", "status"}
    assert "更多筛选" in plain.content.decode()
    more = client.get(url, {"more": "1"})
    assert {"category", "building", "handler", "overdue", "date_from", "date_to"} <= set(more.context["filter_form"].fields)
    assert "更多筛选" not in more.content.decode()
    # A link with one of those filters opens them too, and the filter applies.
    leak = CaseCategory.objects.get(community=community, code="leak")
    filtered = client.get(url, {"category": leak.pk})
    assert "category" in filtered.context["filter_form"].fields
    assert listed(filtered) == [listed_cases["handled"].pk]


def test_the_town_overview_is_a_table_and_each_row_opens_that_communitys_board(client, town_staff, community,
                                                                              village, other_community,
                                                                              rates_example):
    as_user(client, town_staff)
    overview = client.get(reverse("communities:dashboard"))
    html = overview.content.decode()
    assert overview.context["overview"] and "ld-overview" in html
    assert f'href="?community={community.slug}"' in html
    one = client.get(reverse("communities:dashboard"), {"community": community.slug})
    [board] = one.context["boards"]
    assert board.community == community and not one.context["overview"]
    assert (board.rates.response.numerator, board.rates.response.denominator) == (3, 4)
    assert "返回全部社区" in one.content.decode()
    assert client.get(reverse("communities:dashboard"), {"community": "no-such"}).status_code == 404


def test_staff_cannot_open_another_communitys_board(client, committee_staff, community, other_community):
    as_user(client, committee_staff)
    assert client.get(reverse("communities:dashboard"), {"community": other_community.slug}).status_code == 404
