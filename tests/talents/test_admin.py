"""The admin lists 郡园's records and the core's rooms and volunteer hours, read-only: an administrator reads and
searches them, and can neither add, edit nor delete (the hours record is append-only; the pages' services keep the
audit trail). No child's data is listed."""
import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from communities.models import Room, RoomBooking, VolunteerCertificate, VolunteerHours
from communities.services.hours import certificate_propose
from talents.models import (
    ClassSession, Enrolment, HostQualification, Merchant, ServiceSlot, SquadProposal, Studio, StudioService,
    TalentClass,
)
from talents.services.enrolment import enrolment_request
from talents.services.sessions import class_sessions_generate

from ..factories import UserFactory
from .classes_world import HOUR, MONDAY, at, host, jy_staff, junyuan, make_class, own, resident, studio  # noqa: F401

pytestmark = pytest.mark.django_db

MODELS = (Room, RoomBooking, VolunteerHours, VolunteerCertificate, Studio, HostQualification, Merchant, TalentClass,
          ClassSession, Enrolment, StudioService, ServiceSlot, SquadProposal)


@pytest.fixture
def rows(junyuan, studio, host, jy_staff):
    room = Room.objects.create(community=junyuan, name="书画室", where="党群服务中心二楼", capacity=20)
    RoomBooking.objects.create(room=room, starts_at=at(5, 9), ends_at=at(5, 10), title="碰头会", booked_by=jy_staff)
    VolunteerHours.objects.create(community=junyuan, volunteer=host, activity="书法公益课", starts_at=at(-7, 9),
                                  ends_at=at(-7, 10), minutes=60, source_kind="manual", entered_by=jy_staff,
                                  confirmed_by=jy_staff, confirmed_how=VolunteerHours.How.ORGANISER)
    certificate_propose(actor=jy_staff, community=junyuan, volunteer=host, period_from=dt.date(2026, 2, 1),
                        period_to=dt.date(2026, 2, 28), person_in_charge="周敏", contact_phone="021-5555 0202",
                        now=MONDAY)
    HostQualification.objects.create(studio=studio, host=host, kind=HostQualification.Kind.BACKGROUND,
                                     number="BG-1", checked_on=dt.date(2026, 1, 5), checked_by=jy_staff,
                                     born_on=dt.date(1960, 5, 1))
    Merchant.objects.create(community=junyuan, name="美兰湖茶饮", address="美兰湖路 1 号", phone="13900001111")
    tc = make_class(studio, organiser=host)
    class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    guest = resident(junyuan, "guest")
    enrolment_request(talent_class=tc, actor=guest, person_ids=own(guest), now=MONDAY)
    service = StudioService.objects.create(studio=studio, created_by=host, title="免费证件照")
    ServiceSlot.objects.create(service=service, starts_at=at(1, 9), ends_at=at(1, 9) + HOUR / 4)
    SquadProposal.objects.create(community=junyuan, name="护绿小分队", purpose="照看绿地", proposed_by=host)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_record_is_listed_and_opens_read_only(client, rows, superuser, model):
    client.force_login(superuser)
    info = model._meta.app_label, model._meta.model_name
    listing = client.get(reverse("admin:%s_%s_changelist" % info), {"q": "a"} if admin.site._registry[model]
                         .search_fields else {})
    assert listing.status_code == 200
    obj = model.objects.first()
    assert client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200
    assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 403
    assert client.post(reverse("admin:%s_%s_delete" % info, args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_no_childs_data_nor_a_hosts_birth_date_is_shown(client, rows, superuser):
    client.force_login(superuser)
    qualification = HostQualification.objects.get()
    page = client.get(reverse("admin:talents_hostqualification_change", args=[qualification.pk])).content.decode()
    assert "1960" not in page
    from talents.models import ChildProfile, Guardianship

    assert ChildProfile not in admin.site._registry and Guardianship not in admin.site._registry
