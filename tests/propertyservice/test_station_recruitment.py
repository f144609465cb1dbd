"""Recruitment (application → training → assessment → hired, a failed assessment retaken) on the core state
machine, double clicks as repeats, the age rule on the application, training sessions with attendance and
the person's training record; the demo seeded twice."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Backbone, Person, Role, Team
from communities.services.errors import DomainError
from propertyservice.models import (
    CertificateKind, PostKind, Recruit, RecruitEvent, StaffPost, TrainingAttendance, TrainingSession,
)
from propertyservice.selectors.station import training_record
from propertyservice.services import staffing as svc
from propertyservice.services.station import certificate_record, post_ensure

from ..factories import make_member
from .world import (  # noqa: F401
    DAY, NOW, at, committee, head, head2, make_house, make_station, make_village, other_village, station,
    staff_member, village, villager,
)

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


@pytest.fixture
def gate(village, committee):
    return post_ensure(actor=committee, community=village, kind=PostKind.GATE, name="门岗安保",
                       certificate_kind=CertificateKind.GUARD, security=True)[0]


@pytest.fixture
def greening(village, committee):
    return post_ensure(actor=committee, community=village, kind=PostKind.GREENING, name="绿化保洁")[0]


def person(user):
    return Person.objects.get(user=user)


def apply(actor, village, user, post, **kw):
    return svc.recruit_apply(actor=actor, community=village, person=person(user), post=post, now=NOW, **kw)


def test_the_whole_way_with_a_retake_and_repeats(head, committee, villager, village, station, greening):
    recruit = apply(head, village, villager, greening).obj
    assert not apply(head, village, villager, greening).changed  # a double-clicked application
    assert svc.recruit_start_training(recruit_id=recruit.pk, actor=head).changed
    assert not svc.recruit_start_training(recruit_id=recruit.pk, actor=head).changed
    assert svc.recruit_assess(recruit_id=recruit.pk, actor=head, passed=False, score=45, note="安全知识不熟").changed
    assert not svc.recruit_assess(recruit_id=recruit.pk, actor=head, passed=False, score=45).changed
    with pytest.raises(DomainError):  # failed: retake first
        svc.recruit_hire(recruit_id=recruit.pk, actor=head)
    assert svc.recruit_retake(recruit_id=recruit.pk, actor=committee).changed
    assert svc.recruit_assess(recruit_id=recruit.pk, actor=head, passed=True, score=88).changed
    assert svc.recruit_hire(recruit_id=recruit.pk, actor=head, since=TODAY).changed
    assert not svc.recruit_hire(recruit_id=recruit.pk, actor=head, since=TODAY).changed
    recruit.refresh_from_db()
    assert recruit.status == Recruit.Status.HIRED
    assert list(RecruitEvent.objects.filter(recruit=recruit).values_list("action", flat=True)) == [
        "applied", "start_training", "fail", "retake", "pass", "hire"]
    assert [(a.passed, a.score) for a in recruit.assessments.all()] == [(False, 45), (True, 88)]
    assert StaffPost.objects.filter(person=person(villager), post=greening, until__isnull=True).count() == 1


def test_a_pass_needs_60_points(head, villager, village, station, greening):
    recruit = apply(head, village, villager, greening).obj
    svc.recruit_start_training(recruit_id=recruit.pk, actor=head)
    with pytest.raises(DomainError):
        svc.recruit_assess(recruit_id=recruit.pk, actor=head, passed=True, score=59)
    assert not recruit.assessments.exists()


def test_an_under_18_applicant_is_refused_a_security_post(head, villager, village, station, gate, greening):
    seventeen = TODAY.replace(year=TODAY.year - 17)
    with pytest.raises(DomainError) as refused:
        apply(head, village, villager, gate, birth_date=seventeen)
    assert "第十六条" in str(refused.value.message)
    with pytest.raises(DomainError, match="出生日期"):
        apply(head, village, villager, gate)
    assert not Recruit.objects.exists()
    assert apply(head, village, villager, greening, birth_date=seventeen).changed  # not a security post


def test_hiring_a_guard_needs_the_certificate_and_the_birth_date_on_the_application(
        head, committee, villager, village, station, gate):
    recruit = apply(head, village, villager, gate, birth_date=dt.date(1994, 5, 1)).obj
    assert Person.objects.get(pk=recruit.person_id).birth_date is None and recruit.birth_date == dt.date(1994, 5, 1)
    svc.recruit_start_training(recruit_id=recruit.pk, actor=head)
    svc.recruit_assess(recruit_id=recruit.pk, actor=head, passed=True, score=90)
    with pytest.raises(DomainError, match="保安员证"):
        svc.recruit_hire(recruit_id=recruit.pk, actor=head, since=TODAY, now=NOW)
    recruit.refresh_from_db()
    assert recruit.status == Recruit.Status.PASSED
    certificate_record(actor=committee, community=village, person=person(villager), kind=CertificateKind.GUARD,
                       number="沪保777", issued_on=TODAY - DAY, expires_on=TODAY + 900 * DAY,
                       issued_by="宝山分局", now=NOW)
    assert svc.recruit_hire(recruit_id=recruit.pk, actor=head, since=TODAY, now=NOW).changed


def test_station_staff_who_are_not_heads_cannot_take_steps(head, staff_member, villager, village, station,
                                                           greening):
    with pytest.raises(PermissionDenied):
        apply(staff_member, village, villager, greening)
    recruit = apply(head, village, villager, greening).obj
    with pytest.raises(PermissionDenied):
        svc.recruit_start_training(recruit_id=recruit.pk, actor=staff_member)


def test_the_pages_take_the_steps_and_another_village_is_a_404(client, head, staff_member, villager, village,
                                                               station, greening, other_village):
    client.force_login(head)
    listing = reverse("propertyservice:recruit_list")
    response = client.post(f"{listing}?community={village.slug}",
                           {"person": person(villager).pk, "post": greening.pk, "note": "自荐"})
    assert response.status_code == 302
    recruit = Recruit.objects.get()
    step = reverse("propertyservice:recruit_step", args=[recruit.pk, "start_training"])
    assert client.post(f"{step}?community={village.slug}").status_code == 302
    assert client.post(f"{step}?community={village.slug}").status_code == 302  # the repeat says so
    page = client.get(reverse("propertyservice:recruit_detail", args=[recruit.pk]), {"community": village.slug})
    assert "培训中" in page.content.decode() and "记录考核结果" in page.content.decode()
    assess = reverse("propertyservice:recruit_step", args=[recruit.pk, "assess"])
    assert client.post(f"{assess}?community={village.slug}", {"passed": "1", "score": "30"}).status_code == 400
    assert client.post(f"{assess}?community={village.slug}", {"passed": "1", "score": "80"}).status_code == 302
    assert RecruitEvent.objects.filter(recruit=recruit).count() == 3
    client.force_login(staff_member)
    assert client.get(reverse("propertyservice:recruit_detail", args=[recruit.pk]),
                      {"community": village.slug}).status_code == 200
    hire = reverse("propertyservice:recruit_step", args=[recruit.pk, "hire"])
    assert client.post(f"{hire}?community={village.slug}", {"since": "2026-03-10"}).status_code == 403
    outsider = make_member(other_village, Role.COMMITTEE_STAFF, username="other-cunwei")
    client.force_login(outsider)
    assert client.get(reverse("propertyservice:recruit_detail", args=[recruit.pk]),
                      {"community": other_village.slug}).status_code == 404
    assert client.get(reverse("propertyservice:recruit_detail", args=[recruit.pk]),
                      {"community": village.slug}).status_code == 404


def test_a_training_session_with_attendance_and_the_training_record(client, head, staff_member, villager, village,
                                                                    station, greening):
    apply(head, village, villager, greening)
    client.force_login(head)
    response = client.post(reverse("propertyservice:training_list") + f"?community={village.slug}", {
        "topic": "消防安全与灭火器使用", "day": "2026-03-08", "start_time": "14:00", "hours": "2.5",
        "trainer": "消防站", "place": "村委会议室"})
    assert response.status_code == 302
    client.post(reverse("propertyservice:training_list") + f"?community={village.slug}", {
        "topic": "消防安全与灭火器使用", "day": "2026-03-08", "start_time": "14:00", "hours": "2.5"})
    session = TrainingSession.objects.get()  # pressed twice: one session
    url = reverse("propertyservice:training_detail", args=[session.pk]) + f"?community={village.slug}"
    page = client.get(url).content.decode()
    assert "丁阿婆" in page and "丁卫东" in page  # the recruit and the staff are on the form
    present = [person(staff_member).pk, person(villager).pk]
    assert client.post(url, {"present": present}).status_code == 302
    assert client.post(url, {"present": present}).status_code == 302  # sent twice: the same rows
    assert TrainingAttendance.objects.filter(present=True).count() == 2
    record = training_record(person=person(villager), community=village)
    assert record.count == 1 and str(record.hours) == "2.5"
    page = client.get(reverse("propertyservice:station_person", args=[person(villager).pk]),
                      {"community": village.slug}).content.decode()
    assert "消防安全与灭火器使用" in page
    client.force_login(staff_member)
    assert client.post(url, {"present": []}).status_code == 403


# --- the demo ------------------------------------------------------------------------------------------------

def test_the_demo_seeds_twice_and_stays(db):
    from communities.models import DocumentAcknowledgement, Rota
    from propertyservice.demo.station import demo_station_seed
    from propertyservice.models import Certificate, StationPost

    gm = make_village("guangming", "光明村")
    staff = make_member(gm, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    users = [make_member(gm, Role.STATION_STAFF, username=u, name=n) for u, n in (
        ("station", "周国强"), ("station2", "施建华"), ("station3", "杨桂英"), ("station4", "丁卫东"),
        ("station5", "钱秀兰"), ("station6", "姚根宝"))]
    make_member(gm, Role.RESIDENT, username="villager", unit=make_house(gm), name="丁阿婆")
    team = make_station(gm, users[0])
    Rota.objects.create(community=gm, name="服务站值班巡逻", kind=Rota.Kind.PATROL, manager=users[0])

    def counts():
        return (StationPost.objects.count(), Certificate.objects.count(), StaffPost.objects.count(),
                Recruit.objects.count(), RecruitEvent.objects.count(), TrainingSession.objects.count(),
                TrainingAttendance.objects.count(), DocumentAcknowledgement.objects.count(),
                Backbone.objects.filter(team=team, term_end__isnull=True).count())

    demo_station_seed()
    first = counts()
    demo_station_seed()
    assert counts() == first
    assert first == (5, 4, 7, 1, 2, 1, 4, 5, 2)
    assert Recruit.objects.get().status == Recruit.Status.TRAINING
    assert Team.objects.get(community=gm, kind=Team.Kind.STATION).backbones.filter(
        user__username="station2", office=Backbone.Office.STATION_HEAD).exists()
    assert staff is not None
