"""郡园's classes on a 390 px phone, in Chinese, axe-checked on every page (issue 13 item 15):

1. 王奶奶 (a guardian, her grandchild a person without a login) puts 小明 on the waitlist of the full 少儿书法公益课
   from the class page, and sees her place on the list;
2. 李妈妈, whose 小红 holds a seat, leaves the class in one tap;
3. 王奶奶 is offered the seat (a message in the inbox, the deadline on the class page and on 我的课程; in 长辈模式
   too), accepts, and 小明 is enrolled; the two-child entry ahead of her is passed over, not split;
4. the host (墨香's 主理人) opens the session's attendance page, marks 小明 present with one tap and closes it
   (结束并记录);
5. 王芳, a mother on the reading and homework rota (the core rota engine, kind 志愿授课), checks in and out on the
   shift page, then finds the session in 志愿时长 labelled 平台记录 (and the word 证明 nowhere on that page);
6. a second booking of the service centre's 书画室 at an overlapping time is refused, naming the booking that
   holds the time, the form kept as typed.

The data is built with the services. Everything is placed relative to ``timezone.now()`` (never on a weekday or a
day of the month): the class meets weekly from three hours from now, the rota every day. The day of a session is
reached as in test_rota_flow.py, by patching ``django.utils.timezone.now`` for the whole process (the live
server's thread included); each user signs in after the clock has moved, so a session cookie never outlives it.
"""
import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, Notification, Role, Rota, RoomBooking, Shift, VolunteerHours
from communities.services.rooms import room_create
from communities.services.rota_qualifications import qualification_create, qualification_grant
from communities.services.rotas import SlotSpec, rota_save
from talents.models import ClassSession, Enrolment, SessionAttendance, TalentClass
from talents.services.children import child_add
from talents.services.classes import class_create
from talents.services.enrolment import enrolment_request
from talents.services.studios import qualification_record, studio_create

from ..factories import CommunityFactory, make_member, serve
from .a11y import assert_accessible, visit
from .flows import follow, log_in, log_out, open_menu

CLASS = "少儿书法公益课"
ROTA = "宝妈志愿授课（阅读与作业辅导）"
ROOM = "书画室"
WIDTH = 390


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def shoot(page, artifacts_dir, name):
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"talents-classes-{name}.png"), full_page=True)


def main(page):
    return page.get_by_role("main")


def status(page, text):
    return page.get_by_role("status").filter(has_text=text)


def my_entry(page):
    """The viewer's own entry on a class page (the first card under 我的报名)."""
    return main(page).locator("section[aria-labelledby=mine-title] .card").first


