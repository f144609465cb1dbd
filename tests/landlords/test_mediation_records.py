"""The mediation room (一室): recording on a duty shift, corrections, the staff log and its counts."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.models import AuditEvent, Case, Rota
from communities.services.errors import DomainError
from landlords.models import MediationRecord
from landlords.selectors.mediation import mediation_counts, my_mediation_shifts
from landlords.services.mediation import mediation_record_correct, mediation_record_create

from .mediation_world import (  # noqa: F401
    HOUR, dispute_category, key, landlord2, make_shift, other_staff, police, room, shift_now,
)

Outcome = MediationRecord.Outcome


def record(actor, shift, **kw):
    kw.setdefault("parties", "301室租客 vs 302室租客")
    kw.setdefault("issue", "夜里洗衣机噪音")
    kw.setdefault("agreement", "晚十点后不用洗衣机")
    kw.setdefault("outcome", Outcome.SETTLED)
    return mediation_record_create(actor=actor, shift=shift, **kw)


# --- recording -----------------------------------------------------------------------------------------------

def test_duty_landlord_records_on_their_shift(landlord, shift_now):
    rec, created = record(landlord, shift_now)
    assert created and rec.community_id == shift_now.rota.community_id and rec.recorded_by == landlord
    assert (rec.parties, rec.outcome, rec.case, rec.agency) == ("301室租客 vs 302室租客", Outcome.SETTLED, None, None)


def test_double_submission_records_once(landlord, shift_now):
    k = key()
    first, created1 = record(landlord, shift_now, submission_key=k)
    second, created2 = record(landlord, shift_now, submission_key=k)
    assert (created1, created2) == (True, False) and first.pk == second.pk
    assert MediationRecord.objects.count() == 1


def test_wrong_shift_holder_is_refused(landlord2, shift_now):
    with pytest.raises(PermissionDenied):
        record(landlord2, shift_now)
    assert not MediationRecord.objects.exists()


def test_too_late_and_too_early(landlord, room):
    now = timezone.now()
    late = make_shift(room, starts_at=now - 27 * HOUR, users=[landlord])  # ended 25 h ago
    with pytest.raises(DomainError) as err:
        record(landlord, late)
    assert err.value.code == "too_late" and "24小时" in str(err.value)
    just_in_time = make_shift(room, starts_at=now - 25 * HOUR, users=[landlord])  # ended 23 h ago
    assert record(landlord, just_in_time)[1]
    future = make_shift(room, starts_at=now + HOUR, users=[landlord])
    with pytest.raises(DomainError) as err:
        record(landlord, future)
    assert err.value.code == "too_early"
    assert MediationRecord.objects.count() == 1


def test_staff_may_record_late_on_any_shift(committee_staff, room, landlord):
    old = make_shift(room, starts_at=timezone.now() - 72 * HOUR, users=[landlord])
    assert record(committee_staff, old)[0].recorded_by == committee_staff


def test_other_community_staff_cannot_record(other_staff, shift_now):
    with pytest.raises(PermissionDenied):
        record(other_staff, shift_now)


def test_only_mediation_room_shifts(committee_staff, community, landlord):
    patrol = Rota.objects.create(community=community, name="巡逻", kind=Rota.Kind.PATROL)
    shift = make_shift(patrol, starts_at=timezone.now() - HOUR, users=[landlord])
    with pytest.raises(DomainError):
        record(committee_staff, shift)
    with pytest.raises((DomainError, PermissionDenied)):
        record(landlord, shift)


@pytest.mark.parametrize("kw,code", [
    ({"parties": "  "}, "parties"), ({"issue": ""}, "issue"), ({"outcome": "won"}, "outcome"),
    ({"outcome": Outcome.REFERRED}, "agency"), ({"parties": "301室 13800138000"}, "phone"),
    ({"agreement": "联系 021-66881234"}, "phone"),
    # written so that a plain pattern misses it: spaces, hyphens, full-width digits, dots, +86
    ({"parties": "301室 138 0013 8000"}, "phone"), ({"issue": "电话138-0013-8000"}, "phone"),
    ({"agreement": "打１３８００１３８０００"}, "phone"), ({"parties": "302室 +86 138.0013.8000"}, "phone"),
    ({"issue": "座机 021 6688 1234"}, "phone"), ({"agreement": "１３８－００１３－８０００"}, "phone"),
])
def test_bad_input_changes_nothing(landlord, shift_now, kw, code):
    with pytest.raises(DomainError) as err:
        record(landlord, shift_now, **kw)
    assert err.value.code == code
    assert not MediationRecord.objects.exists() and not Case.objects.exists()


def test_outcome_case_files_a_tenant_dispute_case(landlord, shift_now, dispute_category):
    rec, _ = record(landlord, shift_now, outcome=Outcome.CASE, agreement="")
    case = rec.case
    assert case.category == dispute_category and case.community_id == rec.community_id
    assert case.filed_by == landlord and "301室租客 vs 302室租客" in case.description
    assert case.events.filter(action="file").exists()


def test_outcome_case_without_the_category_changes_nothing(landlord, shift_now):
    with pytest.raises(DomainError) as err:
        record(landlord, shift_now, outcome=Outcome.CASE)
    assert err.value.code == "category"
    assert not MediationRecord.objects.exists() and not Case.objects.exists()


def test_outcome_referred_keeps_the_agency(landlord, shift_now, police):
    rec, _ = record(landlord, shift_now, outcome=Outcome.REFERRED, agency=police)
    assert rec.agency == police


def test_records_are_never_deleted(landlord, shift_now):
    rec, _ = record(landlord, shift_now)
    with pytest.raises(RuntimeError):
        rec.delete()


# --- corrections ---------------------------------------------------------------------------------------------

def correct(actor, rec, **kw):
    data = {"parties": rec.parties, "issue": rec.issue, "agreement": rec.agreement}
    data.update(kw)
    return mediation_record_correct(actor=actor, record_id=rec.pk, **data)


def test_recorder_corrects_and_it_is_audited(landlord, shift_now, police):
    rec, _ = record(landlord, shift_now)
    assert correct(landlord, rec, agreement="晚九点后不用洗衣机", outcome=Outcome.REFERRED, agency=police)
    rec.refresh_from_db()
    assert rec.agreement == "晚九点后不用洗衣机" and rec.agency == police and rec.corrected_at
    event = AuditEvent.objects.get(action="mediation.correct")
    assert event.actor == landlord and event.detail["record"] == rec.pk
    assert event.detail["changes"]["agreement"] == ["晚十点后不用洗衣机", "晚九点后不用洗衣机"]
    assert event.detail["changes"]["outcome"] == [Outcome.SETTLED, Outcome.REFERRED]


def test_correction_without_change_is_a_no_op(landlord, shift_now):
    rec, _ = record(landlord, shift_now)
    assert correct(landlord, rec) is False
    assert not AuditEvent.objects.filter(action="mediation.correct").exists()


def test_correction_windows_and_rights(landlord, landlord2, committee_staff, room):
    shift = make_shift(room, starts_at=timezone.now() - 3 * HOUR, users=[landlord])
    rec, _ = record(landlord, shift)
    with pytest.raises(PermissionDenied):
        correct(landlord2, rec, issue="改")
    later = timezone.now() + dt.timedelta(hours=30)
    with pytest.raises(DomainError):
        mediation_record_correct(actor=landlord, record_id=rec.pk, parties="x", issue="y", now=later)
    assert mediation_record_correct(actor=committee_staff, record_id=rec.pk, parties="x", issue="y", now=later)


def test_case_outcome_cannot_be_corrected_away(landlord, shift_now, dispute_category):
    rec, _ = record(landlord, shift_now, outcome=Outcome.CASE)
    with pytest.raises(DomainError):
        correct(landlord, rec, outcome=Outcome.SETTLED)
    assert correct(landlord, rec, issue="夜里洗衣机和音响噪音")
    rec.refresh_from_db()
    assert rec.outcome == Outcome.CASE and rec.case_id


# --- counts and pages ----------------------------------------------------------------------------------------

def test_month_counts_hand_computed(committee_staff, community, other_community, room, police, dispute_category):
    # Four records in March 2026 (2 settled, 1 case, 1 referred), one in February, one in another community.
    march = dt.datetime(2026, 3, 10, 10, tzinfo=timezone.get_default_timezone())
    shift = make_shift(room, starts_at=march)
    for outcome, agency in [(Outcome.SETTLED, None), (Outcome.SETTLED, None), (Outcome.CASE, None),
                            (Outcome.REFERRED, police)]:
        record(committee_staff, shift, outcome=outcome, agency=agency, now=march + HOUR)
    record(committee_staff, shift, now=dt.datetime(2026, 2, 28, 23, 59, tzinfo=timezone.get_default_timezone()))
    other = Rota.objects.create(community=other_community, name="调解", kind=Rota.Kind.MEDIATION_ROOM)
    MediationRecord.objects.create(community=other_community, shift=make_shift(other, starts_at=march),
                                   recorded_by=committee_staff, parties="a", issue="b", outcome=Outcome.SETTLED,
                                   recorded_at=march)
    counts = mediation_counts(community=community, month=dt.date(2026, 3, 1))
    assert counts == {"total": 4, "settled": 2, "cases": 1, "referred": 1, "settled_pct": 50}
    assert mediation_counts(community=community, month=dt.date(2026, 4, 1))["settled_pct"] is None


def _records(n, actor, shift):
    for i in range(n):
        record(actor, shift, parties=f"{i}01室租客 vs {i}02室租客")


@pytest.mark.parametrize("role,status", [("committee_staff", 200), ("party_secretary", 200), ("landlord", 403),
                                         ("tenant", 403)])
def test_log_page_by_role(client, request, role, status, shift_now):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("landlords:mediation_log")).status_code == status


def test_log_page_other_community_404(client, other_staff, community):
    client.force_login(other_staff)
    assert client.get(reverse("landlords:mediation_log") + "?community=rongting").status_code == 404


def test_log_page_filters_and_counts(client, committee_staff, landlord, shift_now, police):
    record(landlord, shift_now)
    record(landlord, shift_now, parties="甲 vs 乙", outcome=Outcome.REFERRED, agency=police)
    client.force_login(committee_staff)
    page = client.get(reverse("landlords:mediation_log"), {"outcome": Outcome.REFERRED})
    assert page.status_code == 200 and page.context["counts"]["total"] == 2
    assert [r.parties for r in page.context["page"]] == ["甲 vs 乙"]
    assert "50%" in page.content.decode()


def test_log_page_query_count_is_constant(client, committee_staff, landlord, shift_now,
                                          django_assert_max_num_queries):
    client.force_login(committee_staff)
    _records(3, landlord, shift_now)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("landlords:mediation_log"))
    _records(20, landlord, shift_now)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("landlords:mediation_log")).context["page"]) == 23


def test_record_page_by_holder_and_others(client, landlord, landlord2, outsider, shift_now):
    url = reverse("landlords:mediation_record_new", args=[shift_now.pk])
    client.force_login(landlord2)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)  # outsider is no sublandlord: refused by role first
    client.force_login(landlord)
    page = client.get(url)
    assert page.status_code == 200 and "电话" in page.content.decode()
    k = page.context["form"]["submission_key"].initial
    data = {"parties": "301 vs 302", "issue": "噪音", "agreement": "", "outcome": Outcome.SETTLED,
            "submission_key": k() if callable(k) else k}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert MediationRecord.objects.count() == 1


def test_record_page_too_late_says_so(client, landlord, room):
    shift = make_shift(room, starts_at=timezone.now() - 30 * HOUR, users=[landlord])
    client.force_login(landlord)
    page = client.post(reverse("landlords:mediation_record_new", args=[shift.pk]), {
        "parties": "a vs b", "issue": "c", "outcome": Outcome.SETTLED, "submission_key": str(key())})
    assert page.status_code == 200 and "24小时" in page.content.decode()


def test_detail_access(client, landlord, landlord2, committee_staff, other_staff, shift_now):
    rec, _ = record(landlord, shift_now)
    url = reverse("landlords:mediation_record_detail", args=[rec.pk])
    for user, status in [(landlord, 200), (committee_staff, 200), (landlord2, 403), (other_staff, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_correct_page(client, landlord, committee_staff, shift_now):
    rec, _ = record(landlord, shift_now)
    client.force_login(committee_staff)
    url = reverse("landlords:mediation_record_correct", args=[rec.pk])
    response = client.post(url, {"parties": rec.parties, "issue": "改后", "agreement": "", "outcome": Outcome.SETTLED})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.issue == "改后"
    assert "改后" in client.get(reverse("landlords:mediation_record_detail", args=[rec.pk])).content.decode()


def test_my_shifts_show_own_records_only(client, landlord, landlord2, room, shift_now):
    theirs = make_shift(room, starts_at=timezone.now() - 2 * HOUR, users=[landlord2])
    record(landlord, shift_now, parties="我的班")
    record(landlord2, theirs, parties="别人的班")
    mine = my_mediation_shifts(user=landlord)
    assert [a.shift for a in mine] == [shift_now] and mine[0].can_record
    client.force_login(landlord)
    body = client.get(reverse("landlords:mediation_mine")).content.decode()
    assert "我的班" in body and "别人的班" not in body
