"""Writes of the mediation room (一室): recording a dispute on a duty shift and correcting a record.

Who may record on a shift: the landlord assigned to it (core ShiftAssignment), from the shift's start
until 24 hours after its end, or committee staff at any time. Records are never deleted; a correction
edits the row and writes an AuditEvent with the old and new value of each changed field, so the log
shows the current text and the audit trail shows what it said before.
"""
import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.models import Agency, CaseCategory, Role, Rota, Shift
from communities.models.people import contains_phone
from communities.services.audit import audit
from communities.services.cases import case_file, case_origin_record
from communities.services.errors import DomainError

from ..door import MEDIATION_RECORD_ORIGIN
from ..models.mediation import LATE_WINDOW, MediationRecord

CASE_CATEGORY_CODE = "tenant_dispute"  # 租客矛盾
# Parties are described, never identified by phone: refuse text that carries a phone number, however it is
# spaced or written (communities.models.people.contains_phone).
TEXT_FIELDS = ("parties", "issue", "agreement")


def _is_staff(user, community_id) -> bool:
    return Role.COMMITTEE_STAFF in policy.roles_in(user, community_id)


def _check_window(*, shift: Shift, now) -> None:
    if now < shift.starts_at:
        raise DomainError(_("这个班次还没有开始，开始后才能记录。"), code="too_early")
    if now > shift.ends_at + LATE_WINDOW:
        raise DomainError(_("班次结束已超过24小时，不能再补记；请联系居委工作人员补录。"), code="too_late")


def _clean_texts(*, parties: str, issue: str, agreement: str) -> dict:
    texts = {"parties": (parties or "").strip()[:200], "issue": (issue or "").strip(),
             "agreement": (agreement or "").strip()}
    if not texts["parties"]:
        raise DomainError(_("请写明当事人，例如“301室租客 vs 302室租客”。"), code="parties")
    if not texts["issue"]:
        raise DomainError(_("请简要写明矛盾情况。"), code="issue")
    if any(contains_phone(value) for value in texts.values()):
        raise DomainError(_("调解记录不收集当事人电话，请删去电话号码。"), code="phone")
    return texts


def _check_outcome(*, outcome: str, agency: Agency | None) -> None:
    if outcome not in MediationRecord.Outcome.values:
        raise DomainError(_("请选择处理结果。"), code="outcome")
    if outcome == MediationRecord.Outcome.REFERRED and agency is None:
        raise DomainError(_("转交职能部门时请选择部门。"), code="agency")


def _file_case(*, actor, shift: Shift, texts: dict):
    community = shift.rota.community
    category = CaseCategory.objects.filter(community=community, code=CASE_CATEGORY_CODE, active=True).first()
    if category is None:
        raise DomainError(_("本社区没有启用“租客矛盾”诉求类别，请联系居委工作人员。"), code="category")
    description = "\n".join(filter(None, [
        _("【调解室转来】当事人：%(parties)s") % {"parties": texts["parties"]}, texts["issue"],
        _("调解情况：%(agreement)s") % {"agreement": texts["agreement"]} if texts["agreement"] else ""]))
    # Filed in the recorder's name (they bring it in from the room); the case workflow routes it.
    return case_file(filed_by=actor, community=community, category=category, description=description,
                     place_text=shift.rota.place or shift.rota.name)


def mediation_record_create(*, actor, shift: Shift, parties: str, issue: str, agreement: str = "", outcome: str,
                            agency: Agency | None = None, submission_key: uuid.UUID | None = None,
                            now: dt.datetime | None = None) -> tuple[MediationRecord, bool]:
    """Record one dispute on a mediation-room shift. Returns (record, created); a repeated submission
    (same key) returns the first record and creates nothing."""
    now = now or timezone.now()
    if submission_key is not None:
        existing = MediationRecord.objects.filter(submission_key=submission_key, recorded_by=actor).first()
        if existing is not None:
            return existing, False
    if shift.rota.kind != Rota.Kind.MEDIATION_ROOM:
        raise DomainError(_("这不是调解室的值班班次。"), code="rota")
    if not policy.can(actor, "landlords.mediation.record", shift):
        raise PermissionDenied
    if not _is_staff(actor, shift.rota.community_id):
        _check_window(shift=shift, now=now)
    texts = _clean_texts(parties=parties, issue=issue, agreement=agreement)
    _check_outcome(outcome=outcome, agency=agency)
    with transaction.atomic():
        case = _file_case(actor=actor, shift=shift, texts=texts) if outcome == MediationRecord.Outcome.CASE else None
        record = MediationRecord.objects.create(
            community_id=shift.rota.community_id, shift=shift, recorded_by=actor, outcome=outcome, case=case,
            agency=agency if outcome == MediationRecord.Outcome.REFERRED else None, recorded_at=now,
            submission_key=submission_key, **texts)
        if case is not None:
            case_origin_record(case=case, kind=MEDIATION_RECORD_ORIGIN, object_id=record.pk)
    return record, True


def mediation_record_correct(*, actor, record_id: int, parties: str, issue: str, agreement: str = "",
                             outcome: str | None = None, agency: Agency | None = None,
                             now: dt.datetime | None = None) -> bool:
    """Correct a record's texts (and settled ↔ referred). Returns False when nothing changed.

    A record turned into a case keeps that outcome (the case exists and runs its own workflow), and a
    record cannot become a case by correction: record the case from the room instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        record = (MediationRecord.objects.select_for_update().select_related("shift__rota")
                  .filter(pk=record_id).first())
        if record is None:
            raise DomainError(_("找不到这条调解记录。"), code="missing")
        if not policy.can(actor, "landlords.mediation.correct", record):
            raise PermissionDenied
        if not _is_staff(actor, record.community_id):
            _check_window(shift=record.shift, now=now)
        texts = _clean_texts(parties=parties, issue=issue, agreement=agreement)
        outcome = outcome or record.outcome
        if (outcome == MediationRecord.Outcome.CASE) != (record.outcome == MediationRecord.Outcome.CASE):
            raise DomainError(_("“转为诉求”的结果不能通过更正改变。"), code="outcome")
        _check_outcome(outcome=outcome, agency=agency if outcome == MediationRecord.Outcome.REFERRED else None)
        new = {**texts, "outcome": outcome,
               "agency_id": agency.pk if outcome == MediationRecord.Outcome.REFERRED else None}
        changes = {f: [getattr(record, f), v] for f, v in new.items() if getattr(record, f) != v}
        if not changes:
            return False
        for field, (_old, value) in changes.items():
            setattr(record, field, value)
        record.corrected_at = now
        record.save(update_fields=[*changes, "corrected_at"])
        audit(actor=actor, action="mediation.correct", community=record.community, record=record.pk,
              changes=changes)
    return True
