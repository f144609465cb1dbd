"""The appointment pages (on the real clock): the service page with its slots and 预约, the host's page, my
appointments; each right role succeeds, a wrong role is refused, another community gets 404; constant queries."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Role
from talents.models import BookingStatus, ServiceBooking, ServiceSlot

from ..factories import make_member
from .services_world import id_photos, junyuan, people, studio_with_host


@pytest.fixture
def world(db):
    community = junyuan()
    host = make_member(community, Role.TALENT, username="photographer", name="摄影达人")
    studio = studio_with_host(community, host)
    service = id_photos(studio, host)
    return {"community": community, "host": host, "studio": studio, "service": service,
            "residents": people(community, 2)}


def open_slots(service, n, *, capacity=1, after=0):
    """``n`` slots of 15 minutes from tomorrow at this hour, every 20 minutes (skipping the first ``after``)."""
    start = (timezone.now() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    return [ServiceSlot.objects.create(service=service, starts_at=start + i * dt.timedelta(minutes=20),
                                       ends_at=start + i * dt.timedelta(minutes=20) + dt.timedelta(minutes=15),
                                       capacity=capacity) for i in range(after, after + n)]


def test_a_resident_books_from_the_service_page_and_sees_it_in_my_appointments(client, world):
    resident = world["residents"][0]
    slot = open_slots(world["service"], 1)[0]
    client.force_login(resident)
    page = client.get(reverse("talents:service_detail", args=[world["service"].pk])).content.decode()
    assert "免费证件照" in page and "预约" in page and "《志愿服务条例》第十九条" in page
    response = client.post(reverse("talents:slot_book", args=[slot.pk]), follow=True)
    assert "已预约，请等待主理人确认" in response.content.decode()
    again = client.post(reverse("talents:slot_book", args=[slot.pk]), follow=True)
    assert "您已预约过这个时段" in again.content.decode()
    assert ServiceBooking.objects.filter(slot=slot, user=resident).count() == 1
    mine = client.get(reverse("talents:my_appointments")).content.decode()
    assert "免费证件照" in mine and "待确认" in mine


def test_a_full_slot_says_so_and_a_post_is_refused_with_a_message(client, world):
    first, second = world["residents"]
    slot = open_slots(world["service"], 1)[0]
    ServiceBooking.objects.create(slot=slot, user=first)
    client.force_login(second)
    assert "已约满" in client.get(reverse("talents:service_detail", args=[world["service"].pk])).content.decode()
    response = client.post(reverse("talents:slot_book", args=[slot.pk]), follow=True)
    assert "名额已满" in response.content.decode()
    assert not ServiceBooking.objects.filter(user=second).exists()


def test_the_host_confirms_and_opens_a_day_of_slots(client, world):
    resident = world["residents"][0]
    slot = open_slots(world["service"], 1)[0]
    booking = ServiceBooking.objects.create(slot=slot, user=resident)
    client.force_login(world["host"])
    url = reverse("talents:studio_services_manage", args=["sheying"])
    page = client.get(url).content.decode()
    assert resident.display_name() in page and "确认" in page
    client.post(reverse("talents:booking_confirm", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(url, {"do": "slots", "service": world["service"].pk, "slots-day": day.isoformat(),
                                 "slots-first": "09:00", "slots-count": "4", "slots-capacity": "1",
                                 "slots-gap_minutes": "0"})
    assert response.status_code == 302
    assert ServiceSlot.objects.filter(service=world["service"], starts_at__date__gte=day).count() == 4
    bad = client.post(url, {"do": "service", "service-title": "", "service-duration_minutes": "15"})
    assert bad.status_code == 400


def test_a_resident_and_another_studios_host_may_not_manage(client, world):
    other_host = make_member(world["community"], Role.TALENT, username="calligrapher")
    studio_with_host(world["community"], other_host, slug="moxiang", name="墨香工作室")
    url = reverse("talents:studio_services_manage", args=["sheying"])
    for user in (world["residents"][0], other_host):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(other_host)
    assert client.get(reverse("talents:studio_services_manage", args=["moxiang"])).status_code == 200


def test_another_community_gets_404(client, world, outsider):
    slot = open_slots(world["service"], 1)[0]
    client.force_login(outsider)
    assert client.get(reverse("talents:service_detail", args=[world["service"].pk])).status_code == 404
    assert client.post(reverse("talents:slot_book", args=[slot.pk])).status_code == 404
    assert client.get(reverse("talents:studio_services_manage", args=["sheying"])).status_code == 404
    assert not ServiceBooking.objects.exists()


def test_only_the_resident_cancels_their_booking(client, world):
    first, second = world["residents"]
    slot = open_slots(world["service"], 1)[0]
    booking = ServiceBooking.objects.create(slot=slot, user=first)
    client.force_login(second)
    assert client.post(reverse("talents:booking_cancel", args=[booking.pk])).status_code == 403
    client.force_login(first)
    client.post(reverse("talents:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("page", ["service", "manage"])
def test_the_pages_run_a_constant_number_of_queries(client, world, django_assert_max_num_queries, page):
    def load():
        url = (reverse("talents:service_detail", args=[world["service"].pk]) if page == "service"
               else reverse("talents:studio_services_manage", args=["sheying"]))
        client.force_login(world["host"])
        assert client.get(url).status_code == 200

    slots = open_slots(world["service"], 1, capacity=3)
    ServiceBooking.objects.create(slot=slots[0], user=world["residents"][0])
    with django_assert_max_num_queries(40) as few:
        load()
    more = open_slots(world["service"], 30, capacity=3, after=1)
    extra = people(world["community"], 20, prefix="more")
    for i, user in enumerate(extra):
        ServiceBooking.objects.create(slot=more[i], user=user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        load()
