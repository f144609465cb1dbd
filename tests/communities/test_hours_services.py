"""The volunteer-hours record (RULES.md, volunteers): one entry per source, review over 1.5× the slot or 6 h, manual
entries confirmed by a second person, corrections as new rows, no hours for paid activities, hours from attended
shifts of volunteering rotas, and certificates numbered from a register after 7 days' notice."""
import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from communities.models import (
    AuditEvent, Backbone, HoursCorrectionRequest, Notification, Role, Rota, ShiftAssignment, Team, VolunteerCertificate,
    VolunteerHours,
)
from communities.selectors.hours import my_hours, team_month_totals, total_minutes
from communities.services import hours as svc
from communities.services.errors import DomainError
from communities.services.rota_duty import shift_check_in, shift_check_out

from ..factories import TeamFactory, make_member
from .hours_world import DAY, HOUR, NOW, at, record, volunteer_in
from .rota_helpers import MONDAY, generate, make_rota
from .rota_helpers import at as rota_at

Status = VolunteerHours.Status


@pytest.fixture
def mum(community):
    return volunteer_in(community)


@pytest.fixture
def staff2(community):
    return make_member(community, Role.COMMITTEE_STAFF, username="staff2", name="居委小王")


def manual(actor, volunteer, community, *, minutes=120, team=None, scheduled=None):
    starts = at(3, 8, 14)
    return svc.hours_enter_manual(actor=actor, volunteer=volunteer, community=community, team=team,
                                  activity="读书角整理", place="书香工作室", starts_at=starts,
                                  ends_at=starts + dt.timedelta(minutes=minutes), scheduled_minutes=scheduled, now=NOW)


# --- recording once per source ----------------------------------------------------------------------------

def test_a_source_is_recorded_once_and_a_repeat_returns_the_first_entry(mum, community):
    entry, created = record(mum, community, source_id=7)
    again, created_again = record(mum, community, source_id=7, minutes=60)
    assert created and not created_again and again.pk == entry.pk and again.minutes == 90
    assert VolunteerHours.objects.filter(volunteer=mum).count() == 1
    assert entry.status == Status.RECORDED and entry.events.get().action == "record"
    # Another volunteer of the same session is a source of their own.
    other = volunteer_in(community, username="mum2", name="李静")
    assert record(other, community, source_id=7)[1]


def test_the_database_refuses_a_second_row_for_one_source(mum, community):
    entry, _ = record(mum, community, source_id=8)
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerHours.objects.create(volunteer=mum, community=community, activity="x", starts_at=entry.starts_at,
                                      ends_at=entry.ends_at, minutes=10, source_kind=entry.source_kind, source_id=8)


def test_rows_are_never_edited_or_deleted_outside_their_status(mum, community):
    entry, _ = record(mum, community)
    entry.minutes = 600
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        VolunteerHours.objects.filter(pk=entry.pk).update(minutes=600)
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        VolunteerHours.objects.all().delete()


@pytest.mark.parametrize("minutes,scheduled,status", [
    (135, 90, Status.RECORDED),          # exactly 1.5× the slot passes
    (136, 90, Status.AWAITING_REVIEW),   # a minute more waits for review
    (360, None, Status.RECORDED),        # 6 hours exactly, no slot known
    (361, None, Status.AWAITING_REVIEW),  # over 6 hours
    (361, 300, Status.AWAITING_REVIEW),  # within 1.5× of a long slot, but over 6 hours
])
def test_review_thresholds(mum, community, minutes, scheduled, status):
    entry, _ = record(mum, community, minutes=minutes, scheduled=scheduled)
    assert entry.status == status


def test_paid_activities_earn_no_hours(mum, community):
    with pytest.raises(DomainError, match="体验课"):
        record(mum, community, paid=True)
    assert not VolunteerHours.objects.exists()


@pytest.mark.parametrize("change,message", [
    ({"how": ""}, "确认"),
    ({"minutes": 0}, "晚于开始"),
    ({"now": at(3, 3, 17)}, "还没有结束"),
])
def test_bad_recordings_are_refused_with_a_reason(mum, community, change, message):
    with pytest.raises(DomainError, match=message):
        record(mum, community, **change)
    assert not VolunteerHours.objects.exists()


