"""The property company (物业服务企业, issue 15 item 7): the contract and its end-of-term reminders, the company's
notice of non-renewal, the 物业之窗's documents, fee changes and the owners' quarterly survey of the company.

沪物业规定: art. 46 (contract end), art. 45 (owners' views), art. 48 (public window; no raise without audit).
The survey runs on the core evaluation engine (``communities.services.evaluations``), subject ``talents.company``,
one evaluation per quarter (its ``month`` is the quarter's first month)."""
import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import Evaluation, EvaluationCriterion, EvaluationStandard, Residency, Role, Unit, User
from communities.selectors.places import users_with_role
from communities.selectors.teams import member_user_ids
from communities.services import evaluations as engine
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred
from communities.services.uploads import checked_document
from communities.policy import person_id_of

from ..models import CommitteeTerm, CompanyFile, ContractReminder, FeeChange, OwnersAssembly, PropertyContract, \
    PublicDocument
from ..models.owners_company import FILE_TYPES
from ..selectors import owners_company as sel

SUBJECT = sel.SUBJECT
MAX_FILE_MB = 10
CRITERIA = [  # the owners' questions (art. 45): one per service the contract names
    ("保洁", _("小区保洁（楼道、道路、垃圾清运）您满意吗？")),
    ("绿化", _("绿化养护您满意吗？")),
    ("秩序维护", _("门岗、巡逻和停车秩序您满意吗？")),
    ("设施维修", _("公共设施设备的报修和维修您满意吗？")),
    ("服务态度", _("物业工作人员的服务态度您满意吗？")),
]


def _today(now) -> dt.date:
    return timezone.localdate(now)


def _require(actor, action, obj, message):
    if not policy.can(actor, action, obj):
        raise DomainError(message, code="forbidden")


def _staff_only(actor, community):
    _require(actor, "talents.company.manage", community, _("只有居委工作人员可以登记物业服务企业的信息。"))


# --- files -------------------------------------------------------------------------------------------------------

def company_file_store(*, actor, community, upload) -> CompanyFile:
    """Keep an uploaded PDF or scan (JPG, PNG; at most 10 MB), its content sniffed, under a random name."""
    checked = checked_document(upload, max_mb=MAX_FILE_MB, allowed=tuple(FILE_TYPES))
    row = CompanyFile(community=community, extension=checked.extension, size=checked.size, uploaded_by=actor)
    row.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
    row.save()
    return row


# --- the contract ------------------------------------------------------------------------------------------------

def contract_create(*, actor, community, company_name: str, starts_on: dt.date, ends_on: dt.date,
                    fee_residential: Decimal, fee_parking: Decimal | None = None, credit_code: str = "",
                    file: CompanyFile | None = None, chosen_by: OwnersAssembly | None = None,
                    now=None) -> PropertyContract:
    """Record the contract in force. The one before (if any) ends the day before this one starts. The same
    contract submitted twice is recorded once."""
    now = now or timezone.now()
    _staff_only(actor, community)
    company_name = (company_name or "").strip()
    if not company_name:
        raise DomainError(_("请填写物业服务企业名称。"), code="company_name")
    if ends_on <= starts_on:
        raise DomainError(_("合同届满日应晚于起始日。"), code="dates")
    if fee_residential is None or fee_residential <= 0 or (fee_parking is not None and fee_parking < 0):
        raise DomainError(_("物业费标准应大于零。"), code="fee")
    if chosen_by is not None and chosen_by.community_id != community.pk:
        raise DomainError(_("选聘表决不属于本小区。"), code="chosen_by")
    with transaction.atomic():
        current = PropertyContract.objects.select_for_update().filter(
            community=community, status=PropertyContract.Status.ACTIVE).first()
        if current is not None and current.company_name == company_name and current.starts_on == starts_on:
            return current  # a double submission
        if current is not None:
            if starts_on <= current.starts_on:
                raise DomainError(_("新合同的起始日应晚于现行合同的起始日。"), code="overlap")
            current.status, current.ended_on = PropertyContract.Status.ENDED, starts_on - dt.timedelta(days=1)
            current.save(update_fields=["status", "ended_on"])
        contract = PropertyContract.objects.create(
            community=community, company_name=company_name, credit_code=(credit_code or "").strip(),
            starts_on=starts_on, ends_on=ends_on, fee_residential=fee_residential, fee_parking=fee_parking,
            file=file, chosen_by=chosen_by, created_by=actor, created_at=now)
        audit(actor=actor, action="talents.company.contract", community=community, contract=contract.pk,
              company=company_name, ends_on=ends_on.isoformat())
    return contract


