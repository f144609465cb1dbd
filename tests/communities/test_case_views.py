"""The case pages: who may open what, the action buttons and POSTs, the filing form (QR path, similar
cases, on-behalf), the lists, the Excel export, the dashboard, an anonymous reporter, and query counts
that do not grow with the rows shown."""
import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from communities import workflow
from communities.models import (
    AuditEvent,
    Building,
    Case,
    CaseCategory,
    CaseEvent,
    CasePhoto,
    CaseRating,
    CaseStatus,
    Notification,
    PersonalDataAccess,
    PublicPlace,
    Role,
    RoutingRule,
    Team,
    mask_phone,
)
from communities.services import case_workflow as wf
from communities.services.case_summaries import case_summaries_refresh
from communities.services.cases import case_file, case_follow
from communities.services.delivery import deliver_notification_email

from ..factories import (
    BuildingFactory,
    CaseCategoryFactory,
    CaseFactory,
    CaseRatingFactory,
    CommunityFactory,
    TeamFactory,
    UnitFactory,
    make_member,
)
from .test_case_services import footprint, make_world, reload

S = CaseStatus
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_ALLOWED = "您不能对这件诉求进行这项操作。"
ALREADY_DONE = "这项操作之前已经完成，无需重复。"
REQUIRED = "这个字段是必填项。"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(case):
    return reverse("communities:case_detail", args=[case.pk])


def action_url(case, action):
    return reverse("communities:case_action", args=[case.pk, action])


def texts(response):
    """The messages waiting after this response (earlier ones stay until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def last_message(response):
    return texts(response)[-1]


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def category(community):
    return CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")


@pytest.fixture
def neighbour(community, building):
    return make_member(community, Role.RESIDENT, username="neighbour", unit=UnitFactory(building=building, room="303"),
                       name="隔壁赵阿姨")


@pytest.fixture
def dispatched(community, category, building, resident, landlord, committee_staff):
    """王阿姨's case about the corridor of 1号楼, dispatched to 陈师傅 (the sublandlord)."""
    case = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="3楼楼道堆满纸箱，过不去人")
    wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_user=landlord)
    return reload(case)


@pytest.fixture
def world(community, building, unit, resident, landlord, committee_staff, party_secretary, outsider, town_secretary):
    return make_world(community, building, reporter=resident, handler=landlord, staff=committee_staff,
                      secretary=party_secretary, outsider=outsider, town_secretary=town_secretary)


# --- case detail: who may open it ------------------------------------------------------------------------------

@pytest.mark.parametrize("persona,status", [
    ("resident", 200),          # the reporter
    ("landlord", 200),          # the handler
    ("committee_staff", 200),
    ("party_secretary", 200),
    ("town_staff", 200),
    ("neighbour", 403),         # same community, nothing to do with the case
    ("tenant", 403),
    ("outsider", 404),          # another community: ids leak nothing
    ("no_role_user", 403),      # no community at all: refused before any lookup
])
def test_case_detail_access(client, request, dispatched, persona, status):
    user = request.getfixturevalue(persona)
    response = as_user(client, user).get(detail_url(dispatched))
    assert response.status_code == status
    if status == 200:
        assert "3楼楼道堆满纸箱" in response.content.decode()


def test_case_detail_sends_anonymous_visitors_to_login(client, dispatched):
    response = client.get(detail_url(dispatched))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_follower_may_open_the_case(client, dispatched, neighbour):
    case_follow(case_id=dispatched.pk, user=neighbour)
    assert as_user(client, neighbour).get(detail_url(dispatched)).status_code == 200


def test_an_unknown_case_is_404(client, committee_staff):
    assert as_user(client, committee_staff).get(reverse("communities:case_detail", args=[999999])).status_code == 404


# --- the buttons the table allows for this user ------------------------------------------------------------------

def offered(response, case) -> set[str]:
    html = response.content.decode()
    return {a for a in workflow.ACTIONS if f'action="{action_url(case, a)}"' in html}