@pytest.mark.parametrize("minutes,message", [(61, "不能超过"), (0, "大于 0")])
def test_minutes_must_fit_the_span(mum, community, minutes, message):
    starts = at(3, 3, 16)
    with pytest.raises(DomainError, match=message):
        svc.hours_record(volunteer=mum, community=community, activity="x", starts_at=starts, ends_at=starts + HOUR,
                         minutes=minutes, source_kind="talents.session", source_id=1, confirmed_how="organiser",
                         now=NOW)


# --- manual entries need a second person ---------------------------------------------------------------------

def test_a_manual_entry_waits_and_its_author_may_not_confirm_it(mum, community, committee_staff, staff2):
    entry = manual(committee_staff, mum, community)
    assert entry.status == Status.AWAITING_CONFIRMATION and entry.entered_by == committee_staff
    with pytest.raises(DomainError, match="另一个人确认"):
        svc.hours_confirm(entry=entry, actor=committee_staff, how="organiser", now=NOW)
    entry.refresh_from_db()
    assert entry.status == Status.AWAITING_CONFIRMATION
    assert total_minutes(user=mum) == 0

    assert svc.hours_confirm(entry=entry, actor=staff2, how="organiser", now=NOW)
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by, entry.confirmed_how) == (Status.RECORDED, staff2, "organiser")
    assert not svc.hours_confirm(entry=entry, actor=staff2, how="organiser", now=NOW)  # a double click
    assert total_minutes(user=mum) == 120
    assert [e.action for e in entry.events.all()] == ["enter", "confirm"]


def test_the_volunteer_may_not_confirm_their_own_hours_even_as_a_backbone(community, committee_staff):
    team = TeamFactory(community=community, kind=Team.Kind.SQUAD, name="护绿小分队")
    leader = volunteer_in(community, username="leader", name="队长")
    Backbone.objects.create(team=team, user=leader, office=Backbone.Office.BACKBONE, term_start=NOW.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=committee_staff)
    entry = manual(committee_staff, leader, community, team=team)
    with pytest.raises(DomainError, match="志愿者本人"):
        svc.hours_confirm(entry=entry, actor=leader, how="organiser", now=NOW)


def test_a_backbone_confirms_the_entries_of_their_own_team_only(community, committee_staff, mum):
    team, other_team = (TeamFactory(community=community, kind=Team.Kind.SQUAD, name=n) for n in ("护绿", "巡查"))
    leader = volunteer_in(community, username="leader", name="队长")
    Backbone.objects.create(team=team, user=leader, office=Backbone.Office.BACKBONE, term_start=NOW.date(),
                            source=Backbone.Source.APPOINTED, appointed_by=committee_staff)
    theirs = manual(committee_staff, mum, community, team=team)
    not_theirs = manual(committee_staff, mum, community, team=other_team)
    with pytest.raises(DomainError, match="不能确认"):
        svc.hours_confirm(entry=not_theirs, actor=leader, how="organiser", now=NOW)
    assert svc.hours_confirm(entry=theirs, actor=leader, how="served", now=NOW)


def test_an_over_long_manual_entry_waits_for_review_after_confirmation(mum, community, committee_staff, staff2):
    entry = manual(committee_staff, mum, community, minutes=400)
    svc.hours_confirm(entry=entry, actor=staff2, how="organiser", now=NOW)
    entry.refresh_from_db()
    assert entry.status == Status.AWAITING_REVIEW
    with pytest.raises(DomainError, match="原因"):
        svc.hours_review(entry=entry, actor=committee_staff, approve=False, note=" ", now=NOW)
    assert svc.hours_review(entry=entry, actor=committee_staff, approve=True, now=NOW)
    entry.refresh_from_db()
    assert entry.status == Status.RECORDED and total_minutes(user=mum) == 400