def contract_non_renewal_record(*, actor, contract: PropertyContract, notice_on: dt.date) -> bool:
    """The company's written notice that it will not renew (art. 46: at least 90 days before the end). Recorded
    even when late (``contract.notice_late`` says so). A repeat of the same date changes nothing (False)."""
    _staff_only(actor, contract.community)
    with transaction.atomic():
        contract = PropertyContract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != PropertyContract.Status.ACTIVE:
            raise DomainError(_("合同已经终止。"), code="ended")
        if notice_on > contract.ends_on:
            raise DomainError(_("告知日期晚于合同届满日：合同届满后继续履行的，应提前六十日书面告知（第四十六条）。"),
                              code="after_end")
        if contract.non_renewal_notice_on == notice_on:
            return False
        contract.non_renewal_notice_on = notice_on
        contract.save(update_fields=["non_renewal_notice_on"])
        audit(actor=actor, action="talents.company.non_renewal", community=contract.community,
              contract=contract.pk, notice_on=notice_on.isoformat(), late=contract.notice_late)
    return True


REMINDER_TITLE = _("物业服务合同还有 %(days)s 天到期：%(company)s，%(date)s 届满")
REMINDER_BODY = _("请业主委员会及时组织召开业主大会，决定续聘或者另聘物业服务企业（《上海市住宅物业管理规定》第四十六条）。")


def reminder_recipients(community_id: int) -> list[User]:
    """Committee staff and the members of the serving owners' committee (its core team), each once."""
    term = CommitteeTerm.objects.filter(community_id=community_id, ended_on__isnull=True).select_related(
        "team").order_by("-number").first()
    members = User.objects.filter(pk__in=member_user_ids(term.team if term else None), is_active=True)
    users = {u.pk: u for u in users_with_role(community_id=community_id, role=Role.COMMITTEE_STAFF)}
    users.update({u.pk: u for u in members})
    return [users[k] for k in sorted(users)]


def contract_remind(*, contract_id: int, now=None) -> int:
    """Send the reminder due today for one contract, once (the ``ContractReminder`` row's unique key): the
    smallest of 120/90/60 days that is not fewer than the days left. Reminders whose day passed before the
    contract was recorded are not sent late. Returns the number of people told (0: nothing due)."""
    now = now or timezone.now()
    today = _today(now)
    with transaction.atomic():
        contract = PropertyContract.objects.select_for_update().filter(
            pk=contract_id, status=PropertyContract.Status.ACTIVE).select_related("community").first()
        if contract is None:
            return 0
        days = sel.reminder_due(contract=contract, on=today)
        if days is None or contract.reminders.filter(days=days).exists():
            return 0
        recipients = reminder_recipients(contract.community_id)
        try:
            with transaction.atomic():
                ContractReminder.objects.create(contract=contract, days=days,
                                                due_on=contract.ends_on - dt.timedelta(days=days), sent_at=now,
                                                recipients=len(recipients))
        except IntegrityError:
            return 0
        title = deferred(REMINDER_TITLE, days=(contract.ends_on - today).days, company=contract.company_name,
                         date=f"{contract.ends_on:%Y-%m-%d}")
        url = f"{reverse('talents:owners_company')}?{urlencode({'community': contract.community.slug})}"
        for user in recipients:
            notify(recipient=user, title=title, body=REMINDER_BODY, url=url)
    return len(recipients)


def contract_reminders_send(*, now=None) -> int:
    now = now or timezone.now()
    return sum(contract_remind(contract_id=pk, now=now) for pk in sel.contracts_due_reminder(on=_today(now)))


# --- the 物业之窗 -----------------------------------------------------------------------------------------------

