"""seed_demo's rooms: 郡园's 党群服务中心 with its four rooms, a few bookings this week, the 郡园居民议事会's coming
meetings in the 多功能厅; seeding again creates nothing."""
from django.urls import reverse
from django.utils import timezone

from communities.demo.rooms import demo_rooms_seed
from communities.models import Meeting, Room, RoomBooking
from communities.selectors.rooms import MEETING_SOURCE

from .demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_junyuan_has_the_four_rooms_of_its_service_centre(seeded):
    rooms = dict(Room.objects.filter(community__slug="junyuan").values_list("name", "capacity"))
    assert rooms == {"多功能厅": 60, "书香工作室": 20, "墨香书法室": 16, "活动室": 30}


def test_the_weeks_bookings_and_the_deliberation_meetings_in_the_hall(seeded):
    assert RoomBooking.objects.filter(room__community__slug="junyuan", source_kind="").count() >= 5
    upcoming = Meeting.objects.filter(community__slug="junyuan", series__title="郡园居民议事会",
                                      starts_at__gt=timezone.now())
    assert upcoming.exists()
    for meeting in upcoming:
        assert meeting.room.name == "多功能厅"
        assert RoomBooking.objects.filter(source_kind=MEETING_SOURCE, source_id=meeting.pk,
                                          cancelled_at__isnull=True, starts_at=meeting.starts_at).exists()


def test_seeding_rooms_again_creates_nothing(seeded):
    before = RoomBooking.objects.count()
    assert demo_rooms_seed() == 0
    assert RoomBooking.objects.count() == before


def test_the_talent_login_sees_and_books_the_rooms(seeded, client):
    from communities.models import User

    client.force_login(User.objects.get(username="talent"))
    page = client.get(reverse("communities:room_list")).content.decode()
    assert "墨香书法室" in page and "活动室预约" in page  # the rooms, and the menu entry of those who book
