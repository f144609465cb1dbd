"""The room pages: the list and a room's week for every member, the booking form for those who may book (a clash
comes back on the form, as typed, naming the other booking), staff managing rooms, cancelling, another community
404, and a week page whose query count does not grow with its bookings."""
import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communities.models import Role, Room, RoomBooking

from ..factories import make_member
from .room_world import ahead, foreign_room, hall, studio_room, talent, volunteer  # noqa: F401 - fixtures


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def booking_post(start, end, title="书香工作室·绘本阅读"):
    return {"title": title, "day": start.date().isoformat(), "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}"}


def make_booking(room, user, start, end, title="居委例会", **kwargs):
    return RoomBooking.objects.create(room=room, starts_at=start, ends_at=end, title=title, booked_by=user, **kwargs)


@pytest.mark.parametrize("persona", ["resident", "committee_staff", "party_secretary", "talent", "volunteer",
                                     "town_staff"])
def test_every_member_sees_the_rooms_and_their_week(client, request, hall, persona):
    user = request.getfixturevalue(persona)
    assert "多功能厅" in as_user(client, user).get(url("room_list")).content.decode()
    assert as_user(client, user).get(url("room_detail", hall.pk)).status_code == 200


def test_another_community_gets_404(client, outsider, hall, committee_staff):
    booking = make_booking(hall, committee_staff, ahead(10), ahead(11))
    client.force_login(outsider)
    assert client.get(url("room_detail", hall.pk)).status_code == 404
    assert client.post(url("room_detail", hall.pk), booking_post(ahead(14), ahead(15))).status_code == 404
    assert client.get(url("room_edit", hall.pk)).status_code in (403, 404)
    assert client.post(url("room_booking_cancel", booking.pk)).status_code == 404
    assert RoomBooking.objects.get(pk=booking.pk).cancelled_at is None
    assert "多功能厅" not in client.get(url("room_list")).content.decode()


def test_foreign_staff_get_404_not_403(client, other_community, hall):
    staff = make_member(other_community, Role.COMMITTEE_STAFF, username="foreign-staff")
    client.force_login(staff)
    assert client.get(url("room_detail", hall.pk)).status_code == 404
    assert client.get(url("room_edit", hall.pk)).status_code == 404


def test_a_talent_host_books_from_the_week_page(client, hall, talent):
    start, end = ahead(14), ahead(15, 30)
    response = as_user(client, talent).post(url("room_detail", hall.pk), booking_post(start, end))
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.starts_at, booking.ends_at, booking.booked_by) == (start, end, talent)
    page = client.get(response["Location"]).content.decode()
    assert "书香工作室·绘本阅读" in page and "14:00–15:30" in page


def test_a_clash_keeps_the_form_and_names_the_other_booking(client, hall, talent, committee_staff):
    make_booking(hall, talent, ahead(14), ahead(15, 30), title="书香工作室·绘本阅读")
    response = as_user(client, committee_staff).post(url("room_detail", hall.pk),
                                                     booking_post(ahead(15), ahead(16), title="居委例会"))
    assert response.status_code == 400
    page = response.content.decode()
    day = ahead(14)
    assert f"该时段已被占用：书香工作室·绘本阅读（多功能厅，{day.month}月{day.day}日 14:00–15:30），请换个时间或房间。" in page
    assert 'value="居委例会"' in page and 'value="15:00"' in page and 'value="16:00"' in page
    assert RoomBooking.objects.count() == 1


def test_bad_input_is_answered_in_chinese_and_nothing_is_booked(client, hall, talent):
    start = ahead(15)
    response = as_user(client, talent).post(url("room_detail", hall.pk), booking_post(start, start - dt.timedelta(hours=1)))
    assert response.status_code == 400 and "结束时间要晚于开始时间。" in response.content.decode()
    past = ahead(9, days=-30)
    response = client.post(url("room_detail", hall.pk), booking_post(past, past + dt.timedelta(hours=1)))
    assert "不能预约已经过去的时间。" in response.content.decode()
    assert not RoomBooking.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "volunteer", "landlord", "town_staff"])
def test_those_who_may_not_book_see_no_form_and_are_refused(client, request, hall, persona):
    user = request.getfixturevalue(persona)
    page = as_user(client, user).get(url("room_detail", hall.pk)).content.decode()
    assert 'name="title"' not in page and "请联系居委" in page
    assert client.post(url("room_detail", hall.pk), booking_post(ahead(14), ahead(15))).status_code == 403
    assert not RoomBooking.objects.exists()