def local_minute(moment):
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def deadline_text(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def add_child(guardian, community, name, *, age, now, relation="grandparent", phone="13900001111"):
    """A child aged ``age`` on any day of this month (born in this month, ``age`` years ago)."""
    today = timezone.localtime(now).date()
    return child_add(guardian=guardian, community=community, name=name, birth_year=today.year - age,
                     birth_month=today.month, relation=relation, pickup_phone=phone, consent=True, now=now).child_id


@pytest.fixture
def junyuan(db):
    community = CommunityFactory(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)
    serve(community, "talents")
    return community


@pytest.fixture
def people(junyuan):
    return {
        "staff": make_member(junyuan, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩"),
        "host": make_member(junyuan, Role.TALENT, username="talent", name="书法达人"),
        "granny": make_member(junyuan, Role.RESIDENT, username="granny", name="王奶奶"),
        "parent": make_member(junyuan, Role.RESIDENT, username="parent", name="李妈妈"),
        "father": make_member(junyuan, Role.RESIDENT, username="father", name="张爸爸"),
        "grandpa": make_member(junyuan, Role.RESIDENT, username="grandpa", name="赵爷爷"),
        "mum": make_member(junyuan, Role.VOLUNTEER, username="mum1", name="王芳"),
    }


@pytest.fixture
def room(junyuan, people):
    return room_create(actor=people["staff"], community=junyuan, name=ROOM, where="党群服务中心 二楼", capacity=20)


@pytest.fixture
def full_class(outbox, junyuan, people, room):
    """墨香's free children's calligraphy class (6–12 岁, two seats, first come), weekly from three hours from now
    in the 书画室: 小红 (李妈妈's) and 小刚 (张爸爸's) hold the seats; 赵爷爷's entry for his two grandchildren waits
    first on the list. 王奶奶 has registered 小明 (8) under her name."""
    now = timezone.now()
    today = timezone.localdate()
    staff, host = people["staff"], people["host"]
    studio = studio_create(actor=staff, community=junyuan, name="墨香工作室", slug="moxiang", talent_kind="calligraphy",
                           tagline="免费书法课", hosts=[host], today=today)
    qualification_record(actor=staff, studio=studio, host=host, kind="background",
                         checked_on=today - dt.timedelta(days=30), number="沪宝罗核字2026-012", today=today)
    talent_class = class_create(studio=studio, actor=host, now=now, data={
        "title": CLASS, "description": "毛笔基本笔画，家长可陪同。", "audience": TalentClass.Audience.CHILDREN,
        "age_min": 6, "age_max": 12, "capacity": 2, "rrule": "FREQ=WEEKLY",
        "first_starts_at": local_minute(now + dt.timedelta(hours=3)), "duration_minutes": 60,
        "place": "党群服务中心二楼书画室", "kind": TalentClass.Kind.FREE, "allocation": TalentClass.Allocation.FIRST_COME,
        "opens_at": now - dt.timedelta(days=1), "offer_hours": 24, "status": TalentClass.Status.OPEN, "room": room})
    kids = {
        "小红": add_child(people["parent"], junyuan, "小红", age=7, now=now, relation="parent", phone="13900002222"),
        "小刚": add_child(people["father"], junyuan, "小刚", age=9, now=now, relation="parent", phone="13900003333"),
        "小丽": add_child(people["grandpa"], junyuan, "小丽", age=8, now=now, phone="13900004444"),
        "小强": add_child(people["grandpa"], junyuan, "小强", age=10, now=now, phone="13900004444"),
        "小明": add_child(people["granny"], junyuan, "小明", age=8, now=now, phone="13900005555"),
    }
    enrolment_request(talent_class=talent_class, actor=people["parent"], person_ids=[kids["小红"]], now=now)
    enrolment_request(talent_class=talent_class, actor=people["father"], person_ids=[kids["小刚"]], now=now)
    waiting, _ = enrolment_request(talent_class=talent_class, actor=people["grandpa"],
                                   person_ids=[kids["小丽"], kids["小强"]], now=now)
    assert waiting.status == Enrolment.Status.WAITING and waiting.seats == 2
    session = ClassSession.objects.filter(talent_class=talent_class).order_by("starts_at").first()
    assert session.room_booking_id is not None  # the session holds the room
    return {"class": talent_class, "kids": kids, "session": session, "grandpa_entry": waiting}


def test_a_grandchild_waits_takes_a_freed_seat_and_is_marked_present(page, full_class, people, password, outbox,
                                                                    artifacts_dir):
    talent_class, session, kids = full_class["class"], full_class["session"], full_class["kids"]
    class_url = f"/talents/classes/{talent_class.pk}/"

    # --- 1. 王奶奶 puts 小明 on the waitlist from the class page ------------------------------------------------
    log_in(page, "granny", password)
    visit(page, class_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(CLASS)
    first_start = timezone.localtime(talent_class.first_starts_at)
    weekday = "一二三四五六日"[first_start.weekday()]
    expect(main(page)).to_contain_text(f"每周{weekday} {first_start:%H:%M}，每次 60 分钟")  # not "FREQ=WEEKLY"
    expect(main(page)).to_contain_text("每次 2 人，还剩 0 个，候补 1 条")
    expect(main(page)).to_contain_text("您还没有报名这门课。")
    form = main(page).locator("form[action$='/enrol/']")
    expect(form.get_by_role("checkbox")).to_have_count(2)  # herself and 小明
    form.get_by_label("小明").check()
    assert_accessible(page)
    shoot(page, artifacts_dir, "1-granny-enrol-form")
    follow(page, form.get_by_role("button", name="报名", exact=True))
    expect(page).to_have_url(class_url)
    expect(status(page, "名额已满，已进入候补。")).to_be_visible()
    entry = my_entry(page)
    expect(entry).to_contain_text("候补中")
    expect(entry).to_contain_text("小明（1 个名额）")
    expect(entry).to_contain_text("候补第 2 位")  # behind 赵爷爷's two grandchildren
    expect(entry.get_by_role("button", name="退出候补", exact=True)).to_be_visible()
    expect(main(page)).to_contain_text("候补 2 条")
    shoot(page, artifacts_dir, "1-granny-waitlist-place")
    mine = Enrolment.objects.get(talent_class=talent_class, account=people["granny"])
    assert mine.status == Enrolment.Status.WAITING and mine.seats == 1
    assert list(mine.people.values_list("person_id", flat=True)) == [kids["小明"]]

    visit(page, "/talents/my/")
    expect(main(page).get_by_role("listitem").filter(has_text=CLASS)).to_contain_text("候补第 2 位")
    no_sideways_scroll(page)
    log_out(page)

    # --- 2. 李妈妈 leaves the class in one tap ------------------------------------------------------------------
    log_in(page, "parent", password)
    visit(page, "/talents/my/")
    row = main(page).get_by_role("listitem").filter(has_text=CLASS)
    expect(row).to_contain_text("已报名")
    expect(row).to_contain_text("小红")
    follow(page, row.get_by_role("link", name=CLASS, exact=True))
    expect(page).to_have_url(class_url)
    shoot(page, artifacts_dir, "2-parent-enrolled")
    follow(page, my_entry(page).get_by_role("button", name="退出课程", exact=True))
    expect(status(page, "已退出，名额会留给候补的人。")).to_be_visible()
    expect(my_entry(page)).to_contain_text("已退出")
    parent_entry = Enrolment.objects.get(talent_class=talent_class, account=people["parent"])
    assert parent_entry.status == Enrolment.Status.LEFT
    log_out(page)

    # The freed seat is offered to 王奶奶: 赵爷爷's entry, first on the list, needs two seats and is not split.
    mine.refresh_from_db()
    grandpa_entry = full_class["grandpa_entry"]
    grandpa_entry.refresh_from_db()
    assert mine.status == Enrolment.Status.OFFERED and grandpa_entry.status == Enrolment.Status.WAITING
    assert grandpa_entry.events.filter(action="passed_over").exists()
    deadline = deadline_text(mine.offer_expires_at)
    assert mine.offer_expires_at - parent_entry.closed_at == dt.timedelta(hours=24)

    # --- 3. 王奶奶 is told, sees the offer with its deadline, and accepts ---------------------------------------
    log_in(page, "granny", password)
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^消息")))
    expect(page.get_by_role("heading", name="消息", level=1)).to_be_visible()
    note = main(page).get_by_role("listitem").filter(has_text=f"候补到名额：{CLASS}")
    expect(note).to_have_count(1)
    told = Notification.objects.get(recipient=people["granny"], title=f"候补到名额：{CLASS}")
    assert told.url == class_url and deadline in told.body
    shoot(page, artifacts_dir, "3-granny-inbox")

    visit(page, "/talents/my/")
    offer_row = main(page).get_by_role("listitem").filter(has_text=CLASS)
    expect(offer_row).to_contain_text("待确认")
    expect(offer_row).to_contain_text(f"请在 {deadline} 前确认")
    shoot(page, artifacts_dir, "3-granny-my-classes-offer")
    follow(page, offer_row.get_by_role("link", name=CLASS, exact=True))
    entry = my_entry(page)
    expect(entry).to_contain_text(f"名额为您保留到 {deadline}，请确认。")
    expect(entry.get_by_role("button", name="确认报名", exact=True)).to_be_visible()
    expect(entry.get_by_role("button", name="放弃名额", exact=True)).to_be_visible()
    expect(entry.get_by_role("button")).to_have_count(2)  # 放弃名额 is the way out; no 退出候补 beside it
    shoot(page, artifacts_dir, "3-granny-offer")

    # In 长辈模式 (a grandmother's phone) the offer and its deadline are as readable.
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))
    expect(page).to_have_url(class_url)
    expect(my_entry(page)).to_contain_text(f"名额为您保留到 {deadline}")
    shoot(page, artifacts_dir, "3-granny-offer-elder")

    follow(page, my_entry(page).get_by_role("button", name="确认报名", exact=True))
    expect(status(page, "报名成功。")).to_be_visible()
    expect(my_entry(page)).to_contain_text("已报名")
    expect(my_entry(page)).to_contain_text("照片授权（默认不同意）")
    expect(main(page)).to_contain_text("还剩 0 个，候补 1 条")
    shoot(page, artifacts_dir, "3-granny-enrolled-elder")
    mine.refresh_from_db()
    assert mine.status == Enrolment.Status.ENROLLED
    assert list(mine.events.values_list("action", flat=True).order_by("at", "pk")) == ["waitlisted", "offer", "accept"]
    log_out(page)
    page.context.clear_cookies()  # the host's own phone: 王奶奶's 长辈模式 stays on hers

    # --- 4. the host marks 小明 present with one tap and closes the session --------------------------------------
    with mock.patch("django.utils.timezone.now", return_value=session.starts_at + dt.timedelta(minutes=5)):
        log_in(page, "talent", password)
        visit(page, class_url)
        first = main(page).locator("section[aria-labelledby=next-title] li").first
        follow(page, first.get_by_role("link", name="点名", exact=True))
        expect(page).to_have_url(f"/talents/sessions/{session.pk}/attendance/")
        expect(main(page)).to_contain_text("到课 0 / 2")
        xiaoming = main(page).locator(f"[data-person-row='{kids['小明']}']")
        expect(xiaoming).to_contain_text("小明")
        expect(xiaoming).to_contain_text("监护人 王奶奶")
        with page.expect_response(lambda r: r.url.endswith("/attendance/mark/")) as marked:
            xiaoming.get_by_role("button", name="到", exact=True).click()  # one tap, no page load
        assert marked.value.ok
        expect(xiaoming.get_by_role("button", name="到", exact=True)).to_have_attribute("aria-pressed", "true")
        expect(main(page)).to_contain_text("到课 1 / 2")
        assert_accessible(page)
        shoot(page, artifacts_dir, "4-host-attendance")
        assert SessionAttendance.objects.get(session=session, person_id=kids["小明"]).present is True
        log_out(page)

    with mock.patch("django.utils.timezone.now", return_value=session.ends_at + dt.timedelta(minutes=5)):
        log_in(page, "talent", password)
        visit(page, f"/talents/sessions/{session.pk}/attendance/")
        expect(main(page)).to_contain_text("到课 1 / 2")  # the tap was kept
        follow(page, page.get_by_role("button", name="结束并记录", exact=True))
        expect(status(page, "已结束并记录，授课老师的志愿服务时长已记入平台记录。")).to_be_visible()
        expect(main(page)).to_contain_text("已结束并记录")
        expect(page.get_by_role("button", name="结束并记录", exact=True)).to_have_count(0)
        shoot(page, artifacts_dir, "4-host-closed")

    session.refresh_from_db()
    assert session.status == ClassSession.Status.HELD
    taught = VolunteerHours.objects.get(volunteer=people["host"], source_kind="talents.session", source_id=session.pk)
    assert taught.minutes == 60 and taught.activity == CLASS


@pytest.fixture
def reading_rota(junyuan, people):
    """The mothers' reading and homework rota (kind 志愿授课), every day 15:00–16:30, one mother a session, the
    child-contact background check required; 王芳 holds it for a year."""
    staff, now = people["staff"], timezone.now()
    check, _ = qualification_create(actor=staff, community=junyuan, name="未成年人接触背景核查")
    qualification_grant(actor=staff, qualification=check, user=people["mum"],
                        expires_on=timezone.localdate() + dt.timedelta(days=300), now=now)
    rota, _ = rota_save(actor=staff, community=junyuan, manager=people["host"], members=[(people["mum"], "")],
                        fields={"name": ROTA, "kind": Rota.Kind.TEACHING, "place": "党群服务中心 书香工作室",
                                "required_qualification": check, "children_per_adult": 6},
                        slots=[SlotSpec(start_time=dt.time(15), end_time=dt.time(16, 30), people=1,
                                        weekdays=(0, 1, 2, 3, 4, 5, 6))], now=now)
    shift = Shift.objects.filter(rota=rota, starts_at__gt=now).order_by("starts_at").first()
    assert list(shift.assignments.values_list("user__username", flat=True)) == ["mum1"]
    return shift


def test_a_mother_teaches_a_reading_session_and_sees_it_as_platform_record(page, reading_rota, people, password,
                                                                           artifacts_dir):
    shift = reading_rota
    start = timezone.localtime(shift.starts_at)

    with mock.patch("django.utils.timezone.now", return_value=shift.starts_at + dt.timedelta(minutes=2)):
        log_in(page, "mum1", password)
        follow(page, open_menu(page).get_by_role("link", name="我的值班", exact=True))
        today = main(page).locator("h2:text-is('今天') + ul").get_by_role("listitem")
        expect(today).to_contain_text(ROTA)
        follow(page, today.get_by_role("link", name=ROTA, exact=True))
        expect(page).to_have_url(f"/shifts/{shift.pk}/")
        follow(page, page.get_by_role("button", name="签到", exact=True))
        expect(status(page, "已签到。")).to_be_visible()
        expect(main(page).locator("dd").filter(has_text="王芳")).to_contain_text("王芳 · 签到 15:02")
        shoot(page, artifacts_dir, "5-mum-checked-in")
        log_out(page)

    with mock.patch("django.utils.timezone.now", return_value=shift.ends_at):
        log_in(page, "mum1", password)
        visit(page, f"/shifts/{shift.pk}/")
        follow(page, page.get_by_role("button", name="签退", exact=True))
        expect(main(page).locator("dd").filter(has_text="王芳")).to_contain_text("签退 16:30")

        follow(page, open_menu(page).get_by_role("link", name=re.compile("志愿时长")))
        expect(page).to_have_url("/hours/")
        expect(page.get_by_role("heading", level=1)).to_have_text("我的志愿时长（平台记录）")
        expect(main(page)).to_contain_text("平台记录合计：1.47 小时")
        item = main(page).get_by_role("listitem").filter(has_text=ROTA)
        expect(item).to_contain_text(f"{ROTA} · 88 分钟")
        expect(item).to_contain_text(f"{start:%Y-%m-%d} 15:02–16:30")
        expect(item).to_contain_text("党群服务中心 书香工作室")
        expect(main(page).get_by_role("heading", level=2)).to_contain_text(["平台记录"])
        # She leads no team: no button to a review queue she may not open.
        expect(main(page).get_by_role("link", name="待确认和审核")).to_have_count(0)
        assert "证明" not in page.locator("body").inner_text()
        shoot(page, artifacts_dir, "5-mum-hours")

    entry = VolunteerHours.objects.get(volunteer=people["mum"])
    assert entry.minutes == 88 and entry.status == VolunteerHours.Status.RECORDED


def test_an_overlapping_second_booking_of_the_room_is_refused_naming_the_other(page, room, people, password,
                                                                              artifacts_dir):
    day = timezone.localdate() + dt.timedelta(days=2)
    room_url = f"/rooms/{room.pk}/"

    log_in(page, "talent", password)
    visit(page, room_url)
    page.get_by_label("用途").fill("墨香工作室·书法作品展布置")
    page.get_by_label("日期").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("开始时间").fill("14:00")
    page.get_by_label("结束时间").fill("16:00")
    follow(page, page.get_by_role("button", name="预约", exact=True))
    expect(status(page, f"已预约：墨香工作室·书法作品展布置（{day.month}月{day.day}日 14:00–16:00）。")).to_be_visible()
    log_out(page)

    log_in(page, "staff_junyuan", password)
    visit(page, room_url)
    page.get_by_label("用途").fill("书香工作室·绘本阅读")
    page.get_by_label("日期").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("开始时间").fill("15:00")
    page.get_by_label("结束时间").fill("17:00")
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="预约", exact=True).click()
    assert navigation.value.status == 400
    assert_accessible(page)
    clash = f"该时段已被占用：墨香工作室·书法作品展布置（{ROOM}，{day.month}月{day.day}日 14:00–16:00），请换个时间或房间。"
    expect(main(page).get_by_text(clash)).to_be_visible()
    # The form is kept as typed.
    expect(page.get_by_label("用途")).to_have_value("书香工作室·绘本阅读")
    expect(page.get_by_label("日期")).to_have_value(f"{day:%Y-%m-%d}")
    expect(page.get_by_label("开始时间")).to_have_value("15:00")
    expect(page.get_by_label("结束时间")).to_have_value("17:00")
    shoot(page, artifacts_dir, "6-room-clash")
    assert list(RoomBooking.objects.filter(room=room).values_list("title", flat=True)) == ["墨香工作室·书法作品展布置"]
