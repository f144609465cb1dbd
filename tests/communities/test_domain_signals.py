"""The door's domain signals: sent once, after the commit, and never on a rollback."""
import datetime as dt

import pytest
from django.db import transaction

from communities import extensions
from communities.models import CaseStatus, Rota, Shift, ShiftAssignment
from communities.services import case_workflow, rota_duty

from ..factories import CaseFactory

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    for signal in (extensions.case_closed, extensions.shift_checked_in, extensions.meeting_attended):
        signal.connect(receiver, dispatch_uid="test.heard")
    yield calls
    for signal in (extensions.case_closed, extensions.shift_checked_in, extensions.meeting_attended):
        signal.disconnect(dispatch_uid="test.heard")


@pytest.fixture
def assignment(community, resident):
    rota = Rota.objects.create(community=community, name="门岗")
    shift = Shift.objects.create(rota=rota, starts_at=START, ends_at=START + dt.timedelta(hours=2))
    return ShiftAssignment.objects.create(shift=shift, user=resident)


def test_shift_checked_in_fires_once_after_commit(django_capture_on_commit_callbacks, heard, assignment, resident):
    with django_capture_on_commit_callbacks(execute=True):
        rota_duty.shift_check_in(assignment_id=assignment.pk, actor=resident, now=START)
        assert heard == []  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        rota_duty.shift_check_in(assignment_id=assignment.pk, actor=resident, now=START)  # a repeat
    assert [c["assignment"].pk for c in heard] == [assignment.pk]


def test_shift_checked_in_not_sent_on_rollback(django_capture_on_commit_callbacks, heard, assignment, resident):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                rota_duty.shift_check_in(assignment_id=assignment.pk, actor=resident, now=START)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and heard == []


def test_case_closed_fires_once_after_commit(django_capture_on_commit_callbacks, heard, community, committee_staff):
    case = CaseFactory(community=community, status=CaseStatus.AWAITING_VERIFICATION)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            case_workflow.case_verify_pass(case_id=case.pk, actor=committee_staff, note="已上门查看，修好了")
            assert heard == []  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        # A double-clicked button: a repeat, no second signal.
        case_workflow.case_verify_pass(case_id=case.pk, actor=committee_staff, note="已上门查看，修好了")
    assert [c["case"].pk for c in heard] == [case.pk]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_meeting_attended_fires_once_after_commit(django_capture_on_commit_callbacks, heard, community,
                                                  committee_staff, resident):
    from communities.models.meetings import OPEN_KINDS, Meeting
    from communities.services.meetings import meeting_check_in

    meeting = Meeting.objects.create(community=community, kind=sorted(OPEN_KINDS)[0], title="议事会",
                                     organiser=committee_staff, starts_at=START,
                                     ends_at=START + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        meeting_check_in(meeting_id=meeting.pk, actor=resident, now=START)
        meeting_check_in(meeting_id=meeting.pk, actor=resident, now=START)  # a repeat: no second signal
    assert [(c["attendance"].meeting_id, c["actor"].pk) for c in heard] == [(meeting.pk, resident.pk)]