def test_the_booker_and_staff_see_who_booked_others_only_the_title(client, hall, talent, resident, committee_staff):
    make_booking(hall, talent, ahead(14), ahead(15), title="书香工作室·绘本阅读")
    week = f"?week={ahead(14):%Y-%m-%d}"
    for user, sees in ((talent, True), (committee_staff, True), (resident, False)):
        page = as_user(client, user).get(url("room_detail", hall.pk) + week).content.decode()
        assert "书香工作室·绘本阅读" in page
        assert ("书香主理人" in page) is sees
        assert ("取消预约" in page) is sees


def test_the_booker_cancels_a_double_post_changes_nothing(client, hall, talent):
    booking = make_booking(hall, talent, ahead(14), ahead(15))
    as_user(client, talent)
    assert client.post(url("room_booking_cancel", booking.pk)).status_code == 302
    response = client.post(url("room_booking_cancel", booking.pk), follow=True)
    assert "这次预约已经取消了。" in texts(response)
    assert RoomBooking.objects.get(pk=booking.pk).cancelled_by == talent


def test_someone_else_may_not_cancel(client, hall, talent, party_secretary, resident):
    booking = make_booking(hall, talent, ahead(14), ahead(15))
    for user in (party_secretary, resident):
        assert as_user(client, user).post(url("room_booking_cancel", booking.pk)).status_code == 403
    assert RoomBooking.objects.get(pk=booking.pk).cancelled_at is None


def test_a_meetings_booking_is_not_cancelled_from_the_room_page(client, hall, committee_staff):
    booking = make_booking(hall, committee_staff, ahead(14), ahead(15), source_kind="communities.meeting",
                           source_id=1)
    response = as_user(client, committee_staff).post(url("room_booking_cancel", booking.pk), follow=True)
    assert any("请在会议或课程页面" in t for t in texts(response))
    assert RoomBooking.objects.get(pk=booking.pk).cancelled_at is None


def test_staff_add_and_edit_rooms_others_are_refused(client, community, committee_staff, talent, hall):
    as_user(client, committee_staff)
    response = client.post(url("room_new") + f"?community={community.slug}",
                           {"name": "活动室", "where": "党群服务中心 三楼", "capacity": "30", "active": "on"})
    assert response.status_code == 302
    room = Room.objects.get(name="活动室")
    assert client.post(url("room_edit", room.pk), {"name": "活动室", "where": "党群服务中心 三楼",
                                                    "capacity": "32"}).status_code == 302
    room.refresh_from_db()
    assert (room.capacity, room.active) == (32, False)
    response = client.post(url("room_new"), {"name": "多功能厅", "capacity": "10"})
    assert response.status_code == 400 and "本社区已有同名的活动室。" in response.content.decode()
    as_user(client, talent)
    assert client.get(url("room_new")).status_code == 403
    assert client.get(url("room_edit", hall.pk)).status_code == 403


def test_a_closed_room_shows_no_form(client, hall, talent):
    Room.objects.filter(pk=hall.pk).update(active=False)
    page = as_user(client, talent).get(url("room_detail", hall.pk)).content.decode()
    assert "这间活动室暂停预约。" in page and 'name="title"' not in page


def test_a_bad_week_is_told_and_this_week_shown(client, hall, resident):
    response = as_user(client, resident).get(url("room_detail", hall.pk) + "?week=9999-12-31", follow=True)
    assert response.status_code == 200 and any("日期无效" in t for t in texts(response))


def test_the_community_page_links_to_the_rooms_and_the_menu_has_them_for_bookers(client, resident, talent, hall):
    page = as_user(client, resident).get(url("community_page")).content.decode()
    assert url("room_list") in page
    home = as_user(client, talent).get(reverse("home")).content.decode()
    assert "活动室预约" in home


def _fill_week(room, user, n):
    start = ahead(7)
    RoomBooking.objects.bulk_create([
        RoomBooking(room=room, starts_at=start + dt.timedelta(minutes=12 * i),
                    ends_at=start + dt.timedelta(minutes=12 * i + 10), title=f"活动{i}", booked_by=user)
        for i in range(n)])


@pytest.mark.parametrize("persona", ["committee_staff", "resident"])
def test_the_week_page_runs_the_same_queries_for_1_and_50_bookings(client, request, hall, talent, persona,
                                                                   django_assert_max_num_queries):
    user = request.getfixturevalue(persona)
    as_user(client, user)
    page = url("room_detail", hall.pk) + f"?week={ahead(7):%Y-%m-%d}"
    _fill_week(hall, talent, 1)
    client.get(page)  # warm the session and the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    RoomBooking.objects.all().delete()
    _fill_week(hall, talent, 50)
    with django_assert_max_num_queries(len(one)):
        response = client.get(page)
    assert response.content.decode().count("活动") >= 50
