"""The classes pages: what a resident, a guardian, a host and staff see and may do; the price block of a trial
class, the safety note, the poster; 本周活动 and a studio's next sessions; constant query counts; policy per
role and another community's 404."""
import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import policy
from talents.models import ClassSession, Enrolment, FeaturedClass, Guardianship, TalentClass
from talents.services.enrolment import enrolment_request
from talents.services.sessions import class_sessions_generate

from .classes_world import (  # noqa: F401
    DAY, MONDAY, at, frozen, gate_open, host, jy_staff, junyuan, make_class, make_studio, other_host, own,
    resident, studio, with_children,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tc(studio, host):
    return make_class(studio, organiser=host, capacity=3, title="长者书法班", audience=TalentClass.Audience.ELDERS)


def page(client, user, name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, args=args), **kwargs)


# --- the class page -----------------------------------------------------------------------------------------

def test_a_resident_sees_the_schedule_seats_rule_and_the_enrol_form(client, tc, junyuan, frozen):
    class_sessions_generate(talent_class=tc, now=MONDAY)
    html = page(client, resident(junyuan, "reader"), "talents:class_detail", tc.pk).content.decode()
    assert "每周二 15:00" in html and "还剩 3 个" in html and "先到先得" in html
    assert "3月3日" in html  # the next session
    assert reverse("talents:class_enrol", args=[tc.pk]) in html and "公益课" in html


def test_a_trial_class_shows_its_posted_price_what_it_includes_and_the_refund_reminder(client, studio, host, junyuan,
                                                                                        frozen):
    trial = make_class(studio, organiser=host, kind=TalentClass.Kind.TRIAL, fee="39.00", fee_includes="香料和器具",
                       title="香道体验课")
    html = page(client, resident(junyuan, "reader"), "talents:class_detail", trial.pk).content.decode()
    assert "¥39.00" in html and "香料和器具" in html and "预付前请先阅读退款规则" in html
    assert "《明码标价和禁止价格欺诈规定》" in html and "不记志愿服务时长" in html and "不在本平台支付" in html


def test_a_risky_class_names_its_organiser_and_safety_note(client, junyuan, host, frozen):
    dojo = make_studio(junyuan, name="空手道工作室", slug="kongshoudao", host=host, kind="karate")
    karate = make_class(dojo, organiser=host, safety_note="上课前热身十分钟，禁止击打头部。", title="少儿空手道")
    html = page(client, resident(junyuan, "reader"), "talents:class_detail", karate.pk).content.decode()
    assert "组织者：书法达人" in html and "禁止击打头部" in html and "第一千一百九十八条" in html