def test_the_reporter_of_a_submitted_case_sees_withdraw_and_not_dispatch(client, world):
    case = world.at(S.SUBMITTED)
    response = as_user(client, world.reporter).get(detail_url(case))
    assert offered(response, case) == {"withdraw"}
    assert "撤回" in response.content.decode()


def test_staff_see_dispatch_refer_reject_merge_on_a_submitted_case(client, world):
    case = world.at(S.SUBMITTED)
    response = as_user(client, world.staff).get(detail_url(case))
    assert offered(response, case) == {"dispatch", "refer", "reject", "merge"}
    assert "派单" in response.content.decode()


def test_the_handler_sees_only_acknowledge_on_a_dispatched_case(client, world):
    case = world.at(S.DISPATCHED)
    assert offered(as_user(client, world.handler).get(detail_url(case)), case) == {"acknowledge"}


def test_the_handler_sees_report_fixed_and_staff_verify_when_it_is_their_turn(client, world):
    case = world.at(S.IN_PROGRESS)
    assert offered(as_user(client, world.handler).get(detail_url(case)), case) == {"report_fixed"}
    assert offered(as_user(client, world.staff).get(detail_url(case)), case) == set()
    case = world.at(S.AWAITING_VERIFICATION)
    assert offered(as_user(client, world.staff).get(detail_url(case)), case) == {"verify_pass", "verify_fail"}
    assert offered(as_user(client, world.handler).get(detail_url(case)), case) == set()


def test_the_party_secretary_and_a_follower_see_no_buttons(client, world):
    case = world.at(S.SUBMITTED)
    case_follow(case_id=case.pk, user=world.neighbour)
    for user in (world.secretary, world.neighbour):
        response = as_user(client, user).get(detail_url(case))
        assert offered(response, case) == set()
        assert "可以进行的操作" not in response.content.decode()


def test_the_reporter_is_offered_rating_once_and_reopen_only_after_an_unsatisfied_rating(client, world):
    case = world.at(S.CLOSED)
    response = as_user(client, world.reporter).get(detail_url(case))
    assert reverse("communities:case_rate", args=[case.pk]) in response.content.decode()
    assert offered(response, case) == set()
    assert reverse("communities:case_rate", args=[case.pk]) not in as_user(client, world.staff).get(
        detail_url(case)).content.decode()

    wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    response = as_user(client, world.reporter).get(detail_url(case))
    assert offered(response, case) == {"reopen"}
    assert reverse("communities:case_rate", args=[case.pk]) not in response.content.decode()

    satisfied = world.at(S.CLOSED)
    wf.case_rate(case_id=satisfied.pk, actor=world.reporter, score=CaseRating.Score.SATISFIED)
    assert offered(as_user(client, world.reporter).get(detail_url(satisfied)), satisfied) == set()


# --- action POSTs --------------------------------------------------------------------------------------------------

def post_data(world, action):
    return {
        "dispatch": {"handler_user": world.handler.pk},
        "refer": {"agency": world.agency.pk, "note": "转城管中队处理"},
        "acknowledge": {},
        "report_fixed": {"note": "纸箱已清走"},
        "verify_pass": {"note": "上门看过，楼道已通畅", "visited_at": ""},
        "verify_fail": {"note": "还有两箱没清走"},
        "reject": {"note": "不属于居委管辖"},
        "merge": {"into": world.original.pk, "note": "同一处堆物"},
        "withdraw": {"note": "已自行解决"},
        "reopen": {"note": "过了两天又堆上了"},
    }[action]


FIRST_OF_EACH_ACTION = list({t.action: t for t in reversed(workflow.TRANSITIONS)}.values())


def relation_user(world, t):
    return world.persona(next(r for r in ("staff", "handler", "reporter") if r in t.who))


@pytest.mark.parametrize("t", FIRST_OF_EACH_ACTION, ids=lambda t: t.action)
def test_each_action_by_the_right_role_succeeds_and_says_so_in_chinese(client, world, t):
    case = world.at(t.source)
    if t.action == "reopen":
        wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)

    response = as_user(client, relation_user(world, t)).post(action_url(case, t.action), post_data(world, t.action))

    assert response.status_code == 302
    assert response["Location"] == detail_url(case)
    assert texts(response) == [f"已完成：{t.label}。"]
    assert reload(case).status == t.target