def test_a_rejection_tells_the_volunteer_and_counts_nothing(mum, community, committee_staff):
    entry, _ = record(mum, community, minutes=200)
    assert svc.hours_review(entry=entry, actor=committee_staff, approve=False, note="当天没有活动记录", now=NOW)
    entry.refresh_from_db()
    assert entry.status == Status.REJECTED and total_minutes(user=mum) == 0
    assert Notification.objects.filter(recipient=mum, title__contains="未通过").count() == 1


def test_a_resident_may_not_enter_or_review(mum, community, resident):
    with pytest.raises(DomainError, match="居委工作人员"):
        manual(resident, mum, community)
    entry, _ = record(mum, community, minutes=200)
    with pytest.raises(DomainError, match="居委工作人员"):
        svc.hours_review(entry=entry, actor=resident, approve=True, now=NOW)


def test_a_volunteer_of_another_community_cannot_be_entered(community, committee_staff, outsider):
    with pytest.raises(DomainError, match="不属于本社区"):
        manual(committee_staff, outsider, community)


# --- corrections keep history ----------------------------------------------------------------------------------

def test_a_correction_is_a_new_row_and_totals_use_it(mum, community, committee_staff):
    entry, _ = record(mum, community, minutes=120, scheduled=90, source_id=3)
    request, created = svc.hours_correction_request(entry=entry, actor=mum, message="只上到 18:00，应为 90 分钟", now=NOW)
    assert created and svc.hours_correction_request(entry=entry, actor=mum, message="再问", now=NOW) == (request, False)
    assert Notification.objects.filter(recipient=committee_staff, title__contains="申请更正").count() == 1

    new = svc.hours_correct(entry=entry, actor=committee_staff, minutes=90, reason="志愿者申请，按实际授课计",
                            request=request, now=NOW + HOUR)
    entry.refresh_from_db()
    request.refresh_from_db()
    assert entry.status == Status.SUPERSEDED and entry.minutes == 120  # kept, as it was
    assert (new.corrects, new.minutes, new.status, new.reason) == (entry, 90, Status.RECORDED, "志愿者申请，按实际授课计")
    assert (new.source_kind, new.source_id, new.confirmed_how) == (entry.source_kind, 3, entry.confirmed_how)
    assert request.status == HoursCorrectionRequest.Status.CORRECTED
    assert total_minutes(user=mum) == 90
    assert [e.pk for m in my_hours(user=mum) for e in m.entries] == [new.pk]
    # The source is still recorded once: recording it again returns the original, changes nothing.
    assert record(mum, community, source_id=3)[1] is False
    with pytest.raises(DomainError, match="最新的那条"):
        svc.hours_correct(entry=entry, actor=committee_staff, minutes=60, reason="再改", now=NOW)


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(mum, community, committee_staff):
    entry, _ = record(mum, community)
    with pytest.raises(DomainError, match="更正原因"):
        svc.hours_correct(entry=entry, actor=committee_staff, minutes=60, reason="  ", now=NOW)
    entry.refresh_from_db()
    assert entry.status == Status.RECORDED and VolunteerHours.objects.count() == 1


def test_correcting_an_unconfirmed_entry_still_needs_the_second_person(mum, community, committee_staff, staff2):
    entry = manual(committee_staff, mum, community)
    new = svc.hours_correct(entry=entry, actor=committee_staff, minutes=100, reason="录错了", now=NOW)
    assert new.status == Status.AWAITING_CONFIRMATION and new.entered_by == committee_staff
    with pytest.raises(DomainError, match="另一个人"):
        svc.hours_confirm(entry=new, actor=committee_staff, how="organiser", now=NOW)


def test_only_the_volunteer_asks_for_a_correction_and_staff_may_decline(mum, community, committee_staff, resident):
    entry, _ = record(mum, community)
    with pytest.raises(DomainError, match="自己的记录"):
        svc.hours_correction_request(entry=entry, actor=resident, message="错了", now=NOW)
    request, _ = svc.hours_correction_request(entry=entry, actor=mum, message="时长不对", now=NOW)
    with pytest.raises(DomainError, match="理由"):
        svc.hours_correction_decline(request=request, actor=committee_staff, note="", now=NOW)
    assert svc.hours_correction_decline(request=request, actor=committee_staff, note="签到签退记录无误", now=NOW)
    assert not svc.hours_correction_decline(request=request, actor=committee_staff, note="again", now=NOW)
    request.refresh_from_db()
    assert request.status == HoursCorrectionRequest.Status.DECLINED
    assert Notification.objects.filter(recipient=mum, title__contains="已处理").count() == 1