def document_publish(*, actor, community, kind: str, title: str, body: str = "", file: CompanyFile | None = None,
                     published_on: dt.date, fee_change: FeeChange | None = None, now=None) -> PublicDocument:
    """Post a document on the window (art. 48). The same title and kind posted twice on one day is kept once."""
    now = now or timezone.now()
    _staff_only(actor, community)
    title = (title or "").strip()
    if kind not in PublicDocument.Kind.values:
        raise DomainError(_("请选择公示类别。"), code="kind")
    if not title:
        raise DomainError(_("请填写标题。"), code="title")
    if not (body or "").strip() and file is None:
        raise DomainError(_("请填写公示内容或上传文件。"), code="empty")
    with transaction.atomic():
        same = PublicDocument.objects.select_for_update().filter(
            community=community, kind=kind, title=title, published_on=published_on, withdrawn_on__isnull=True).first()
        if same is not None:
            return same
        document = PublicDocument.objects.create(
            community=community, kind=kind, title=title, body=(body or "").strip(), file=file,
            published_on=published_on, fee_change=fee_change, created_by=actor, created_at=now)
        audit(actor=actor, action="talents.company.window_publish", community=community, document=document.pk)
    return document


def document_withdraw(*, actor, document: PublicDocument, on: dt.date) -> bool:
    _staff_only(actor, document.community)
    with transaction.atomic():
        document = PublicDocument.objects.select_for_update().get(pk=document.pk)
        if document.withdrawn_on is not None:
            return False
        document.withdrawn_on = on
        document.save(update_fields=["withdrawn_on"])
        audit(actor=actor, action="talents.company.window_withdraw", community=document.community,
              document=document.pk)
    return True


# --- fee changes -------------------------------------------------------------------------------------------------

def fee_change_create(*, actor, contract: PropertyContract, property_kind: str, new_fee: Decimal,
                      effective_on: dt.date, reason: str, audit_file: CompanyFile | None = None,
                      decision: OwnersAssembly | None = None, now=None) -> FeeChange:
    """Record a proposed change of the fee standard; the old standard is the one in force (the contract's, or
    the last published change's)."""
    now = now or timezone.now()
    _staff_only(actor, contract.community)
    if property_kind not in FeeChange.PropertyKind.values:
        raise DomainError(_("请选择物业类型。"), code="property_kind")
    if new_fee is None or new_fee < 0:
        raise DomainError(_("新标准不能为负数。"), code="fee")
    if not (reason or "").strip():
        raise DomainError(_("请写明调整理由。"), code="reason")
    if decision is not None and decision.community_id != contract.community_id:
        raise DomainError(_("业主共同决定不属于本小区。"), code="decision")
    with transaction.atomic():
        contract = PropertyContract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != PropertyContract.Status.ACTIVE:
            raise DomainError(_("合同已经终止。"), code="ended")
        old_fee = sel.fee_in_force(contract=contract, property_kind=property_kind, on=effective_on)
        if old_fee is None:
            raise DomainError(_("合同没有约定车位物业费，请先在合同中登记。"), code="no_fee")
        if old_fee == new_fee:
            raise DomainError(_("新标准与现行标准相同。"), code="same")
        same = FeeChange.objects.filter(contract=contract, property_kind=property_kind, new_fee=new_fee,
                                        effective_on=effective_on).first()
        if same is not None:
            return same  # a double submission
        change = FeeChange.objects.create(
            community=contract.community, contract=contract, property_kind=property_kind, old_fee=old_fee,
            new_fee=new_fee, effective_on=effective_on, reason=reason.strip(), audit_file=audit_file,
            decision=decision, created_by=actor, created_at=now)
        audit(actor=actor, action="talents.company.fee_change", community=contract.community, fee_change=change.pk)
    return change


