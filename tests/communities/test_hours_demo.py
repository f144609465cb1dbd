"""The demo's volunteer-hours history (郡园's mothers): entries from the teaching rota, one waiting for review,
one manual entry waiting for a second person, one correction, one issued certificate; a second seed adds nothing."""
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from communities.models import User, VolunteerCertificate, VolunteerHours

from .demo_seeded import seed_output, seeded  # noqa: F401  (fixtures)

Status = VolunteerHours.Status


def test_the_mothers_have_a_history_of_hours(seeded):
    # The core demo's hours: the mothers' teaching rota and the staff's manual entries (the talents demo adds its
    # squad's patrol, source talents.squad_task, on top).
    hours = VolunteerHours.objects.filter(community__slug="junyuan").exclude(source_kind__startswith="talents.")
    mothers = {f"mum{i}" for i in range(1, 7)}
    assert set(hours.values_list("volunteer__username", flat=True)) == mothers
    assert hours.filter(source_kind="communities.shift", status=Status.RECORDED).count() >= 40
    assert hours.filter(status=Status.AWAITING_REVIEW).count() == 1
    assert hours.filter(status=Status.AWAITING_CONFIRMATION, source_kind="manual").count() == 1
    corrected = hours.get(status=Status.SUPERSEDED)
    assert corrected.corrections.get().reason and corrected.correction_requests.get().status == "corrected"
    months = hours.dates("starts_at", "month")
    assert len(months) >= 3


def test_one_certificate_is_issued_after_its_notice(seeded):
    cert = VolunteerCertificate.objects.get(community__slug="junyuan")
    assert cert.status == "issued" and cert.number.startswith("罗店郡园〔") and cert.number.endswith("第001号")
    assert (cert.issued_on - cert.notice_starts_on).days >= 7 and cert.volunteer.username == "mum1"


def test_a_mother_sees_her_platform_records_and_prints_her_certificate(seeded, client):
    mum = User.objects.get(username="mum1")
    client.force_login(mum)
    page = client.get(reverse("communities:hours_mine")).content.decode()
    assert "平台记录" in page and "宝妈志愿授课" in page
    cert = VolunteerCertificate.objects.get(volunteer=mum)
    assert client.get(reverse("communities:certificate_pdf", args=[cert.pk]))["Content-Type"] == "application/pdf"


def test_a_second_seed_adds_no_hours(seeded):
    before = (VolunteerHours.objects.count(), VolunteerCertificate.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (VolunteerHours.objects.count(), VolunteerCertificate.objects.count()) == before
