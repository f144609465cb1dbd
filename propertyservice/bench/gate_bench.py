"""The gate benchmark's measurement (``manage.py bench_gate``): a 光明村-like village with the standard v1 in
force and 400 visitor spaces; one station staff member on the gate logs ``cars`` outside cars in (each entered
3 h 20 min ago through the form's time field, so each log-out computes a fee), then logs each out and takes the
payment, all through the Django test client against PostgreSQL. Prints median and p95 per request kind."""
import datetime as dt
import statistics
import time
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, CommunityApp, Membership, Role, User, VillageGroup

from ..demo.parking import adopted_motion
from ..models import GateEntry, ParkingCharge, ParkingSpace
from ..services.parking import standard_create


def _world(cars: int):
    community, _ = Community.objects.get_or_create(slug="gate-bench", defaults={
        "name": "门岗测速村", "kind": Community.Kind.VILLAGE})
    CommunityApp.objects.get_or_create(community=community, app_label="propertyservice")
    guard, _ = User.objects.get_or_create(username="gate-bench-guard")
    Membership.objects.get_or_create(user=guard, community=community, role=Role.STATION_STAFF)
    now = timezone.now()
    motion = adopted_motion(community=community, actor=guard, title="测速村村民会议", motion_title="收费标准",
                            at=now - dt.timedelta(days=10))
    standard_create(actor=guard, community=community, motion=motion, effective_from=now - dt.timedelta(days=10),
                    free_minutes=60, daily_cap=Decimal("30"), bands=[{
                        "start": dt.time(0), "end": dt.time(0), "unit_minutes": 60, "unit_price": Decimal("3"),
                        "cap": None}])
    group, _ = VillageGroup.objects.get_or_create(community=community, name="丁钱")
    ParkingSpace.objects.bulk_create(ParkingSpace(community=community, village_group=group, number=f"{n}号",
                                                  sort_key=n, kind=ParkingSpace.Kind.VISITOR)
                                     for n in range(1, max(cars, 400) + 1))
    return community, guard


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def run(*, cars: int, write) -> dict:
    community, guard = _world(cars)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(guard)
    client.get(reverse("propertyservice:gate"), {"community": community.slug}, secure=True)  # warm up
    timings: dict[str, list[float]] = {"enter": [], "exit": [], "pay": [], "gate page": []}  # ms
    entered_at = timezone.localtime(timezone.now() - dt.timedelta(hours=3, minutes=20)).strftime("%Y-%m-%dT%H:%M")
    for i in range(cars):
        start = time.perf_counter()
        response = client.post(reverse("propertyservice:gate_enter"), {
            "community": community.slug, "kind": "vehicle", "plate": f"沪A{10000 + i}", "vehicle_class": "car",
            "visiting": "丁钱组", "reason": "测速", "at": entered_at}, secure=True)
        timings["enter"].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302 and "/gate/" in response["Location"], response.status_code
    for _ in range(10):  # the gate page with every car in
        start = time.perf_counter()
        client.get(reverse("propertyservice:gate"), {"community": community.slug}, secure=True)
        timings["gate page"].append((time.perf_counter() - start) * 1000)
    for entry in GateEntry.objects.filter(community=community, exited_at__isnull=True).order_by("pk"):
        start = time.perf_counter()
        response = client.post(reverse("propertyservice:gate_exit", args=[entry.pk]), secure=True)
        timings["exit"].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302
        charge = ParkingCharge.objects.get(entry=entry, paid_at__isnull=True)
        start = time.perf_counter()
        response = client.post(reverse("propertyservice:gate_pay", args=[charge.pk]), {"method": "cash"}, secure=True)
        timings["pay"].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302
    fees = set(ParkingCharge.objects.filter(entry__community=community).values_list("amount", flat=True))
    write(f"{cars} outside cars, 3 h 20 min each; fees charged: {sorted(str(f) for f in fees)}")
    figures = {}
    for kind, samples in timings.items():
        median, p95 = _ms(samples)
        figures[kind] = (median, p95)
        write(f"{kind:>10}: {len(samples):4d} requests  median {median:6.1f} ms  p95 {p95:6.1f} ms")
    return figures
