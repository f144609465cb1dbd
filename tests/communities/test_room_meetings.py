"""Meetings book rooms through the rooms service: a meeting with a room holds a booking for its time; a clash
refuses the meeting (on the form, by the time field) and saves nothing; moving or cancelling the meeting moves
or cancels its booking."""
import pytest
from django.urls import reverse

from communities.models import Meeting, MeetingEvent, MeetingKind, Notification, Room, RoomBooking
from communities.selectors.rooms import MEETING_SOURCE, room_booking_for
from communities.services import meeting_series as ser
from communities.services import meetings as svc
from communities.services.errors import DomainError
from communities.services.rooms import RoomClash

from .room_world import NOW, ahead, at, book, foreign_room, hall, studio_room, talent  # noqa: F401 - fixtures


def create(community, staff, room, starts, ends, title="郡园居民议事会", **kwargs):
    return svc.meeting_create(actor=staff, community=community, title=title, kind=MeetingKind.DELIBERATION,
                              venue=kwargs.pop("venue", ""), starts_at=starts, ends_at=ends, organiser=staff,
                              room=room, now=kwargs.pop("now", NOW), **kwargs)


def test_a_meeting_with_a_room_books_it_and_the_venue_names_it(community, committee_staff, hall):
    meeting = create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    booking = room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk)
    assert (booking.room, booking.starts_at, booking.ends_at, booking.title) == (hall, at(12, 9, 30), at(12, 11),
                                                                                "郡园居民议事会")
    assert meeting.venue == "多功能厅（党群服务中心 二楼）"


def test_a_meeting_whose_room_is_taken_is_refused_and_nothing_is_saved(community, committee_staff, talent, hall):
    book(hall, talent, at(12, 9), at(12, 10))
    with pytest.raises(RoomClash, match="书香工作室·绘本阅读"):
        create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    assert not Meeting.objects.exists() and not MeetingEvent.objects.exists()
    assert not Notification.objects.exists()
    assert RoomBooking.objects.count() == 1


def test_a_room_of_another_community_is_refused(community, committee_staff, foreign_room):
    with pytest.raises(DomainError, match="只能选择本社区的活动室"):
        create(community, committee_staff, foreign_room, at(12, 9, 30), at(12, 11))
    assert not Meeting.objects.exists()


def test_moving_the_meeting_moves_its_booking_and_a_clash_changes_nothing(community, committee_staff, talent, hall,
                                                                           studio_room):
    meeting = create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=at(13, 9, 30), ends_at=at(13, 11),
                     now=NOW)
    booking = room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk)
    assert (booking.starts_at, booking.ends_at) == (at(13, 9, 30), at(13, 11))
    assert RoomBooking.objects.count() == 1  # moved, not booked again

    book(hall, talent, at(14, 10), at(14, 11))
    with pytest.raises(RoomClash):
        svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=at(14, 9, 30), ends_at=at(14, 11),
                         now=NOW)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.version) == (at(13, 9, 30), 2)
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk).starts_at == at(13, 9, 30)

    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=at(13, 9, 30), ends_at=at(13, 11),
                     room=studio_room, now=NOW)
    meeting.refresh_from_db()
    assert meeting.room == studio_room and meeting.venue == "书香工作室（党群服务中心 一楼）"
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk).room == studio_room

    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=at(13, 9, 30), ends_at=at(13, 11),
                     room=None, now=NOW)
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk) is None


def test_cancelling_the_meeting_frees_its_room(community, committee_staff, talent, hall):
    meeting = create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="暴雨预警", now=NOW)
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk) is None
    assert RoomBooking.objects.get().cancelled_by == committee_staff
    book(hall, talent, at(12, 9, 30), at(12, 11))  # the time is free again


def test_renaming_the_meeting_renames_its_booking(community, committee_staff, hall):
    meeting = create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    svc.meeting_update(actor=committee_staff, meeting_id=meeting.pk, title="维修基金专题议事会",
                       organiser=committee_staff)
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk).title == "维修基金专题议事会"


