"""The 郡园 hub (/talents/) as one product: a card per area (达人课堂, 预约服务, 治理小分队, 我的志愿时长, 本周活动)
shown only to whom the policy allows, the hosts' links, the staff's management links; every link on the hub opens
for the user who sees it; constant queries at 1 and 50 studios, classes, services and squads."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Role, Team, VolunteerHours
from communities.services.teams import team_member_join
from talents.models import ServiceSlot, SquadProposal, StudioService
from talents.services.enrolment import enrolment_leave, enrolment_request
from talents.services.sessions import class_sessions_generate

from ..factories import make_member
from .classes_world import (  # noqa: F401
    HOUR, MONDAY, at, frozen, host, jy_staff, junyuan, make_class, make_studio, own, resident, studio,
)

pytestmark = pytest.mark.django_db

HUB = reverse("talents:hub")


def _area(junyuan, host, first: int, n: int, *, member=None):
    """``n`` studios, each with a weekly class (sessions generated), an ID-photo service with two slots this
    week (one full) and a squad (``member`` in it)."""
    for i in range(first, first + n):
        studio = make_studio(junyuan, name=f"工作室{i:02d}", slug=f"s{i}", host=host)
        tc = make_class(studio, organiser=host, title=f"课程{i:02d}", first_starts_at=at(2, 9),
                        rrule="FREQ=WEEKLY;BYDAY=WE")
        class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
        service = StudioService.objects.create(studio=studio, created_by=host, title=f"服务{i:02d}",
                                               duration_minutes=15)
        full = ServiceSlot.objects.create(service=service, starts_at=at(1, 9), ends_at=at(1, 9) + HOUR / 4)
        ServiceSlot.objects.create(service=service, starts_at=at(3, 10), ends_at=at(3, 10) + HOUR / 4, capacity=2)
        full.bookings.create(user=host)
        squad = Team.objects.create(community=junyuan, name=f"小分队{i:02d}", kind=Team.Kind.SQUAD)
        if member is not None:
            team_member_join(team=squad, user=member, invited_by=host)


def _paths(html) -> set[str]:
    """The paths the page links to, without their query strings."""
    return {href.split("?")[0] for href in re.findall(r'href="(/[^"#]*)"', html)}


def _hub(client, user) -> str:
    client.force_login(user)
    response = client.get(HUB)
    assert response.status_code == 200
    return response.content.decode()


# --- the cards, by role -------------------------------------------------------------------------------------

def test_a_resident_sees_classes_services_squads_and_hours_not_the_staff_links(client, junyuan, host, frozen):
    viewer = resident(junyuan, "jy_gran5")
    _area(junyuan, host, 0, 1, member=viewer)
    html = _hub(client, viewer)
    for heading in ("本周活动", "达人课堂", "预约服务", "治理小分队", "我的志愿时长"):
        assert heading in html
    assert "课程00" in html  # this week's session on the board
    assert reverse("talents:my_classes") in html and reverse("talents:my_children") in html
    # The full 9:00 slot is skipped: the next free one is Thursday 10:00.
    assert reverse("talents:service_detail", args=[StudioService.objects.get().pk]) in html
    assert "最近可约：03-05 10:00" in html and reverse("talents:my_appointments") in html
    assert "小分队00" in html and reverse("talents:squad_propose") not in _paths(html)  # only talents propose
    assert reverse("communities:hours_mine") in html and "平台记录合计：0.0 小时" in html
    for staff_only in ("talents:qualification_list", "communities:hours_review", "communities:certificate_register",
                       "communities:room_list", "talents:studio_new"):
        assert reverse(staff_only) not in _paths(html)


def test_the_classes_card_says_how_many_children_a_guardian_registered(client, junyuan, host, frozen):
    from talents.models import Guardianship
    from talents.services.children import child_add

    gran = resident(junyuan, "gran")
    assert "先登记孩子，再为孩子报名" in _hub(client, gran)
    child_add(guardian=gran, community=junyuan, name="小明", birth_year=2018, birth_month=5,
              relation=Guardianship.Relation.choices[0][0], pickup_phone="13912345678", consent=True, now=MONDAY)
    html = _hub(client, gran)
    assert "已登记 1 个孩子" in html and "先登记孩子" not in html


def test_an_offer_waiting_for_an_answer_shows_on_the_classes_card(client, junyuan, studio, host, frozen):
    tc = make_class(studio, organiser=host, capacity=1, title="满员班")
    first, second = resident(junyuan, "first"), resident(junyuan, "second")
    enrolment_request(talent_class=tc, actor=first, person_ids=own(first), now=MONDAY)
    enrolment_request(talent_class=tc, actor=second, person_ids=own(second), now=MONDAY)
    assert "候补 1" in _hub(client, second)
    enrolment_leave(entry_id=first.class_enrolments.get().pk, actor=first, now=MONDAY)
    assert "有 1 个名额等您确认" in _hub(client, second)


def test_hours_card_totals_the_platform_record_without_calling_it_a_certificate(client, junyuan, jy_staff, frozen):
    mum = make_member(junyuan, Role.VOLUNTEER, username="mum1", name="王芳")
    VolunteerHours.objects.create(
        community=junyuan, volunteer=mum, activity="绘本共读", place="书香工作室", starts_at=at(-7, 9),
        ends_at=at(-7, 10, 30), minutes=90, source_kind="manual", entered_by=jy_staff,
        status=VolunteerHours.Status.RECORDED, confirmed_by=jy_staff, confirmed_how=VolunteerHours.How.ORGANISER)
    html = _hub(client, mum)
    card = html[html.index('id="hub-area-hours"'):]
    card = card[:card.index("</section>")]
    assert "平台记录合计：1.5 小时" in card and "证明" not in card


def test_the_mothers_rota_shows_to_its_mothers_its_manager_and_staff_only(client, junyuan, host, jy_staff, frozen):
    from communities.models import Rota, RotaMember

    mum = make_member(junyuan, Role.VOLUNTEER, username="mum1", name="王芳")
    rota = Rota.objects.create(community=junyuan, name="宝妈志愿授课（阅读与作业辅导）", kind=Rota.Kind.TEACHING,
                               manager=host, place="书香工作室")
    RotaMember.objects.create(rota=rota, user=mum, order=1)
    Rota.objects.create(community=junyuan, name="夜间巡逻", kind=Rota.Kind.PATROL, manager=host)
    url = reverse("communities:rota_calendar", args=[rota.pk])
    for user in (mum, host, jy_staff):
        html = _hub(client, user)
        assert "宝妈轮流" in html and url in html and "夜间巡逻" not in html, user
        assert client.get(url).status_code == 200
    assert "宝妈轮流" not in _hub(client, resident(junyuan, "neighbour"))


def test_a_host_gets_new_class_services_and_rooms_links_for_their_studios(client, junyuan, studio, host, frozen):
    other = make_studio(junyuan, name="书香工作室", slug="shuxiang")
    paths = _paths(_hub(client, host))
    assert reverse("talents:class_new", args=[studio.slug]) in paths
    assert reverse("talents:studio_services_manage", args=[studio.slug]) in paths
    assert reverse("communities:room_list") in paths and reverse("talents:squad_propose") in paths
    assert reverse("talents:class_new", args=[other.slug]) not in paths
    assert reverse("talents:studio_services_manage", args=[other.slug]) not in paths


def test_staff_see_every_management_link_and_the_waiting_proposals(client, junyuan, jy_staff, host, frozen):
    SquadProposal.objects.create(community=junyuan, name="护绿小分队", purpose="照看绿地", proposed_by=host)
    html = _hub(client, jy_staff)
    paths = _paths(html)
    for name in ("talents:studio_new", "talents:qualification_list", "talents:merchant_list", "communities:room_list",
                 "talents:squad_list", "communities:hours_review", "communities:certificate_register",
                 "communities:hours_teams"):
        assert reverse(name) in paths, name
    assert "1 份成立申请待同意" in html


def test_town_staff_read_the_hub_without_the_cards_they_may_not_use(client, junyuan, host, town_staff, frozen):
    _area(junyuan, host, 0, 1)
    html = _hub(client, town_staff)
    assert "达人课堂" in html and "预约服务" in html
    paths = _paths(html)
    assert "我的志愿时长" not in html and reverse("talents:my_classes") not in paths  # town roles do not enrol
    assert reverse("communities:hours_review") not in paths and reverse("communities:hours_mine") not in paths


@pytest.mark.parametrize("persona", ["resident", "host", "staff", "town"])
def test_every_link_on_the_hub_opens_for_the_user_who_sees_it(client, junyuan, host, jy_staff, town_staff, frozen,
                                                              persona):
    viewer = {"resident": lambda: resident(junyuan, "reader"), "host": lambda: host, "staff": lambda: jy_staff,
              "town": lambda: town_staff}[persona]()
    _area(junyuan, host, 0, 2, member=viewer if persona == "resident" else None)
    html = _hub(client, viewer)
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)"', html)
             if not href.startswith(("/static/", "/accounts/logout"))}
    assert len(links) > 10
    refused = {}
    for href in sorted(links):
        status = client.get(href).status_code
        if status != 200:
            refused[href] = status
    assert refused == {}


def test_the_outsider_gets_404(client, junyuan, host, outsider):
    client.force_login(outsider)
    assert client.get(HUB).status_code == 404
    assert client.get(HUB, {"community": "junyuan"}).status_code == 404


# --- query counts -------------------------------------------------------------------------------------------

def _count(client, url) -> int:
    client.get(url)  # warm: the session, the content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("persona", ["resident", "host", "staff"])
def test_the_hub_runs_the_same_queries_at_1_and_50_studios_classes_services_and_squads(
        client, junyuan, host, jy_staff, frozen, django_assert_max_num_queries, persona):
    viewer = {"resident": lambda: resident(junyuan, "reader"), "host": lambda: host,
              "staff": lambda: jy_staff}[persona]()
    member = viewer if persona == "resident" else None
    _area(junyuan, host, 0, 1, member=member)
    client.force_login(viewer)
    one = _count(client, HUB)
    _area(junyuan, host, 1, 49, member=member)
    with django_assert_max_num_queries(one):
        html = client.get(HUB).content.decode()
    # 本周活动 shows the first 40 sessions of the week (talents.selectors.classes.week_sessions).
    assert html.count("最近可约") == 50 and "课程39" in html and "工作室49" in html
    assert ("小分队49" in html) is (persona != "host")  # a host outside the squads sees none of them


def test_the_studio_page_runs_the_same_queries_at_1_and_50_sessions_services_and_featured_classes(
        client, junyuan, studio, host, frozen, django_assert_max_num_queries):
    from talents.models import FeaturedClass

    other = make_studio(junyuan, name="书香工作室", slug="shuxiang", host=host)

    def more(first, n):
        for i in range(first, first + n):
            own_class = make_class(studio, organiser=host, title=f"本室课{i:02d}", rrule="FREQ=DAILY",
                                   first_starts_at=at(0, 9))
            class_sessions_generate(talent_class=own_class, now=MONDAY, weeks=1)
            theirs = make_class(other, organiser=host, title=f"推荐课{i:02d}", rrule="FREQ=DAILY",
                                first_starts_at=at(0, 10))
            class_sessions_generate(talent_class=theirs, now=MONDAY, weeks=1)
            FeaturedClass.objects.create(talent_class=theirs, studio=studio, featured_by=host)
            StudioService.objects.create(studio=studio, created_by=host, title=f"服务{i:02d}")

    more(0, 1)
    viewer = resident(junyuan, "reader")
    client.force_login(viewer)
    url = reverse("talents:studio_detail", args=[studio.slug])
    one = _count(client, url)
    more(1, 49)
    with django_assert_max_num_queries(one):
        html = client.get(url).content.decode()
    assert html.count('href="/talents/services/') == 50 and "服务49" in html
    assert "推荐课" in html and "本室课" in html


def test_town_roles_are_not_shown_links_to_the_pages_of_those_who_enrol_or_book(client, junyuan, host, town_staff,
                                                                               frozen):
    _area(junyuan, host, 0, 1)
    client.force_login(town_staff)
    mine = {reverse("talents:my_classes"), reverse("talents:my_children"), reverse("talents:my_appointments")}
    service = StudioService.objects.get()
    for url in (reverse("talents:class_list"), reverse("talents:service_detail", args=[service.pk])):
        response = client.get(url)
        assert response.status_code == 200 and not (_paths(response.content.decode()) & mine), url
    assert all(client.get(url).status_code == 403 for url in mine)
