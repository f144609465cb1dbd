"""The case pages: who may open what, the action buttons and POSTs, the filing form (QR path, similar
cases, on-behalf), and an anonymous reporter."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from communities import workflow
from communities.models import (
    Case,
    CasePhoto,
    CaseRating,
    Notification,
    PersonalDataAccess,
    PublicPlace,
    Role,
    RoutingRule,
)
from communities.services import case_workflow as wf
from communities.services.cases import case_file, case_follow
from communities.services.delivery import deliver_notification_email

from ..factories import (
    BuildingFactory,
    CaseFactory,
    make_member,
)
from .case_world import (  # noqa: F401 - fixtures
    S,
    CHINESE,
    NOT_ALLOWED,
    ALREADY_DONE,
    REQUIRED,
    detail_url,
    action_url,
    texts,
    last_message,
    as_user,
    SECRET_NAME,
    SECRET_PHONE,
    anonymous_case,
    secret_free,
    footprint,
    reload,
    category,
    neighbour,
    dispatched,
    world,
)


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


def test_a_follower_may_open_the_case_but_sees_only_its_summary(client, dispatched, neighbour):
    case_follow(case_id=dispatched.pk, user=neighbour)
    response = as_user(client, neighbour).get(detail_url(dispatched))
    assert response.status_code == 200
    html = response.content.decode()
    assert "楼道堆物" in html and "已派单" in html and "1号楼" in html
    assert "3楼楼道堆满纸箱" not in html and "王阿姨" not in html


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
    refused = as_user(client, world.reporter).post(url, {"score": "wonderful"})
    assert refused.status_code == 400 and "请选择满意、基本满意或不满意。" in refused.content.decode()
    assert not CaseRating.objects.exists()
    assert last_message(client.post(url, {"score": "basic", "reasons": ["speed"]})) == "谢谢您的评价。"
    assert last_message(client.post(url, {"score": "unsatisfied", "reasons": ["result"]})) == "您已经评价过了。"
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


# --- an anonymous reporter -------------------------------------------------------------------------------------------

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


def test_a_referred_case_names_its_agency_and_an_unreferred_one_skips_the_lookup(client, world):
    """Referrals are looked up only for a case whose timeline has a "refer" event: the detail page of a
    case never referred does not query them, and a referred one names the agency."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referred, plain = world.at(S.SUBMITTED), world.at(S.SUBMITTED)
    wf.case_refer(case_id=referred.pk, actor=world.staff, agency=world.agency, note="转城管中队处理")
    staff = as_user(client, world.staff)
    lookups = {}
    for case in (plain, referred, plain, referred):  # the second round, after per-process caches are warm
        caches["pages"].clear()  # the page's history rendered afresh each time
        with CaptureQueriesContext(connection) as ctx:
            html = staff.get(detail_url(case)).content.decode()
        lookups[case.pk] = sum("communities_casereferral" in q["sql"] for q in ctx.captured_queries)
        assert ("已转办" in html) == (case == referred)
    assert world.agency.name in staff.get(detail_url(referred)).content.decode()
    assert (lookups[referred.pk], lookups[plain.pk]) == (1, 0)