def test_a_series_meeting_gets_a_room_and_the_series_change_carries_the_booking(community, committee_staff, hall):
    series = ser.series_create(actor=committee_staff, community=community, title="郡园居民议事会",
                               kind=MeetingKind.DELIBERATION, rrule="FREQ=MONTHLY;BYDAY=2SA",
                               first_starts_at=at(12, 9, 30), duration_minutes=90, venue="党群服务中心",
                               organiser=committee_staff, now=NOW)
    first = Meeting.objects.filter(series=series).order_by("starts_at").first()
    assert svc.meeting_room_book(meeting_id=first.pk, actor=committee_staff, room=hall, now=NOW).changed
    assert not svc.meeting_room_book(meeting_id=first.pk, actor=committee_staff, room=hall, now=NOW).changed
    first.refresh_from_db()
    assert first.venue == "党群服务中心" and first.status == Meeting.Status.SCHEDULED  # nobody told of a move
    ser.series_update(actor=committee_staff, series_id=series.pk, title="郡园居民议事会", rrule="FREQ=MONTHLY;BYDAY=2SA",
                      first_starts_at=at(12, 9, 30), duration_minutes=120, venue="党群服务中心",
                      organiser=committee_staff, now=NOW)
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=first.pk).ends_at == at(12, 11, 30)


# --- the meeting pages ------------------------------------------------------------------------------------------

def _meeting_post(start, end, room, venue=""):
    return {"title": "郡园居民议事会", "kind": MeetingKind.DELIBERATION, "day": start.date().isoformat(),
            "start_time": f"{start:%H:%M}", "end_time": f"{end:%H:%M}", "venue": venue, "room": room.pk if room else "",
            "organiser": ""}


def test_the_meeting_form_shows_the_clash_by_the_time_field_and_saves_nothing(client, community, committee_staff,
                                                                             talent, hall):
    book(hall, talent, ahead(9), ahead(10), now=None)
    client.force_login(committee_staff)
    data = _meeting_post(ahead(9, 30), ahead(11), hall)
    data["organiser"] = committee_staff.pk
    response = client.post(reverse("communities:meeting_new") + f"?community={community.slug}", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "书香工作室·绘本阅读" in " ".join(form.errors["start_time"])
    assert "该时段已被占用" in response.content.decode()
    assert not Meeting.objects.exists() and RoomBooking.objects.count() == 1


def test_the_meeting_form_books_the_room_and_needs_a_venue_or_a_room(client, community, committee_staff, hall):
    client.force_login(committee_staff)
    data = _meeting_post(ahead(9, 30), ahead(11), None)
    data["organiser"] = committee_staff.pk
    page = reverse("communities:meeting_new") + f"?community={community.slug}"
    response = client.post(page, data)
    assert response.status_code == 400 and "请填写地点，或选择一间活动室。" in response.content.decode()
    data["room"] = hall.pk
    assert client.post(page, data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.room == hall and room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk)


def test_the_move_page_moves_the_booking_and_a_clash_is_shown_by_the_time(client, community, committee_staff, talent,
                                                                         hall):
    meeting = create(community, committee_staff, hall, ahead(9, 30), ahead(11), now=None)
    book(hall, talent, ahead(14), ahead(15), now=None)
    client.force_login(committee_staff)
    data = {"day": ahead(14).date().isoformat(), "start_time": "14:30", "end_time": "16:00",
            "venue": meeting.venue, "room": hall.pk, "reason": ""}
    response = client.post(reverse("communities:meeting_move", args=[meeting.pk]), data)
    assert response.status_code == 400 and "书香工作室·绘本阅读" in " ".join(response.context["form"].errors["start_time"])
    data["start_time"] = "15:00"
    assert client.post(reverse("communities:meeting_move", args=[meeting.pk]), data).status_code == 302
    assert room_booking_for(source_kind=MEETING_SOURCE, source_id=meeting.pk).starts_at == ahead(15)


def test_a_closed_room_is_not_offered_but_a_meeting_keeps_its_own(community, committee_staff, hall, studio_room):
    meeting = create(community, committee_staff, hall, at(12, 9, 30), at(12, 11))
    Room.objects.filter(pk=hall.pk).update(active=False)
    from communities.forms.meetings import MeetingForm, MoveForm
    from communities.selectors.meetings import community_people

    new = MeetingForm(community=community, people=community_people(community=community))
    assert list(new.fields["room"].queryset) == [studio_room]
    move = MoveForm.for_meeting(Meeting.objects.get(pk=meeting.pk))
    assert set(move.fields["room"].queryset) == {hall, studio_room}
