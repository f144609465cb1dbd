"""Rota pages: the right role gets 200, the wrong role 403, another community 404; the calendar and list
pages run a fixed number of queries whether they show one row or many; bad input changes nothing."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Role, Rota, RotaMember, Shift, ShiftAssignment, SwapOffer
from communities.services.rota_ical import feed_token_renew

from ..factories import make_member
from . import form_posts
from .rota_helpers import generate, make_rota, members


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def duty_landlords(community):
    return members(community, 3, prefix="landlord_on_duty")


@pytest.fixture
def rota(community, duty_landlords, landlord, now):
    rota = make_rota(community, duty_landlords, manager=landlord, slots=((0, 8, 1), (8, 16, 1), (16, 0, 1)))
    generate(rota, days=14, now=now - dt.timedelta(days=1))
    return rota


def upcoming(rota, now):
    return (ShiftAssignment.objects.filter(shift__rota=rota, shift__starts_at__gt=now + dt.timedelta(hours=3))
            .select_related("shift", "user").order_by("shift__starts_at").first())


def current(rota, now):
    return ShiftAssignment.objects.select_related("shift", "user").get(
        shift__rota=rota, shift__starts_at__lte=now, shift__ends_at__gt=now)


# --- access --------------------------------------------------------------------------------------------

def test_rota_pages_for_member_manager_staff_and_others(client, rota, duty_landlords, landlord, committee_staff,
                                                       resident, outsider, now):
    shift = upcoming(rota, now).shift
    pages = [reverse("communities:rota_calendar", args=[rota.pk]), reverse("communities:shift_detail", args=[shift.pk]),
             reverse("communities:rota_fairness", args=[rota.pk])]
    for user in (duty_landlords[0], landlord, committee_staff):
        client.force_login(user)
        assert [client.get(url).status_code for url in pages] == [200, 200, 200], user
    client.force_login(resident)  # same community, not on the rota
    assert [client.get(url).status_code for url in pages] == [403, 403, 403]
    client.force_login(outsider)
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]


def test_edit_page_for_manager_and_staff_only(client, rota, duty_landlords, landlord, committee_staff, outsider):
    url = reverse("communities:rota_edit", args=[rota.pk])
    for user, status in ((landlord, 200), (committee_staff, 200), (duty_landlords[0], 403), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_new_rota_page_for_staff_only(client, community, committee_staff, landlord):
    client.force_login(committee_staff)
    assert client.get(reverse("communities:rota_new")).status_code == 200
    client.force_login(landlord)
    assert client.get(reverse("communities:rota_new")).status_code == 403


def test_my_shifts_and_market_for_any_role(client, rota, duty_landlords, resident, now):
    client.force_login(duty_landlords[0])
    page = client.get(reverse("communities:my_shifts"))
    assert page.status_code == 200
    assert "调解室值班" in page.content.decode()
    client.force_login(resident)
    assert client.get(reverse("communities:my_shifts")).status_code == 200
    assert client.get(reverse("communities:swap_market")).status_code == 200


def test_navigation_shows_my_shifts_to_members_and_staff_only(client, rota, duty_landlords, committee_staff, resident):
    label = "我的值班"
    for user, shown in ((duty_landlords[0], True), (committee_staff, True), (resident, False)):
        client.force_login(user)
        assert (label in client.get(reverse("home")).content.decode()) is shown, user


def test_rota_list_scoped(client, rota, community, other_community, committee_staff, duty_landlords, resident):
    make_rota(other_community, [], name="别的社区值班")
    client.force_login(committee_staff)
    body = client.get(reverse("communities:rota_list")).content.decode()
    assert "调解室值班" in body and "别的社区值班" not in body
    client.force_login(duty_landlords[0])
    assert "调解室值班" in client.get(reverse("communities:rota_list")).content.decode()


# --- check-in, swap ---------------------------------------------------------------------------------------

def test_check_in_button_only_for_the_assignee(client, rota, duty_landlords, now):
    mine = current(rota, now)
    other = next(u for u in duty_landlords if u.pk != mine.user_id)
    url = reverse("communities:shift_check_in", args=[mine.pk])
    client.force_login(other)
    assert client.post(url).status_code == 403
    client.force_login(mine.user)
    page = client.get(reverse("communities:shift_detail", args=[mine.shift_id]))
    assert "签到" in page.content.decode()
    response = client.post(url, follow=True)
    assert "已签到" in response.content.decode()
    mine.refresh_from_db()
    assert mine.checked_in_at is not None
    response = client.post(reverse("communities:shift_check_out", args=[mine.pk]), follow=True)
    assert "已签退" in response.content.decode()


def test_check_in_button_is_enabled_only_inside_the_window(client, rota, now):
    from communities.selectors.rotas import check_in_window

    later = upcoming(rota, now)  # starts more than 3 hours from now: the window is not open yet
    client.force_login(later.user)
    page = client.get(reverse("communities:shift_detail", args=[later.shift_id])).content.decode()
    opens = timezone.localtime(check_in_window(later.shift).opens_at)
    assert "disabled" in page and f"{opens:%H:%M} 起可签到" in page
    assert reverse("communities:shift_check_in", args=[later.pk]) not in page
    mine = current(rota, now)  # under way: the window is open
    client.force_login(mine.user)
    page = client.get(reverse("communities:shift_detail", args=[mine.shift_id])).content.decode()
    assert reverse("communities:shift_check_in", args=[mine.pk]) in page and "起可签到" not in page


def test_check_in_button_is_disabled_after_the_shift(client, rota, now):
    over = (ShiftAssignment.objects.filter(shift__rota=rota, shift__ends_at__lt=now)
            .select_related("shift").order_by("-shift__starts_at").first())
    client.force_login(over.user)
    page = client.get(reverse("communities:shift_detail", args=[over.shift_id])).content.decode()
    assert "班次已结束，不能再签到。" in page
    assert reverse("communities:shift_check_in", args=[over.pk]) not in page


def test_early_check_in_shows_the_reason_and_changes_nothing(client, rota, now):
    later = upcoming(rota, now)
    client.force_login(later.user)
    response = client.post(reverse("communities:shift_check_in", args=[later.pk]), follow=True)
    assert "还没到签到时间" in response.content.decode()
    later.refresh_from_db()
    assert later.checked_in_at is None


def test_offer_and_take_through_the_pages(client, rota, duty_landlords, now):
    later = upcoming(rota, now)
    client.force_login(later.user)
    response = client.post(reverse("communities:swap_offer", args=[later.pk]), {"reason": "孩子生病"}, follow=True)
    assert "已发起换班" in response.content.decode()
    offer = SwapOffer.objects.get(assignment=later)
    free = [u for u in duty_landlords if u.pk != later.user_id and not ShiftAssignment.objects.filter(
        user=u, shift__starts_at__lt=later.shift.ends_at, shift__ends_at__gt=later.shift.starts_at).exists()]
    taker = free[0]
    client.force_login(taker)
    market = client.get(reverse("communities:swap_market")).content.decode()
    assert "孩子生病" in market
    response = client.post(reverse("communities:swap_take", args=[offer.pk]), follow=True)
    assert "接班成功" in response.content.decode()
    later.refresh_from_db()
    assert later.user_id == taker.pk and later.swapped


def test_too_long_swap_reason_is_refused_and_changes_nothing(client, rota, now):
    later = upcoming(rota, now)
    client.force_login(later.user)
    response = client.post(reverse("communities:swap_offer", args=[later.pk]), {"reason": "忙" * 201}, follow=True)
    assert "最多 200 个字" in response.content.decode()
    assert not SwapOffer.objects.exists()


def test_take_refused_with_reason_shows_it(client, rota, community, duty_landlords, now):
    later = upcoming(rota, now)
    client.force_login(later.user)
    client.post(reverse("communities:swap_offer", args=[later.pk]))
    offer = SwapOffer.objects.get(assignment=later)
    client.force_login(later.user)
    response = client.post(reverse("communities:swap_take", args=[offer.pk]), follow=True)
    assert "不能接自己换出的班" in response.content.decode()
    stranger = make_member(community, Role.SUBLANDLORD, username="not_on_rota")
    client.force_login(stranger)
    assert client.post(reverse("communities:swap_take", args=[offer.pk])).status_code == 403
    offer.refresh_from_db()
    assert offer.status == SwapOffer.Status.OPEN


def test_outsider_cannot_touch_shifts(client, rota, outsider, now):
    later = upcoming(rota, now)
    client.force_login(outsider)
    assert client.post(reverse("communities:shift_check_in", args=[later.pk])).status_code == 404
    assert client.post(reverse("communities:swap_offer", args=[later.pk])).status_code == 404


# --- rota form ----------------------------------------------------------------------------------------------

def form_data(**overrides):
    data = {"community": "rongting", "name": "夜间巡逻", "kind": "patrol", "place": "东门", "horizon_weeks": "2",
            "active": "on", "manager": "", "members": [],
            "slots-TOTAL_FORMS": "1", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "0",
            "slots-MAX_NUM_FORMS": "12", "slots-0-repeat": "weekly", "slots-0-weekdays": ["0", "2", "4"],
            "slots-0-start_time": "22:00", "slots-0-end_time": "06:00", "slots-0-people": "2", "slots-0-rrule": ""}
    data.update(overrides)
    return data


def ids(users) -> list[str]:
    return [str(u.pk) for u in users]


def test_staff_creates_a_rota_with_members_and_groups(client, community, committee_staff, duty_landlords):
    client.force_login(committee_staff)
    a, b, c = duty_landlords
    response = client.post(reverse("communities:rota_new"), form_data(
        members=ids([a, b, c]), manager=str(committee_staff.pk),
        **{f"member_group-{a.pk}": "甲组", f"member_group-{b.pk}": " 甲组 "}))
    assert response.status_code == 302, response.content.decode()[:2000]
    rota = Rota.objects.get(name="夜间巡逻")
    assert [(m.user, m.group) for m in rota.members.order_by("order")] == [(a, "甲组"), (b, "甲组"), (c, "")]
    assert rota.manager == committee_staff
    assert Shift.objects.filter(rota=rota).count() >= 5
    assert not Shift.objects.filter(rota=rota, ends_at__lte=timezone.now()).exists()


def test_the_form_offers_the_communitys_people_by_name_and_nobody_else(client, community, committee_staff,
                                                                        duty_landlords, outsider, resident):
    client.force_login(committee_staff)
    page = client.get(reverse("communities:rota_new")).content.decode()
    for user in duty_landlords + [resident]:
        assert f'value="{user.pk}"' in page and user.display_name() in page
    assert "二房东" in page  # name · building · role
    assert outsider.display_name() not in page and "members_text" not in page
    assert 'class="btn-check"' in page and "communities/forms.js" in page


@pytest.mark.parametrize("overrides,message", [
    ({"members": ["987654321"]}, "不在本社区的名单里"),
    ({"members": ["x"]}, "不在本社区的名单里"),
    ({"manager": "987654321"}, "不在本社区的名单里"),
    ({"slots-0-weekdays": [], "slots-0-rrule": ""}, "请选择星期几"),
    ({"slots-0-repeat": "monthly_day", "slots-0-monthday": ""}, "请填写每月几号"),
    ({"slots-0-rrule": "FREQ=SOMETIMES"}, "重复规则无效"),
    ({"slots-0-rrule": "FREQ=WEEKLY;BYDAY=XX"}, "重复规则无效"),
    ({"name": "调解室值班"}, "已有同名"),
])
def test_bad_rota_input_is_refused_in_chinese_and_changes_nothing(client, rota, committee_staff, overrides, message):
    client.force_login(committee_staff)
    before = (Rota.objects.count(), Shift.objects.count(), RotaMember.objects.count())
    response = client.post(reverse("communities:rota_new"), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Rota.objects.count(), Shift.objects.count(), RotaMember.objects.count()) == before


def test_a_person_of_another_community_is_refused_without_a_name(client, rota, landlord, duty_landlords, outsider):
    """Issue 12 item 13: a non-staff rota manager posting someone from elsewhere learns nothing about them."""
    client.force_login(landlord)
    before = sorted(rota.members.values_list("user_id", "order"))
    for field in ("members", "manager"):
        value = ids(duty_landlords + [outsider]) if field == "members" else str(outsider.pk)
        data = form_data(name=rota.name, kind="mediation_room", **{
            "members": ids(duty_landlords), "manager": str(landlord.pk), field: value})
        response = client.post(reverse("communities:rota_edit", args=[rota.pk]), data)
        page = response.content.decode()
        assert response.status_code == 400 and "不在本社区的名单里" in page
        assert outsider.display_name() not in page and outsider.username not in page
    assert sorted(rota.members.values_list("user_id", "order")) == before


@pytest.mark.parametrize("slot,weekdays,rrule,words", [
    ({"slots-0-repeat": "daily", "slots-0-weekdays": []}, list(range(7)), "", "每天 22:00"),
    ({"slots-0-repeat": "weekly", "slots-0-weekdays": ["1"]}, [1], "", "每周二 22:00"),
    ({"slots-0-repeat": "monthly_nth", "slots-0-nth": "1", "slots-0-nth_weekday": "1", "slots-0-weekdays": []},
     [], "FREQ=MONTHLY;BYDAY=1TU", "每月第一个周二 22:00"),
    ({"slots-0-repeat": "monthly_nth", "slots-0-nth": "-1", "slots-0-nth_weekday": "4"},
     [], "FREQ=MONTHLY;BYDAY=-1FR", "每月最后一个周五 22:00"),
    ({"slots-0-repeat": "monthly_day", "slots-0-monthday": "15"}, [], "FREQ=MONTHLY;BYMONTHDAY=15", "每月15日 22:00"),
    ({"slots-0-repeat": "weekly", "slots-0-rrule": "freq=monthly;interval=2;byday=2we"}, [],
     "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE", "自定义规则 FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE 22:00"),
])
def test_the_recurrence_is_picked_in_plain_words_and_shown_in_them(client, community, committee_staff, slot,
                                                                   weekdays, rrule, words):
    client.force_login(committee_staff)
    response = client.post(reverse("communities:rota_new"), form_data(**slot))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Rota.objects.get(name="夜间巡逻").slots.get()
    assert (saved.weekdays, saved.rrule) == (weekdays, rrule)
    assert words in client.get(response["Location"]).content.decode()


def test_editing_shows_the_rule_in_plain_words_and_names(client, community, committee_staff, duty_landlords):
    rota = make_rota(community, duty_landlords, rrule="FREQ=MONTHLY;BYDAY=1TU", weekdays=[],
                     groups=["甲组", "", ""])
    client.force_login(committee_staff)
    page = client.get(reverse("communities:rota_edit", args=[rota.pk])).content.decode()
    posted = form_posts.form_data(page, "rota-form")
    assert (posted["slots-0-repeat"], posted["slots-0-nth"], posted["slots-0-nth_weekday"]) == (
        "monthly_nth", "1", "1")
    assert posted["slots-0-rrule"] == "" and "<details class=\"mb-3\" open" not in page
    assert posted["members"] == ids(duty_landlords)
    assert posted[f"member_group-{duty_landlords[0].pk}"] == "甲组"
    for user in duty_landlords:
        assert user.display_name() in page


def test_editing_a_rule_words_cannot_say_keeps_it(client, community, committee_staff, duty_landlords):
    """A rule the plain choices cannot express is shown under 高级 (open) and saved unchanged."""
    rule = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH"
    rota = make_rota(community, duty_landlords, rrule=rule, weekdays=[], groups=["甲组", "甲组", ""])
    client.force_login(committee_staff)
    page = client.get(reverse("communities:rota_edit", args=[rota.pk])).content.decode()
    assert "<details class=\"mb-3\" open" in page
    posted = form_posts.form_data(page, "rota-form")
    assert posted["slots-0-rrule"] == rule
    posted["name"] = "季度值班"
    response = client.post(reverse("communities:rota_edit", args=[rota.pk]), posted)
    assert response.status_code == 302, response.content.decode()[:3000]
    rota.refresh_from_db()
    assert rota.name == "季度值班" and list(rota.slots.values_list("rrule", "weekdays")) == [(rule, [])]
    assert [(m.user, m.group) for m in rota.members.order_by("order")] == list(
        zip(duty_landlords, ["甲组", "甲组", ""]))


def test_members_keep_their_rotation_order_and_new_ones_come_last(client, community, committee_staff,
                                                                    duty_landlords):
    a, b, c = duty_landlords
    rota = make_rota(community, [c, a])
    client.force_login(committee_staff)
    posted = form_posts.form_data(client.get(reverse("communities:rota_edit", args=[rota.pk])).content.decode(),
                                  "rota-form")
    posted["members"] = ids([a, b, c])
    assert client.post(reverse("communities:rota_edit", args=[rota.pk]), posted).status_code == 302
    assert [m.user for m in rota.members.order_by("order")] == [c, a, b]


def test_manager_edit_keeps_past_shifts(client, rota, landlord, duty_landlords, now):
    past = set(Shift.objects.filter(rota=rota, starts_at__lt=now).values_list("pk", "starts_at"))
    client.force_login(landlord)
    slot = rota.slots.order_by("start_time").first()
    data = form_data(name=rota.name, kind="mediation_room", members=ids(duty_landlords),
                     manager=str(landlord.pk), **{"slots-INITIAL_FORMS": "1", "slots-0-id": str(slot.pk),
                                                       "slots-0-weekdays": [str(d) for d in range(7)],
                                                       "slots-0-start_time": "09:00", "slots-0-end_time": "12:00",
                                                       "slots-0-people": "1"})
    response = client.post(reverse("communities:rota_edit", args=[rota.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert past <= set(Shift.objects.filter(rota=rota).values_list("pk", "starts_at"))
    future = Shift.objects.filter(rota=rota, starts_at__gt=now)
    assert {timezone.localtime(s.starts_at).hour for s in future} == {9}


# --- iCal ---------------------------------------------------------------------------------------------------

def test_calendar_feed_by_secret_url_and_revocation(client, rota, duty_landlords):
    user = duty_landlords[0]
    client.force_login(user)
    client.post(reverse("communities:calendar_feed_settings"), {"action": "renew"})
    page = client.get(reverse("communities:calendar_feed_settings")).content.decode()
    token = user.calendar_tokens.get(revoked_at__isnull=True).token
    assert token in page
    client.logout()
    feed = client.get(reverse("communities:calendar_feed", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert feed.content.decode().count("BEGIN:VEVENT") == ShiftAssignment.objects.filter(user=user).count()
    client.force_login(user)
    client.post(reverse("communities:calendar_feed_settings"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("communities:calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("communities:calendar_feed", args=["guessed-token"])).status_code == 404


def test_renewed_feed_replaces_the_old_one(client, rota, duty_landlords):
    user = duty_landlords[0]
    old = feed_token_renew(user=user)
    new = feed_token_renew(user=user)
    assert client.get(reverse("communities:calendar_feed", args=[old.token])).status_code == 404
    assert client.get(reverse("communities:calendar_feed", args=[new.token])).status_code == 200


# --- query counts ---------------------------------------------------------------------------------------------

def queries_for(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


# Session, user, memberships, navigation, the rota, then the page's own reads: the same for 1 shift or 128.
CALENDAR_QUERIES = 10  # + the rota's slots in plain words


@pytest.mark.parametrize("name", ["rota_calendar", "rota_fairness"])
def test_rota_pages_run_a_fixed_number_of_queries(client, community, committee_staff, django_assert_max_num_queries,
                                                  now, name):
    one = make_rota(community, members(community, 1, prefix="solo"), name="一人值班", slots=((9, 10, 1),),
                    weekdays=[timezone.localdate(now).weekday()])
    generate(one, days=7, now=now - dt.timedelta(days=1))
    many = make_rota(community, members(community, 12, prefix="crowd"), name="多人值班",
                     slots=tuple((h, h + 1, 3) for h in range(6, 22)))
    generate(many, days=8, now=now - dt.timedelta(days=1))
    client.force_login(committee_staff)
    client.get(reverse("home"))  # session set-up queries happen once, not on the measured requests
    assert Shift.objects.filter(rota=one).count() == 1
    queries_for(client, django_assert_max_num_queries, reverse(f"communities:{name}", args=[one.pk]), CALENDAR_QUERIES)
    response = queries_for(client, django_assert_max_num_queries, reverse(f"communities:{name}", args=[many.pk]),
                           CALENDAR_QUERIES)
    if name == "rota_calendar":
        assert response.content.decode().count("crowd") >= 3 * 16
    else:
        assert response.content.decode().count("crowd") == 12


@pytest.mark.parametrize("name", ["my_shifts", "swap_market", "rota_list"])
def test_list_pages_run_a_fixed_number_of_queries(client, community, committee_staff, now, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    crowd = members(community, 6, prefix="crowd")
    small = make_rota(community, crowd[:1] + [committee_staff], name="小表", slots=((9, 10, 1),))
    generate(small, days=2, now=now)
    client.force_login(committee_staff)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(f"communities:{name}")).status_code == 200
    big = make_rota(community, crowd + [committee_staff], name="大表", slots=tuple((h, h + 1, 2) for h in range(6, 20)))
    generate(big, days=10, now=now)
    for a in ShiftAssignment.objects.filter(shift__rota=big, shift__starts_at__gt=now).exclude(
            user=committee_staff)[:20]:
        SwapOffer.objects.create(assignment=a, offered_by=a.user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(f"communities:{name}"))
    assert response.status_code == 200
    assert len(many) == len(few)
    if name == "swap_market":
        assert response.content.decode().count("我来接班") == 20


def test_editing_only_the_name_keeps_the_slots(client, rota, landlord, duty_landlords):
    """The form shows the rota's slots as they are; saving without touching them must not say
    "请至少设置一个班次时间" (issue 12, item 13)."""
    client.force_login(landlord)
    slots = list(rota.slots.order_by("pk"))
    data = form_data(name="调解室值班（新名）", kind="mediation_room", place=rota.place,
                     members=ids(duty_landlords), manager=str(landlord.pk),
                     horizon_weeks=str(rota.horizon_weeks), **{"slots-TOTAL_FORMS": str(len(slots)),
                                                                "slots-INITIAL_FORMS": str(len(slots))})
    for key in [k for k in data if k.startswith("slots-0-")]:
        del data[key]
    for i, slot in enumerate(slots):
        data.update({f"slots-{i}-id": str(slot.pk), f"slots-{i}-weekdays": [str(d) for d in slot.weekdays],
                     f"slots-{i}-start_time": slot.start_time.strftime("%H:%M"),
                     f"slots-{i}-end_time": slot.end_time.strftime("%H:%M"), f"slots-{i}-people": str(slot.people),
                     f"slots-{i}-rrule": slot.rrule})
    before = sorted(rota.slots.values_list("pk", "start_time", "end_time"))
    response = client.post(reverse("communities:rota_edit", args=[rota.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rota.refresh_from_db()
    assert rota.name == "调解室值班（新名）"
    assert sorted(rota.slots.values_list("pk", "start_time", "end_time")) == before


def test_no_full_width_colon_inside_english_text(client, rota, committee_staff):
    """Labels followed by a colon use the language's own colon: "负责人：" in Chinese, "Manager: " in English."""
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("communities:rota_list")).content.decode()
    assert "：" not in page and ": " in page
    client.cookies["django_language"] = "zh-hans"
    assert "负责人：" in client.get(reverse("communities:rota_list")).content.decode()


def test_the_rota_form_runs_a_fixed_number_of_queries(client, community, committee_staff, rota,
                                                      django_assert_max_num_queries):
    """The member picker lists every person of the community with building and role: the same queries for
    a few people or many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(committee_staff)
    client.get(reverse("home"))
    edit = reverse("communities:rota_edit", args=[rota.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(edit).status_code == 200
    crowd = members(community, 25, prefix="crowd")
    with django_assert_max_num_queries(len(few)):
        page = client.get(edit).content.decode()
    assert all(user.display_name() in page for user in crowd)


def test_the_rota_form_and_pattern_read_in_english(client, rota, committee_staff):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    form = client.get(reverse("communities:rota_edit", args=[rota.pk])).content.decode()
    calendar = client.get(reverse("communities:rota_calendar", args=[rota.pk])).content.decode()
    assert "Advanced" in form and "Type a name to filter" in form and "：" not in form
    assert "Every day 00:00–08:00 · 1 per shift" in calendar