def test_totals_per_team_and_month_count_current_recorded_rows(community, committee_staff, mum):
    team = TeamFactory(community=community, kind=Team.Kind.SQUAD, name="护绿小分队")
    record(mum, community, source_id=1, team=team, starts=at(2, 10, 9))
    record(mum, community, source_id=2, team=team, starts=at(3, 3, 9), minutes=60)
    wrong, _ = record(mum, community, source_id=3, team=team, starts=at(3, 4, 9), minutes=60)
    svc.hours_correct(entry=wrong, actor=committee_staff, minutes=30, reason="按实际", now=NOW)
    record(mum, community, source_id=4, starts=at(3, 5, 9), minutes=500, scheduled=None)  # waits for review
    rows = {(r.month, r.team): (r.minutes, r.volunteers) for r in
            team_month_totals(community=community, since=dt.date(2026, 1, 1))}
    assert rows == {(dt.date(2026, 3, 1), "护绿小分队"): (90, 1), (dt.date(2026, 2, 1), "护绿小分队"): (90, 1)}


# --- hours from the core's shifts -------------------------------------------------------------------------------

def test_checking_out_of_a_volunteering_shift_records_its_minutes_once(community, mum):
    rota = make_rota(community, [mum], name="宝妈志愿授课", kind=Rota.Kind.TEACHING, slots=((16, 18, 1),))
    generate(rota, days=2)
    assignment = ShiftAssignment.objects.get(shift__rota=rota, shift__starts_at=rota_at(0, 16))
    shift_check_in(assignment_id=assignment.pk, actor=mum, now=rota_at(0, 15, 55))
    assert shift_check_out(assignment_id=assignment.pk, actor=mum, now=rota_at(0, 18, 5))
    assert not shift_check_out(assignment_id=assignment.pk, actor=mum, now=rota_at(0, 18, 6))
    entry = VolunteerHours.objects.get(volunteer=mum)
    assert (entry.minutes, entry.scheduled_minutes, entry.status) == (130, 120, Status.RECORDED)
    assert (entry.source_kind, entry.source_id, entry.confirmed_how) == ("communities.shift", assignment.shift_id,
                                                                         "check_in_out")
    assert (entry.activity, entry.place, entry.community) == ("宝妈志愿授课", "蓉治社接待室", community)


def test_a_late_check_out_waits_for_review(community, mum):
    rota = make_rota(community, [mum], name="宝妈志愿授课", kind=Rota.Kind.TEACHING, slots=((16, 17, 1),))
    generate(rota, days=2)
    assignment = ShiftAssignment.objects.get(shift__rota=rota, shift__starts_at=rota_at(0, 16))
    shift_check_in(assignment_id=assignment.pk, actor=mum, now=rota_at(0, 16))
    shift_check_out(assignment_id=assignment.pk, actor=mum, now=rota_at(0, 18, 30))
    assert VolunteerHours.objects.get(volunteer=mum).status == Status.AWAITING_REVIEW


@pytest.mark.parametrize("kind,role,earns", [
    (Rota.Kind.PATROL, Role.VOLUNTEER, True),          # a volunteers' patrol
    (Rota.Kind.PATROL, Role.STATION_STAFF, False),     # the station's paid patrol
    (Rota.Kind.MEDIATION_ROOM, Role.SUBLANDLORD, True),
    (Rota.Kind.GARBAGE, Role.STATION_STAFF, False),
    (Rota.Kind.OTHER, Role.VOLUNTEER, False),
])
def test_which_rotas_earn_hours(community, kind, role, earns):
    user = make_member(community, role, username="on_duty", name="值班人")
    rota = make_rota(community, [user], name="值班", kind=kind, slots=((9, 11, 1),))
    generate(rota, days=2)
    assignment = ShiftAssignment.objects.get(shift__rota=rota, shift__starts_at=rota_at(0, 9))
    shift_check_in(assignment_id=assignment.pk, actor=user, now=rota_at(0, 9))
    shift_check_out(assignment_id=assignment.pk, actor=user, now=rota_at(0, 11))
    assert VolunteerHours.objects.filter(volunteer=user).exists() is earns