@pytest.mark.parametrize("t,wrong", [
    (t, wrong) for t in FIRST_OF_EACH_ACTION for wrong in ("reporter", "handler", "staff", "secretary")
    if wrong not in t.who
], ids=lambda v: v if isinstance(v, str) else v.action)
def test_each_action_by_a_wrong_role_is_refused_with_a_message_and_changes_nothing(client, world, t, wrong):
    case = world.at(t.source)
    if t.action == "reopen":
        wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    before = footprint(case)

    response = as_user(client, world.persona(wrong)).post(action_url(case, t.action), post_data(world, t.action))

    if wrong == "handler" and t.source == S.SUBMITTED:
        # Not the handler yet: the sublandlord may not even open the case.
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert texts(response) == [NOT_ALLOWED]
    assert footprint(case) == before


def test_an_action_the_state_does_not_allow_is_refused_with_a_chinese_message(client, world):
    case = world.at(S.SUBMITTED)
    before = footprint(case)
    response = as_user(client, world.staff).post(action_url(case, "verify_pass"), {"note": "看过了"})
    assert response.status_code == 302
    assert texts(response) == ["这件诉求现在是“已提交”，不能进行这项操作。"]
    assert footprint(case) == before


def test_a_double_click_is_harmless_and_says_so(client, world):
    case = world.at(S.DISPATCHED)
    as_user(client, world.handler)
    client.post(action_url(case, "acknowledge"), {})
    before = footprint(case)
    response = client.post(action_url(case, "acknowledge"), {})
    assert last_message(response) == ALREADY_DONE
    assert footprint(case) == before


@pytest.mark.parametrize("action,state,data", [
    ("verify_fail", S.AWAITING_VERIFICATION, {"note": ""}),
    ("reject", S.SUBMITTED, {}),
    ("dispatch", S.SUBMITTED, {}),                     # neither a person nor a team
    ("merge", S.SUBMITTED, {"into": "abc"}),
    ("report_fixed", S.IN_PROGRESS, {"note": "  "}),
])
def test_an_invalid_action_form_is_400_and_changes_nothing(client, world, action, state, data):
    case = world.at(state)
    actor = world.handler if action == "report_fixed" else world.staff
    before = footprint(case)
    response = as_user(client, actor).post(action_url(case, action), data)
    assert response.status_code == 400
    bound = dict(response.context["action_forms"])
    form = next(f for t, f in bound.items() if t.action == action)
    errors = [str(e) for errs in form.errors.values() for e in errs]
    assert errors and all(CHINESE.search(e) for e in errors)
    assert all(e in response.content.decode() for e in errors)
    assert footprint(case) == before


def test_an_unknown_action_is_404(client, world):
    case = world.at(S.SUBMITTED)
    assert as_user(client, world.staff).post(action_url(case, "explode"), {}).status_code == 404


def test_actions_are_post_only_and_closed_to_outsiders(client, world):
    case = world.at(S.SUBMITTED)
    assert as_user(client, world.staff).get(action_url(case, "reject")).status_code == 405
    before = footprint(case)
    assert as_user(client, world.outsider).post(action_url(case, "withdraw"), {}).status_code == 404
    assert as_user(client, world.neighbour).post(action_url(case, "withdraw"), {}).status_code == 403
    client.logout()
    response = client.post(action_url(case, "withdraw"), {})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert footprint(case) == before


def test_rating_through_the_page(client, world):
    case = world.at(S.CLOSED)
    url = reverse("communities:case_rate", args=[case.pk])
    assert last_message(as_user(client, world.staff).post(url, {"score": "satisfied"})) == "只有反映人可以评价。"
    assert last_message(as_user(client, world.reporter).post(url, {"score": "wonderful"})) == "请选择满意、基本满意或不满意。"
    assert not CaseRating.objects.exists()
    assert last_message(client.post(url, {"score": "basic", "reasons": ["speed"]})) == "谢谢您的评价。"
    assert last_message(client.post(url, {"score": "unsatisfied"})) == "您已经评价过了。"
    assert CaseRating.objects.get().score == "basic"


