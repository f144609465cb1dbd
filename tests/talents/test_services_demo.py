"""The demo of services by appointment and 宝妈轮流 (seed_demo): ID-photo slots this week and next with bookings,
the mothers' background checks with their yearly expiry, the ratio 1:6 and one session below it; a second run
creates nothing."""
import datetime as dt

from communities.models import MemberQualification, Notification, Rota, Shift
from communities.selectors.rotas import ratio_breach
from talents.demo.mothers import demo_mothers_seed
from talents.demo.services import demo_services_seed
from talents.models import ServiceBooking, ServiceSlot, StudioService

from ..communities.demo_seeded import seed_output, seeded  # noqa: F401  (the shared seed fixture)


def test_id_photo_slots_this_week_and_next_with_bookings(seeded):
    service = StudioService.objects.get(studio__slug="sheying", title="免费证件照")
    slots = ServiceSlot.objects.filter(service=service)
    assert slots.count() >= 16
    span = slots.order_by("-starts_at").first().starts_at - slots.order_by("starts_at").first().starts_at
    assert span <= dt.timedelta(days=14)
    assert set(ServiceBooking.objects.filter(slot__service=service).values_list("status", flat=True)) == {
        "requested", "confirmed"}
    assert StudioService.objects.filter(studio__slug="zhenjiu", needs_qualification="consultation").exists()


def test_the_mothers_rota_requires_the_background_check_and_has_a_session_below_the_ratio(seeded):
    rota = Rota.objects.get(community__slug="junyuan", name="宝妈志愿授课（阅读与作业辅导）")
    assert rota.children_per_adult == 6 and rota.required_qualification.name == "未成年人接触背景核查"
    held = MemberQualification.objects.filter(qualification=rota.required_qualification)
    assert held.count() == 6 and all(h.expires_on is not None for h in held)
    counted = Shift.objects.filter(rota=rota, children_expected__isnull=False).prefetch_related("assignments")
    breaches = [s for s in counted if ratio_breach(per_adult=6, children=s.children_expected,
                                                   adults=len(s.assignments.all()))]
    assert len(counted) >= 5 and len(breaches) == 1
    assert Notification.objects.filter(recipient=rota.manager, title__startswith="师生比不足").count() == 1


def test_a_second_run_creates_nothing(seeded):
    before = (ServiceSlot.objects.count(), ServiceBooking.objects.count(), Notification.objects.count())
    assert demo_services_seed() == {"slots": 0, "bookings": 0}
    assert demo_mothers_seed() == {"checks": 0, "sessions_counted": 0}
    assert (ServiceSlot.objects.count(), ServiceBooking.objects.count(), Notification.objects.count()) == before