# --- certificates ------------------------------------------------------------------------------------------------

def propose(actor, volunteer, community, *, now=NOW):
    return svc.certificate_propose(actor=actor, community=community, volunteer=volunteer,
                                   period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 3, 9),
                                   person_in_charge="周敏", contact_phone="021-5555 0101", now=now)


def test_a_certificate_is_refused_before_seven_days_of_notice(mum, community, committee_staff):
    record(mum, community, minutes=90)
    cert = propose(committee_staff, mum, community)
    assert (cert.status, cert.total_minutes, cert.notice_starts_on) == ("notice", 90, NOW.date())
    assert "阅读与作业辅导 1 次，1.5 小时" in cert.content
    with pytest.raises(DomainError, match="7 天"):
        svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 6 * DAY + 11 * HOUR)
    cert.refresh_from_db()
    assert (cert.status, cert.number) == ("notice", "")
    assert svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 7 * DAY)
    assert (cert.status, cert.number, cert.issued_on) == ("issued", "罗店蓉庭〔2026〕第001号", dt.date(2026, 3, 17))
    assert not svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 8 * DAY)


def test_a_certificate_needs_recorded_hours_and_staff(mum, community, committee_staff, resident):
    with pytest.raises(DomainError, match="没有这位志愿者已记录的时长"):
        propose(committee_staff, mum, community)
    record(mum, community)
    with pytest.raises(DomainError, match="居委工作人员"):
        propose(resident, mum, community)
    propose(committee_staff, mum, community)
    with pytest.raises(DomainError, match="正在公示"):
        propose(committee_staff, mum, community)


def test_a_change_during_the_notice_stops_the_issue(mum, community, committee_staff):
    entry, _ = record(mum, community)
    cert = propose(committee_staff, mum, community)
    svc.hours_correct(entry=entry, actor=committee_staff, minutes=60, reason="按实际", now=NOW)
    with pytest.raises(DomainError, match="重新公示"):
        svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 7 * DAY)


def test_numbers_are_sequential_and_a_voided_certificate_keeps_its_number(community, committee_staff):
    numbers = []
    for i in range(3):
        volunteer = volunteer_in(community, username=f"v{i}", name=f"志愿者{i}")
        record(volunteer, community, source_id=i)
        cert = propose(committee_staff, volunteer, community)
        svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 7 * DAY)
        numbers.append(cert.number)
        if i == 1:
            assert svc.certificate_void(certificate=cert, actor=committee_staff, reason="姓名有误", now=NOW + 8 * DAY)
    assert numbers == [f"罗店蓉庭〔2026〕第00{n}号" for n in (1, 2, 3)]
    voided = VolunteerCertificate.objects.get(number=numbers[1])
    assert (voided.status, voided.void_reason) == ("void", "姓名有误")
    with pytest.raises(DomainError, match="作废原因"):
        svc.certificate_void(certificate=voided, actor=committee_staff, reason="")
    assert AuditEvent.objects.filter(action="hours.certificate_issue").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_take_consecutive_numbers(community, committee_staff):
    certs = []
    for i in range(2):
        volunteer = volunteer_in(community, username=f"c{i}", name=f"并发{i}")
        record(volunteer, community, source_id=i)
        certs.append(propose(committee_staff, volunteer, community))
    barrier, errors = threading.Barrier(2), []

    def issue(cert):
        try:
            barrier.wait()
            svc.certificate_issue(certificate=cert, actor=committee_staff, now=NOW + 7 * DAY)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(c,)) for c in certs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(VolunteerCertificate.objects.values_list("serial", flat=True)) == [1, 2]