def fee_change_publish(*, actor, fee_change: FeeChange, audit_file: CompanyFile | None = None,
                       now=None) -> PublicDocument:
    """Post a fee change on the window with its audit or assessment file (art. 48: refused without it). A
    change already posted returns its document."""
    now = now or timezone.now()
    _staff_only(actor, fee_change.community)
    with transaction.atomic():
        change = FeeChange.objects.select_for_update().select_related("community").get(pk=fee_change.pk)
        if change.published_at is not None:
            return change.window_document
        if audit_file is not None:
            change.audit_file = audit_file
        if change.audit_file_id is None:
            raise DomainError(_("没有附审计报告或评估报告，不能公示收费标准调整：物业服务企业未经审计或者评估，"
                                "不得提高收费标准（《上海市住宅物业管理规定》第四十八条）。"), code="no_audit")
        change.published_at = now
        change.save(update_fields=["audit_file", "published_at"])
        title = _("收费标准调整：%(kind)s %(old)s → %(new)s %(unit)s，%(date)s 起执行") % {
            "kind": change.get_property_kind_display(), "old": change.old_fee, "new": change.new_fee,
            "unit": change.unit_label, "date": f"{change.effective_on:%Y-%m-%d}"}
        return document_publish(actor=actor, community=change.community, kind=PublicDocument.Kind.FEES,
                                title=str(title), body=change.reason, file=change.audit_file,
                                published_on=_today(now), fee_change=change, now=now)


# --- the owners' survey (art. 45) ------------------------------------------------------------------------------

def survey_standard_ensure(*, actor, community, now=None) -> EvaluationStandard:
    """The survey's questionnaire (the standard in force for ``talents.company``): five owners' questions on the
    engine's scale, owners' answers weighing 100 %. It is the committee's own tool for hearing owners' views
    (art. 45), not a rule binding the owners, so no assembly vote puts it in force: committee staff do."""
    standard = sel.survey_standard(community=community)
    if standard is not None:
        return standard
    with transaction.atomic():
        standard = engine.standard_draft(
            actor=actor, community=community, subject=SUBJECT, title=str(_("业主对物业服务企业的满意度调查")),
            criteria=[{"name": name, "group": EvaluationCriterion.Group.RESIDENTS, "question": str(question)}
                      for name, question in CRITERIA],
            weights={EvaluationCriterion.Group.OBJECTIVE: Decimal(0), EvaluationCriterion.Group.CASES: Decimal(0),
                     EvaluationCriterion.Group.RESIDENTS: Decimal(100)}, now=now)
        EvaluationStandard.objects.filter(pk=standard.pk).update(
            status=EvaluationStandard.Status.ADOPTED, adopted_on=_today(now or timezone.now()))
        standard.refresh_from_db()
    return standard


def survey_open(*, actor, community, now=None) -> Evaluation:
    """Open this quarter's survey (idempotent)."""
    now = now or timezone.now()
    _staff_only(actor, community)
    survey_standard_ensure(actor=actor, community=community, now=now)
    return engine.evaluation_open(community=community, subject=SUBJECT, month=sel.quarter_of(_today(now)), now=now)


def survey_rate(*, actor, community, answers: dict, now=None) -> int:
    """An owner's answers ``{criterion id: label}`` to this quarter's survey: owners only (not tenants or family),
    once per owner and household per quarter (a co-owner's answer counts for the unit). Scored on the owner's
    first unit, so one person with several units answers once."""
    now = now or timezone.now()
    _require(actor, "talents.company.rate", community, _("只有本小区的业主可以参加物业服务满意度调查。"))
    survey = sel.survey_open_now(community=community, on=_today(now))
    if survey is None:
        raise DomainError(_("本季度的满意度调查还没有开始。"), code="no_survey")
    person_id = person_id_of(actor)
    units = list(Unit.objects.filter(building__community=community, residencies__person_id=person_id,
                                     residencies__relation=Residency.Relation.OWNER,
                                     residencies__moved_out__isnull=True).select_related("building")
                 .order_by("pk").distinct())
    if not units:
        raise DomainError(_("只有本小区的业主可以参加物业服务满意度调查。"), code="not_owner")
    if sel.survey_answered(evaluation=survey, units=units, person_id=person_id):
        raise DomainError(_("您（您家）本季度已经评价过了，每季度评一次。"), code="done")
    try:
        return engine.household_score(actor=actor, evaluation=survey, unit=units[0], answers=answers,
                                      person=actor.person, now=now)
    except DomainError as exc:
        if exc.code == "household_done":
            raise DomainError(_("您（您家）本季度已经评价过了，每季度评一次。"), code="done") from exc
        raise


def surveys_close_due(*, now=None) -> int:
    """Close the surveys of quarters that have ended (freezing their results); safe to run twice."""
    now = now or timezone.now()
    return sum(engine.evaluation_close(evaluation_id=pk, now=now)
               for pk in sel.surveys_due_close(on=_today(now)))