# --- the filing form ---------------------------------------------------------------------------------------------

def jpeg_bytes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 200)).save(out, "JPEG")
    return out.getvalue()


def filing(community, category, **extra):
    data = {"community": community.slug, "category": category.pk, "place_kind": "building",
            "description": "楼道灯坏了一个星期", "place_text": "3楼楼梯口"}
    data.update(extra)
    return data


def test_the_qr_path_preselects_the_building_and_lists_similar_open_cases(client, community, category, building,
                                                                        resident, neighbour, committee_staff):
    open_case = case_file(filed_by=neighbour, community=community, category=category, building=building,
                          description="1号楼楼道堆物")
    closed = CaseFactory(community=community, category=category, building=building, status=S.CLOSED,
                         reporter=neighbour)
    elsewhere = CaseFactory(community=community, category=category, reporter=neighbour,
                            building=BuildingFactory(community=community, name="2号楼"))

    response = as_user(client, resident).get(reverse("communities:case_new"), {"building": building.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"]["building"].value() in (building, building.pk)
    assert f'<option value="{building.pk}" selected>' in html
    assert [c.pk for c in response.context["similar"]] == [open_case.pk]
    follow = reverse("communities:case_follow", args=[open_case.pk])
    assert re.search(rf'<form method="post" action="{follow}">.*?<button[^>]*type="submit">[^<]*关注', html, re.DOTALL)
    assert reverse("communities:case_follow", args=[closed.pk]) not in html
    assert reverse("communities:case_follow", args=[elsewhere.pk]) not in html


def test_following_from_the_filing_page_puts_the_case_in_my_list(client, community, category, building, resident,
                                                               neighbour):
    case = case_file(filed_by=neighbour, community=community, category=category, building=building,
                     description="1号楼楼道堆物")
    response = as_user(client, resident).post(reverse("communities:case_follow", args=[case.pk]))
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    assert texts(response) == ["已关注，处理进展会通知您。"]
    mine = client.get(reverse("communities:case_mine"))
    assert [c.pk for c in mine.context["page"]] == [case.pk]


def test_the_qr_path_of_a_public_place_preselects_it(client, community, category, resident, neighbour):
    square = PublicPlace.objects.create(community=community, name="中心广场")
    there = case_file(filed_by=neighbour, community=community, category=category, public_place=square,
                      description="广场舞音响太响")
    response = as_user(client, resident).get(reverse("communities:case_new"), {"place": square.pk})
    assert response.status_code == 200
    assert f'<option value="{square.pk}" selected>' in response.content.decode()
    assert [c.pk for c in response.context["similar"]] == [there.pk]


def test_a_qr_code_of_another_community_is_404(client, resident, other_community):
    foreign = BuildingFactory(community=other_community, name="9号楼")
    assert as_user(client, resident).get(reverse("communities:case_new"), {"building": foreign.pk}).status_code == 404


def test_filing_a_valid_case_with_a_photo_creates_it_and_redirects_to_it(client, community, category, building,
                                                                        resident, committee_staff):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = as_user(client, resident).post(
        reverse("communities:case_new"), filing(community, category, building=building.pk, photos=[photo]))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    assert texts(response) == [f"已提交，编号 #{case.pk}。处理进展会通知您。"]
    assert (case.reporter, case.building, case.channel, case.status) == (resident, building, "app", S.SUBMITTED)
    assert case.photos.count() == 1


def test_a_flat_by_building_and_room_is_resolved_and_routed_to_its_sublandlord(client, community, category,
                                                                             building, let_unit, resident, landlord):
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD,
                               only_let_units=True, priority=10)
    response = as_user(client, resident).post(
        reverse("communities:case_new"),
        filing(community, category, place_kind="flat", building=building.pk, room=" 302 ", description="隔壁群租很吵"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.unit == let_unit
    assert (case.status, case.handler_user) == (S.DISPATCHED, landlord)


@pytest.mark.parametrize("bad,message", [
    ("no-category", REQUIRED),
    ("unknown-room", "1号楼 没有房号 999，请核对。"),
    ("text-as-jpeg", "只能上传 JPEG、PNG 或 WebP 格式的照片。"),
    ("no-description", REQUIRED),
    ("building-kind-without-building", "请选择具体的地点。"),
])
def test_bad_filing_input_is_400_in_chinese_and_files_nothing(client, community, category, building, resident,
                                                              bad, message):
    data = filing(community, category, building=building.pk)
    if bad == "no-category":
        data.pop("category")
    elif bad == "unknown-room":
        data.update(place_kind="flat", room="999")
    elif bad == "text-as-jpeg":
        data["photos"] = [SimpleUploadedFile("photo.jpg", "我不是照片，只是文字".encode(), content_type="image/jpeg")]
    elif bad == "no-description":
        data["description"] = ""
    else:
        data.pop("building")

    response = as_user(client, resident).post(reverse("communities:case_new"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_committee_staff_file_on_behalf_with_channel_and_reporter_name(client, community, category, building,
                                                                     committee_staff):
    url = reverse("communities:case_new") + "?on_behalf=1"
    form_page = as_user(client, committee_staff).get(url)
    assert "代居民登记问题" in form_page.content.decode()
    assert "channel" in form_page.context["form"].fields

    response = client.post(url, filing(community, category, building=building.pk, channel="hotline",
                                       reporter_name="赵大爷", reporter_phone="138-0013-8000"))

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.reporter, case.reporter_name, case.reporter_phone, case.filed_by) == (
        "hotline", None, "赵大爷", "13800138000", committee_staff)


def test_on_behalf_needs_a_name_and_a_channel(client, community, category, building, committee_staff):
    url = reverse("communities:case_new") + "?on_behalf=1"
    response = as_user(client, committee_staff).post(url, filing(community, category, building=building.pk))
    assert response.status_code == 400
    assert response.content.decode().count(REQUIRED) >= 2
    assert not Case.objects.exists()


def test_a_mistyped_callers_phone_on_the_on_behalf_form_is_a_400_with_a_chinese_message(client, community, category,
                                                                                      building, committee_staff):
    url = reverse("communities:case_new") + "?on_behalf=1"
    response = as_user(client, committee_staff).post(url, filing(
        community, category, building=building.pk, channel="hotline", reporter_name="赵大爷", reporter_phone="12345"))
    assert response.status_code == 400
    assert "手机号码格式不正确" in response.content.decode()
    assert not Case.objects.exists()


def test_a_resident_cannot_use_the_on_behalf_form(client, community, category, building, resident):
    url = reverse("communities:case_new") + "?on_behalf=1"
    page = as_user(client, resident).get(url)
    assert "channel" not in page.context["form"].fields
    client.post(url, filing(community, category, building=building.pk, channel="hotline", reporter_name="别人"))
    case = Case.objects.get()
    assert (case.channel, case.reporter, case.reporter_name) == ("app", resident, "")


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
    station.members.add(station_staff)
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
    _, rows = sheet_rows(client.get(reverse("communities:case_export"), {"building": foreign_building.pk}))
    assert foreign.pk not in [r[0] for r in rows]


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


# --- an anonymous reporter -------------------------------------------------------------------------------------------

SECRET_NAME, SECRET_PHONE = "韩梅梅", "13912348888"


@pytest.fixture
def anonymous_case(community, category, let_unit, landlord, committee_staff, party_secretary):
    """A tenant of 陈师傅's flat complains about the flat anonymously; it is routed to 陈师傅."""
    reporter = make_member(community, Role.TENANT, username="hanmeimei", name=SECRET_NAME)
    reporter.person.phone = SECRET_PHONE
    reporter.person.save()
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD, priority=10)
    landlord.email = "chen@example.com"
    landlord.save()
    case = case_file(filed_by=reporter, community=community, category=category, unit=let_unit, anonymous=True,
                     description="房间隔成了六间，住了十几个人")
    assert case.handler_user == landlord
    wf.case_acknowledge(case_id=case.pk, actor=landlord)
    wf.case_report_fixed(case_id=case.pk, actor=landlord, note="隔断已拆")
    wf.case_verify_fail(case_id=case.pk, actor=committee_staff, note="还有两间没拆")
    return reload(case)


def secret_free(text):
    return SECRET_NAME not in text and SECRET_PHONE not in text and mask_phone(SECRET_PHONE) not in text


def test_the_handler_of_an_anonymous_case_never_sees_who_reported_it(client, anonymous_case, landlord):
    response = as_user(client, landlord).get(detail_url(anonymous_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert secret_free(html)
    assert "匿名居民" in html
    assert not PersonalDataAccess.objects.exists()


def test_the_handlers_notifications_and_emails_of_an_anonymous_case_name_nobody(anonymous_case, landlord,
                                                                              mailoutbox):
    notes = list(Notification.objects.filter(recipient=landlord))
    assert len(notes) >= 2  # dispatched to them; verification failed
    for note in notes:
        assert secret_free(note.title) and secret_free(note.body)
        assert deliver_notification_email(notification_id=note.pk) is True
    assert len(mailoutbox) == len(notes)
    for mail in mailoutbox:
        assert mail.to == ["chen@example.com"]
        assert secret_free(mail.subject) and secret_free(mail.body)


def test_committee_staff_see_the_anonymous_reporter_and_the_view_is_logged(client, anonymous_case,
                                                                          committee_staff):
    response = as_user(client, committee_staff).get(detail_url(anonymous_case))
    html = response.content.decode()
    assert SECRET_NAME in html and SECRET_PHONE in html
    access = PersonalDataAccess.objects.get()
    assert (access.viewer, access.person.name, access.kind, access.community_id) == (
        committee_staff, SECRET_NAME, PersonalDataAccess.Kind.VIEW, anonymous_case.community_id)


def test_the_party_secretary_sees_the_name_but_not_the_phone(client, anonymous_case, party_secretary):
    html = as_user(client, party_secretary).get(detail_url(anonymous_case)).content.decode()
    assert SECRET_NAME in html
    assert SECRET_PHONE not in html
    assert not PersonalDataAccess.objects.exists()


def test_the_handler_of_a_named_case_sees_the_name_but_not_the_phone(client, dispatched, landlord, resident):
    html = as_user(client, landlord).get(detail_url(dispatched)).content.decode()
    assert "王阿姨" in html
    assert resident.person.phone not in html


def test_viewing_a_walk_in_callers_phone_is_logged_too(client, community, category, building, committee_staff):
    case = case_file(filed_by=committee_staff, community=community, category=category, building=building,
                     description="来访反映楼道堆物", channel=Case.Channel.WALK_IN, reporter_name="赵大爷",
                     reporter_phone="13800138000")
    other_staff = make_member(community, Role.COMMITTEE_STAFF, username="staff2", name="居委小刘")
    html = as_user(client, other_staff).get(detail_url(case)).content.decode()
    assert "13800138000" in html
    assert PersonalDataAccess.objects.filter(viewer=other_staff).exists()


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
    as_user(client, committee_staff)
    url = detail_url(dispatched)
    at_one = count_queries(client, url)
    for i in range(48):
        actor = make_member(community, Role.RESIDENT, username=f"follower{i}") if i % 3 else None
        event = CaseEvent.objects.create(case=dispatched, actor=actor, action="follow" if actor else "escalate",
                                         from_status=S.DISPATCHED, to_status=S.DISPATCHED, data={"level": 1})
        if i % 4 == 0:
            CasePhoto.objects.create(case=dispatched, event=event, image=f"case-photos/test/{i}.jpg",
                                     uploaded_by=committee_staff)
    with django_assert_max_num_queries(at_one):
        response = client.get(url)
    assert len(response.context["timeline"]) == 50


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