def test_the_waitlist_position_and_an_offer_with_its_deadline_show_on_the_page(client, studio, host, junyuan, frozen):
    tc = make_class(studio, organiser=host, capacity=1)
    first, second = resident(junyuan, "first"), resident(junyuan, "second")
    enrolment_request(talent_class=tc, actor=first, person_ids=own(first), now=MONDAY)
    entry, _ = enrolment_request(talent_class=tc, actor=second, person_ids=own(second), now=MONDAY)
    html = page(client, second, "talents:class_detail", tc.pk).content.decode()
    assert "候补第 1 位" in html and reverse("talents:entry_leave", args=[entry.pk]) in html
    from talents.services.enrolment import enrolment_leave

    enrolment_leave(entry_id=Enrolment.objects.get(account=first).pk, actor=first, now=MONDAY)
    html = page(client, second, "talents:class_detail", tc.pk).content.decode()
    assert "名额为您保留到 2026-03-03 08:00" in html
    assert reverse("talents:entry_accept", args=[entry.pk]) in html and reverse("talents:entry_decline", args=[entry.pk]) in html
    # An offer's one way out is 放弃名额: no second button (退出候补) doing the same beside it.
    assert "放弃名额" in html and reverse("talents:entry_leave", args=[entry.pk]) not in html and "退出候补" not in html
    client.post(reverse("talents:entry_accept", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == Enrolment.Status.ENROLLED


def test_a_bare_weekly_rule_is_said_as_the_weekday_of_the_first_session(client, studio, host, junyuan, frozen):
    tc = make_class(studio, organiser=host, rrule="FREQ=WEEKLY", first_starts_at=at(4, 15))  # a Friday, 15:00
    html = page(client, resident(junyuan, "reader"), "talents:class_detail", tc.pk).content.decode()
    assert "每周五 15:00" in html and "FREQ=WEEKLY" not in html


def test_the_class_page_runs_the_same_queries_for_1_and_50_sessions_and_entries(client, studio, host, junyuan,
                                                                                 django_assert_max_num_queries, frozen):
    tc = make_class(studio, organiser=host, capacity=60)
    viewer = resident(junyuan, "viewer")
    kids = with_children(viewer, junyuan, ("一", 2018, 1))
    enrolment_request(talent_class=tc, actor=viewer, person_ids=own(viewer) + kids, now=MONDAY)
    class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    client.force_login(viewer)
    url = reverse("talents:class_detail", args=[tc.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    class_sessions_generate(talent_class=tc, now=MONDAY, weeks=50)
    for i in range(49):
        other = resident(junyuan, f"many{i}")
        enrolment_request(talent_class=tc, actor=other, person_ids=own(other), now=MONDAY)
    assert ClassSession.objects.filter(talent_class=tc).count() == 50 and tc.enrolments.count() == 50
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


def test_another_community_gets_404_and_town_roles_see_but_do_not_enrol(client, tc, outsider, town_staff, frozen):
    assert page(client, outsider, "talents:class_detail", tc.pk).status_code == 404
    html = page(client, town_staff, "talents:class_detail", tc.pk).content.decode()
    assert reverse("talents:class_enrol", args=[tc.pk]) not in html
    assert client.post(reverse("talents:class_enrol", args=[tc.pk]), {"people": [1]}).status_code == 403


def test_the_list_shows_the_community_classes_only(client, tc, junyuan, outsider, frozen):
    assert "长者书法班" in page(client, resident(junyuan, "reader"), "talents:class_list").content.decode()
    assert "长者书法班" not in page(client, outsider, "talents:class_list").content.decode()


def test_the_poster_prints_the_class_and_a_qr_code_of_its_absolute_address(client, tc, junyuan, frozen):
    class_sessions_generate(talent_class=tc, now=MONDAY)
    html = page(client, resident(junyuan, "reader"), "talents:class_poster", tc.pk).content.decode()
    assert "<svg" in html and 'role="img"' in html and "长者书法班" in html and "党群服务中心二楼书画室" in html
    assert f"http://testserver/talents/classes/{tc.pk}/" in html and "talents/classes.css" in html
    assert "data-print" in html and "长者" in html


# --- the host's pages -----------------------------------------------------------------------------------------

def class_post(**overrides):
    data = {"title": "儿童书法班", "description": "", "audience": "children", "age_min": "6", "age_max": "12",
            "capacity": "10", "repeat": "weekly", "weekdays": ["5"], "first_date": "2026-03-07", "start_time": "09:30",
            "duration_minutes": "90", "place": "书画室", "kind": "free", "allocation": "lottery",
            "opens_date": "2026-03-05", "opens_time": "09:00", "offer_hours": "24", "status": "open"}
    data.update(overrides)
    return data


def test_a_host_creates_a_class_from_a_phone_and_its_sessions_are_generated(client, studio, host, gate_open, frozen):
    client.force_login(host)
    url = reverse("talents:class_new", args=[studio.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, class_post())
    tc = TalentClass.objects.get(title="儿童书法班")
    assert response.status_code == 302 and response["Location"] == reverse("talents:class_detail", args=[tc.pk])
    assert tc.rrule == "FREQ=WEEKLY;BYDAY=SA" and tc.describe() == "每周六 09:30"
    assert list(tc.teachers.all()) == [host]  # the studio's hosts by default
    assert ClassSession.objects.filter(talent_class=tc).count() == 4
    assert gate_open == ["class", "children"]  # a children's class asks the studios area's gate for both


def test_a_trial_class_without_a_price_and_a_karate_class_without_a_safety_note_are_refused(client, junyuan, studio,
                                                                                           host, gate_open, frozen):
    client.force_login(host)
    response = client.post(reverse("talents:class_new", args=[studio.slug]), class_post(kind="trial"))
    assert "体验课须明码标价" in response.content.decode()
    dojo = make_studio(junyuan, name="空手道工作室", slug="kongshoudao", host=host, kind="karate")
    response = client.post(reverse("talents:class_new", args=[dojo.slug]), class_post(title="空手道"))
    assert "须写安全须知" in response.content.decode()
    assert not TalentClass.objects.exists()


def test_the_qualification_gate_refusal_is_shown_and_nothing_is_made(client, studio, host, monkeypatch, frozen):
    monkeypatch.setattr("talents.services.classes._may_offer",
                        lambda **kw: (False, "儿童课程须每位老师一年内的背景核查记录。"))
    client.force_login(host)
    response = client.post(reverse("talents:class_new", args=[studio.slug]), class_post())
    assert "背景核查" in response.content.decode() and not TalentClass.objects.exists()


def test_hosts_of_another_studio_and_residents_are_refused_the_host_pages(client, tc, studio, other_host, junyuan,
                                                                           frozen):
    assert page(client, other_host, "talents:class_edit", tc.pk).status_code == 403
    assert page(client, other_host, "talents:class_new", studio.slug).status_code == 403
    assert page(client, other_host, "talents:class_waitlist", tc.pk).status_code == 403
    assert page(client, resident(junyuan, "plain"), "talents:class_waitlist", tc.pk).status_code == 403


def test_staff_of_the_community_manage_and_staff_elsewhere_get_404(client, tc, jy_staff, committee_staff, frozen):
    assert page(client, jy_staff, "talents:class_waitlist", tc.pk).status_code == 200
    assert page(client, committee_staff, "talents:class_waitlist", tc.pk).status_code == 404


def test_the_policy_table_per_role(tc, host, other_host, jy_staff, junyuan, outsider):
    plain = resident(junyuan, "plain")
    assert policy.can(host, "talents.class.manage", tc) and not policy.can(other_host, "talents.class.manage", tc)
    assert policy.can(jy_staff, "talents.class.manage", tc) and not policy.can(plain, "talents.class.manage", tc)
    assert policy.can(host, "talents.class.attendance", tc) and not policy.can(jy_staff, "talents.class.attendance", tc)
    assert policy.can(jy_staff, "talents.class.staff_move", tc) and not policy.can(host, "talents.class.staff_move", tc)
    assert policy.can(plain, "talents.class.enrol", tc) and not policy.can(outsider, "talents.class.view", tc)
    scoped = policy.scope(other_host, "talents.class.manage", TalentClass.objects.all())
    assert list(scoped) == [] and list(policy.scope(host, "talents.class.manage", TalentClass.objects.all())) == [tc]


def test_a_host_features_another_studios_class_on_their_page_and_the_board(client, tc, other_host, junyuan, frozen):
    from talents.models import Studio

    shuxiang = Studio.objects.get(slug="shuxiang")
    client.force_login(other_host)
    html = client.get(reverse("talents:class_detail", args=[tc.pk])).content.decode()
    assert "推荐到 书香工作室 的页面" in html
    client.post(reverse("talents:class_feature", args=[tc.pk]), {"studio": shuxiang.pk, "on": "1"})
    assert FeaturedClass.objects.filter(talent_class=tc, studio=shuxiang, featured_by=other_host).exists()
    class_sessions_generate(talent_class=tc, now=MONDAY)
    request = RequestFactory().get("/talents/")
    request.user = other_host
    html = render_to_string("talents/fragments/studio_next_sessions.html", {"studio": shuxiang, "request": request})
    assert "书香工作室 推荐的课" in html and "长者书法班" in html


def test_hub_week_lists_this_weeks_sessions_featured_first_in_constant_queries(studio, host, other_host, junyuan,
                                                                             django_assert_max_num_queries, frozen):
    from talents.models import Studio

    plain = make_class(studio, organiser=host, title="普通课", first_starts_at=at(0, 14), rrule="FREQ=DAILY")
    starred = make_class(studio, organiser=host, title="推荐课", first_starts_at=at(4, 15), rrule="FREQ=WEEKLY;BYDAY=FR")
    FeaturedClass.objects.create(talent_class=starred, studio=Studio.objects.get(slug="shuxiang"),
                                 featured_by=other_host)
    for tc in (plain, starred):
        class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    request = RequestFactory().get("/talents/")
    request.user = resident(junyuan, "reader")
    html = render_to_string("talents/fragments/hub_week.html", {"request": request})
    assert "本周活动" in html and html.index("推荐课") < html.index("普通课") and html.count("普通课") == 7
    assert "3月2日–3月8日" in html  # Monday to Sunday of MONDAY's week, not to the Monday after
    with CaptureQueriesContext(connection) as one:
        render_to_string("talents/fragments/hub_week.html", {"request": request})
    class_sessions_generate(talent_class=make_class(studio, organiser=host, title="加课", rrule="FREQ=DAILY",
                                                    first_starts_at=at(0, 9)), now=MONDAY, weeks=1)
    with django_assert_max_num_queries(len(one)):
        render_to_string("talents/fragments/hub_week.html", {"request": request})


# --- mine and my children -----------------------------------------------------------------------------------

def test_my_classes_lists_offers_first_and_my_childrens_classes(client, studio, host, junyuan, frozen):
    full = make_class(studio, organiser=host, capacity=1, title="满员班")
    roomy = make_class(studio, organiser=host, capacity=5, title="宽松班")
    mum = resident(junyuan, "mum")
    kid = with_children(mum, junyuan, ("小宝", 2019, 6))
    grandpa = resident(junyuan, "grandpa")
    Guardianship.objects.create(guardian=grandpa, child_id=kid[0], community=junyuan, relation="grandparent",
                                pickup_phone="13900002222")
    taker = resident(junyuan, "taker")
    enrolment_request(talent_class=full, actor=taker, person_ids=own(taker), now=MONDAY)
    enrolment_request(talent_class=roomy, actor=mum, person_ids=kid, now=MONDAY)
    enrolment_request(talent_class=full, actor=grandpa, person_ids=own(grandpa), now=MONDAY)
    from talents.services.enrolment import enrolment_leave

    enrolment_leave(entry_id=Enrolment.objects.get(account=taker).pk, actor=taker, now=MONDAY)
    html = page(client, grandpa, "talents:my_classes").content.decode()
    assert html.index("满员班") < html.index("宽松班")  # the offer first
    assert "由 mum 报名" in html  # the grandchild's class, enrolled by the other guardian


def test_adding_a_child_needs_the_guardians_consent_and_shows_the_pipl_note(client, junyuan, frozen):
    mum = resident(junyuan, "mum")
    client.force_login(mum)
    url = reverse("talents:my_children")
    html = client.get(url).content.decode()
    assert "《个人信息保护法》第二十八条、第三十一条" in html
    data = {"name": "小宝", "birth_year": "2019", "birth_month": "6", "relation": "parent",
            "pickup_phone": "139 0000 3333"}
    response = client.post(url, data)
    assert "请先勾选监护人同意" in response.content.decode() and not Guardianship.objects.exists()
    client.post(url, {**data, "consent": "on"})
    link = Guardianship.objects.get(guardian=mum)
    assert link.child.user_id is None and link.child.phone == "" and link.pickup_phone == "13900003333"
    assert (link.child.child_profile.birth_year, link.child.child_profile.birth_month) == (2019, 6)


def test_a_child_born_in_the_future_or_an_adult_is_refused(client, junyuan, frozen):
    client.force_login(resident(junyuan, "mum"))
    base = {"name": "小宝", "birth_month": "6", "relation": "parent", "pickup_phone": "13900003333", "consent": "on"}
    for year in ("2027", "2005"):
        response = client.post(reverse("talents:my_children"), {**base, "birth_year": year})
        assert "孩子须未满 18 岁" in response.content.decode()
    assert not Guardianship.objects.exists()


def test_photo_consent_defaults_off_and_only_the_person_or_guardian_sets_it(client, tc, studio, host, junyuan, frozen):
    from django.core.exceptions import PermissionDenied

    from talents.models import PhotoConsent
    from talents.services.classes import photo_consent_set

    kids_class = make_class(studio, organiser=host, audience=TalentClass.Audience.CHILDREN, title="少儿班")
    gran = resident(junyuan, "gran")
    kid = with_children(gran, junyuan, ("小明", 2018, 3))
    enrolment_request(talent_class=kids_class, actor=gran, person_ids=kid, now=MONDAY)
    html = page(client, gran, "talents:class_detail", kids_class.pk).content.decode()
    assert "小明：不同意发布" in html
    client.post(reverse("talents:photo_consent", args=[kids_class.pk]), {"person": kid[0], "consented": "1"})
    assert PhotoConsent.objects.get(person_id=kid[0]).consented is True
    with pytest.raises(PermissionDenied):
        photo_consent_set(talent_class=kids_class, person_id=kid[0], actor=resident(junyuan, "nosy"), consented=False)


def test_a_draft_class_is_seen_by_its_hosts_only(client, tc, host, junyuan, frozen):
    tc.status = TalentClass.Status.DRAFT
    tc.save(update_fields=["status"])
    assert page(client, resident(junyuan, "reader"), "talents:class_detail", tc.pk).status_code == 404
    assert page(client, host, "talents:class_detail", tc.pk).status_code == 200
