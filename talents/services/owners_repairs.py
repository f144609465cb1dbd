"""Repair projects (维修项目) step by step on the core engine (the table: ``talents.repair_workflow``).

One service per step. Each runs in ``transaction.atomic()``, takes the step through ``REPAIRS.begin`` (which locks
the project and checks the actor and the state), checks its input against the locked row, and raises
``DomainError`` with a Chinese message for bad input; a double submission changes nothing and returns
``Outcome(changed=False)``. Photos and files are checked before the transaction starts (decoding a photo takes a
while), then stored with the step's event row.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Case, Election, Role
from communities.selectors.elections import motion_result
from communities.selectors.places import users_with_role
from communities.services import elections as core
from communities.services.errors import DomainError
from communities.services.uploads import CheckedFile, checked_document
from communities.services.notifications import notify
from communities.services.photos import photos_process, photos_store
from communities.services.texts import deferred

from ..models import OwnersAssembly, RepairDocument, RepairEvent, RepairItem, RepairPhoto, RepairProject, \
    RepairReferral, Scope
from ..repair_workflow import REPAIRS
from ..selectors import owners_repairs as sel
from ..selectors.owners_assembly import motion_decided
from .assemblies import assembly_create, check_scope
from .owners_assembly import assembly_motion_add, assembly_open

USE_OF_FUND = 5  # the item of 民法典第二百七十八条第一款: 使用建筑物及其附属设施的维修资金
from .owners_fund import fund_pay_project

S = RepairProject.Status
FILE_MB = 10


@dataclass
class Outcome:
    project: RepairProject
    changed: bool
    event: RepairEvent | None = None


def file_check(upload) -> CheckedFile | None:
    """A step's file (PDF, JPEG or PNG, 10 MB at most), read and checked by its content before anything is written."""
    return None if upload is None else checked_document(upload, max_mb=FILE_MB)


def _store_file(project, event, kind, checked: CheckedFile | None, actor) -> RepairDocument | None:
    if checked is None:
        return None
    document = RepairDocument(project=project, event=event, kind=kind, name=checked.name,
                              extension=checked.extension, size=len(checked.content), uploaded_by=actor)
    document.file.save(f"file.{checked.extension}", ContentFile(checked.content), save=False)
    name = document.file.name
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(name)
        raise
    return document


def _store_photos(project, event, processed, actor) -> list:
    if not processed:
        return []
    return photos_store(photos=[RepairPhoto(project=project, event=event, uploaded_by=actor) for _p in processed],
                        processed=processed)


def _money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("%(field)s不是有效的金额。") % {"field": field}, code="amount") from None
    if amount <= 0:
        raise DomainError(_("%(field)s必须大于零。") % {"field": field}, code="amount")
    return amount


def _text(value, message, code) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code=code)
    return value


# --- creating a project and linking the cases that reported it ---------------------------------------------

def repair_project_create(*, actor, community, title: str, kind: str, scope: str = Scope.ESTATE, building=None,
                          entrance: str = "", description: str = "", emergency: bool = False, cases=(), photos=(),
                          now=None) -> RepairProject:
    """Staff register a problem of the common parts (discovered), with the cases that reported it."""
    if not policy.can(actor, "talents.repairs.manage", community):
        raise PermissionDenied
    title = _text(title, _("请填写项目名称。"), "title")
    if kind not in RepairProject.Kind.values:
        raise DomainError(_("维修类型无效。"), code="kind")
    if emergency and kind not in sel.EMERGENCY_KINDS:
        raise DomainError(_("紧急维修程序（沪物业规定第七十三条）在这里用于外墙脱落和房屋渗漏险情。"), code="emergency")
    check_scope(community, scope, building, entrance)
    cases = list(cases)
    if any(c.community_id != community.pk for c in cases):
        raise DomainError(_("只能关联本小区的工单。"), code="case")
    processed = photos_process(uploads=photos)
    now = now or timezone.now()
    with transaction.atomic():
        project = RepairProject.objects.create(
            community=community, title=title[:200], kind=kind, scope=scope,
            building=building if scope != Scope.ESTATE else None,
            entrance=(entrance or "").strip() if scope == Scope.ENTRANCE else "", description=description.strip(),
            emergency=emergency, created_by=actor, created_at=now)
        event = RepairEvent.objects.create(project=project, actor=actor, action="discover", to_status=S.DISCOVERED,
                                           at=now, data={"cases": [c.pk for c in cases]})
        project.cases.add(*cases)
        _store_photos(project, event, processed, actor)
    return project


def repair_link_case(*, project_id: int, actor, case, now=None) -> Outcome:
    """Link one more reporting case (e.g. another leak on the same building); linking it twice changes nothing."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "link")
        project = step.obj
        if case is None or case.community_id != project.community_id:
            raise DomainError(_("只能关联本小区的工单。"), code="case")
        if project.cases.filter(pk=case.pk).exists():
            return Outcome(project, False)
        project.cases.add(case)
        event = REPAIRS.apply(step, actor, data={"case": case.pk}, note=_("工单 #%(id)s") % {"id": case.pk},
                              at=now)
    return Outcome(project, True, event)


# --- appraisal and plan -------------------------------------------------------------------------------------

def repair_appraise(*, project_id: int, actor, body: str, report_no: str, conclusion: str,
                    danger_certified: bool = False, submitted_on=None, document=None, now=None) -> Outcome:
    """The appraisal (鉴定). On the emergency route it must be a certified danger with its report file and the day
    the report was submitted to the owners' committee (the 7-day clock starts the next day)."""
    checked = file_check(document)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "appraise")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        project.appraisal_body = _text(body, _("请填写鉴定机构。"), "body")[:100]
        project.appraisal_report_no = _text(report_no, _("请填写鉴定报告编号。"), "report_no")[:60]
        project.appraisal_conclusion = _text(conclusion, _("请填写鉴定结论。"), "conclusion")
        project.danger_certified = bool(danger_certified)
        if project.emergency:
            if not project.danger_certified:
                raise DomainError(_("走紧急维修程序须经有资质的鉴定机构确认存在危险（沪物业规定第七十三条）。"),
                                  code="not_certified")
            if checked is None:
                raise DomainError(_("紧急维修须上传鉴定报告。"), code="file_required")
            if submitted_on is None:
                raise DomainError(_("请填写鉴定报告提交业委会的日期：7日期限从次日起算。"), code="submitted_on")
        project.certified_submitted_on = submitted_on if project.danger_certified else None
        event = REPAIRS.apply(step, actor, at=now, note=project.appraisal_conclusion,
                              fields=["appraisal_body", "appraisal_report_no", "appraisal_conclusion",
                                      "danger_certified", "certified_submitted_on"],
                              data={"body": project.appraisal_body, "report_no": project.appraisal_report_no,
                                    "certified": project.danger_certified,
                                    "submitted_on": submitted_on.isoformat() if submitted_on else ""})
        _store_file(project, event, RepairDocument.Kind.APPRAISAL, checked, actor)
    return Outcome(project, True, event)


def _items(items) -> list[tuple[str, Decimal]]:
    rows = [((title or "").strip(), amount) for title, amount in items if (title or "").strip() or amount]
    if not rows:
        raise DomainError(_("使用方案至少要有一项维修内容和金额。"), code="items")
    checked = []
    for number, (title, amount) in enumerate(rows, start=1):
        if not title:
            raise DomainError(_("第 %(n)s 项：请填写维修内容。") % {"n": number}, code="items")
        checked.append((title[:200], _money(amount, field=_("第 %(n)s 项金额") % {"n": number})))
    return checked


def repair_plan(*, project_id: int, actor, items, scope: str, building=None, entrance: str = "", document=None,
                now=None) -> Outcome:
    """The use plan (使用方案): items with amounts, the budget their sum, and who shares the cost."""
    checked = file_check(document)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "plan")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        if project.emergency and step.from_state == S.DISCOVERED:
            raise DomainError(_("外墙、渗漏险情走紧急程序前须先经有资质的鉴定机构鉴定（沪物业规定第七十三条）。"),
                              code="appraisal_required")
        rows = _items(items)
        check_scope(project.community, scope, building, entrance)
        project.scope = scope
        project.building = building if scope != Scope.ESTATE else None
        project.entrance = (entrance or "").strip() if scope == Scope.ENTRANCE else ""
        project.budget = sum((amount for _t, amount in rows), Decimal("0.00"))
        RepairItem.objects.filter(project=project).delete()  # a plan sent back after a failed vote is redone
        RepairItem.objects.bulk_create([RepairItem(project=project, position=i, title=t, amount=a)
                                        for i, (t, a) in enumerate(rows, start=1)])
        event = REPAIRS.apply(step, actor, at=now, fields=["scope", "building", "entrance", "budget"],
                              data={"budget": str(project.budget), "scope": project.scope,
                                    "items": [[t, str(a)] for t, a in rows]})
        _store_file(project, event, RepairDocument.Kind.PLAN, checked, actor)
    return Outcome(project, True, event)


# --- the owners' vote ---------------------------------------------------------------------------------------

def repair_vote_open(*, project_id: int, actor, closes_at, now=None) -> Outcome:
    """Open the vote of the owners who share the cost (民法典第二百七十八条第一款第五项: using the fund, more than half
    of both tallies among those voting, after participation of two thirds of both)."""
    now = now or timezone.now()
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "vote_open")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        if closes_at is None or closes_at <= now:
            raise DomainError(_("表决截止时间必须晚于现在。"), code="closes_at")
        motion = _("同意使用%(scope)s专项维修资金 %(budget)s 元用于“%(title)s”") % {
            "scope": project.scope_label, "budget": project.budget, "title": project.title}
        assembly = assembly_create(actor=actor, community=project.community, kind=OwnersAssembly.Kind.REPAIR,
                                   title=_("维修资金使用表决：%(title)s") % {"title": project.title},
                                   scope=project.scope, building=project.building,
                                   entrance=project.entrance, opens_at=now, closes_at=closes_at,
                                   description=_("分摊范围：%(scope)s；预算 %(budget)s 元。") % {
                                       "scope": project.scope_label, "budget": project.budget})
        # 民法典第二百七十八条第一款第（五）项: using the fund, more than half of both tallies
        assembly_motion_add(actor=actor, assembly=assembly, title=motion, item=USE_OF_FUND)
        assembly_open(actor=actor, assembly=assembly, now=now)
        project.assembly = assembly
        event = REPAIRS.apply(step, actor, at=now, fields=["assembly"],
                              data={"assembly": assembly.pk, "election": assembly.election_id})
    return Outcome(project, True, event)


def vote_outcome(project) -> bool | None:
    """True when the core says the motion passed (published, owners' rules), False when it failed, None before."""
    if project.assembly is None:
        return None
    election = project.assembly.election
    if election.status != Election.Status.PUBLISHED:
        return None
    motion = election.motions.order_by("pk").first()
    return motion is not None and bool(motion_decided(motion=motion))


def repair_vote_settle(*, project_id: int, actor, now=None) -> Outcome:
    """Take the published result into the project: passed → on to the cost audit; failed → back to the plan."""
    project = RepairProject.objects.select_related("assembly__election").get(pk=project_id)
    passed = vote_outcome(project)
    if passed is None and project.status == S.VOTING:
        raise DomainError(_("表决结果尚未公布，公布后才能登记。"), code="not_published")
    action = "vote_passed" if passed else "vote_failed"
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, action)
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        result = motion_result(election=project.assembly.election,
                               motion_id=project.assembly.election.motions.order_by("pk").first().pk) or {}
        fields, data = [], {"assembly": project.assembly_id, "passed": bool(passed),
                            "quorum_met": project.assembly.election.tally.get("quorum_met")}
        if not passed:
            project.assembly = None
            fields.append("assembly")
        event = REPAIRS.apply(step, actor, at=now, fields=fields, data=data,
                              note=_("赞成 %(n)s 户") % {"n": result.get("counts", {}).get("for", {}).get("n", 0)})
    return Outcome(project, True, event)


# --- the emergency route (沪物业规定第七十三条) ------------------------------------------------------------

def _emergency_check(project) -> None:
    if not (project.emergency and project.danger_certified and project.certified_submitted_on):
        raise DomainError(_("只有经有资质的鉴定机构确认危险的外墙、渗漏紧急维修才能走紧急程序。"), code="not_emergency")


def repair_emergency_approve(*, project_id: int, actor, approved_by: str, approved_at, now=None) -> Outcome:
    """Record the owners' committee's approval of the emergency use: who and when. After the 7 days it is refused:
    the project then goes to the district housing department."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "emergency_approve")
        project = step.obj
        _emergency_check(project)
        if project.emergency_approved_at is not None:
            return Outcome(project, False)
        approved_by = _text(approved_by, _("请填写批准的业委会成员。"), "approved_by")
        if approved_at is None:
            raise DomainError(_("请填写批准时间。"), code="approved_at")
        day = timezone.localtime(approved_at).date()
        if day < project.certified_submitted_on:
            raise DomainError(_("批准时间不能早于鉴定报告提交业委会的日期。"), code="approved_at")
        if day > sel.emergency_deadline(project):
            raise DomainError(_("已超过7日（%(deadline)s 24:00 前）：业委会未在期限内批准，请报区房屋管理局。") % {
                "deadline": sel.emergency_deadline(project)}, code="overdue")
        project.emergency_approved_at, project.emergency_approved_by = approved_at, approved_by[:60]
        event = REPAIRS.apply(step, actor, at=now, fields=["emergency_approved_at", "emergency_approved_by"],
                              data={"by": project.emergency_approved_by, "at": approved_at.isoformat()},
                              note=project.emergency_approved_by)
    return Outcome(project, True, event)


def repair_refer(*, project_id: int, actor, referred_on, reference_no: str, referred_to: str = "",
                 note: str = "", now=None) -> Outcome:
    """The referral to the district housing department once the 7 days ran out without the committee's approval."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "refer")
        project = step.obj
        _emergency_check(project)
        if RepairReferral.objects.filter(project=project).exists():
            return Outcome(project, False)
        if project.emergency_approved_at is not None:
            raise DomainError(_("业委会已同意紧急使用，无需报区房屋管理局。"), code="approved")
        if referred_on is None or referred_on <= sel.emergency_deadline(project):
            raise DomainError(_("7日期限到 %(deadline)s 24:00 才届满，届满后才能报区房屋管理局。") % {
                "deadline": sel.emergency_deadline(project)}, code="not_overdue")
        reference_no = _text(reference_no, _("请填写受理编号。"), "reference_no")
        referral = RepairReferral.objects.create(
            project=project, referred_on=referred_on, referred_to=(referred_to or "").strip() or _("宝山区房屋管理局"),
            reference_no=reference_no[:60], note=(note or "").strip(), recorded_by=actor, recorded_at=now or timezone.now())
        event = REPAIRS.apply(step, actor, at=now, note=referral.note,
                              data={"to": referral.referred_to, "reference_no": referral.reference_no,
                                    "on": referred_on.isoformat()})
    return Outcome(project, True, event)


def repair_emergency_overdue_mark(*, project_id: int, now=None) -> bool:
    """The clock's step (the beat task): once the 7 days ran out, record it and tell committee staff, once."""
    now = now or timezone.now()
    with transaction.atomic():
        project = RepairProject.objects.select_for_update(of=("self",)).get(pk=project_id)
        if project.emergency_overdue_notified_at is not None \
                or not sel.emergency_overdue(project, on=timezone.localtime(now).date()):
            return False
        step = REPAIRS.begin(project_id, None, "emergency_overdue")
        project = step.obj
        project.emergency_overdue_notified_at = now
        REPAIRS.apply(step, None, at=now, fields=["emergency_overdue_notified_at"],
                      data={"deadline": sel.emergency_deadline(project).isoformat()})
        url = reverse("talents:owners_repairs_detail", args=[project.pk])
        for user in users_with_role(community_id=project.community_id, role=Role.COMMITTEE_STAFF):
            notify(recipient=user, url=url,
                   title=deferred(gettext_lazy("维修项目“%(title)s”：业委会已超过7日未批准紧急使用"), title=project.title),
                   body=deferred(gettext_lazy("7日期限已于 %(deadline)s 届满（沪物业规定第七十三条），请报宝山区房屋管理局。"),
                                 deadline=sel.emergency_deadline(project).isoformat()))
    return True


def repair_emergency_proceed(*, project_id: int, actor, reason: str = "", now=None) -> Outcome:
    """Go on without the owners' vote: the committee approved within 7 days, or the department was referred to."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "emergency_proceed")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        _emergency_check(project)
        if not sel.may_take_emergency_route(project, on=timezone.localdate()):
            raise DomainError(_("须业委会在7日内同意紧急使用，或7日届满后已报区房屋管理局，才能不经业主表决实施。"),
                              code="not_allowed")
        default = (_("业委会于 %(at)s 同意紧急使用（沪物业规定第七十三条）") % {
            "at": timezone.localtime(project.emergency_approved_at).strftime("%Y-%m-%d %H:%M")}
            if project.emergency_approved_at else
            _("业委会7日内未批准，已报区房屋管理局（受理编号 %(no)s），按沪物业规定第七十三条实施") % {
                "no": project.referral.reference_no})
        project.vote_skipped_reason = (reason or "").strip() or default
        event = REPAIRS.apply(step, actor, at=now, fields=["vote_skipped_reason"], note=project.vote_skipped_reason)
    return Outcome(project, True, event)


# --- audit, contract, works, acceptance ---------------------------------------------------------------------

def repair_audit(*, project_id: int, actor, auditor: str, audited_amount, note: str = "", document=None,
                 now=None) -> Outcome:
    """The cost audit (审价, 沪物业规定第六十七条): the audited amount stays within the budget, or a note says why."""
    checked = file_check(document)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "audit")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        project.auditor = _text(auditor, _("请填写审价单位。"), "auditor")[:100]
        project.audited_amount = _money(audited_amount, field=_("审定金额"))
        project.audit_note = (note or "").strip()
        if project.budget and project.audited_amount > project.budget and not project.audit_note:
            raise DomainError(_("审定金额 %(amount)s 元超过预算 %(budget)s 元，请说明原因。") % {
                "amount": project.audited_amount, "budget": project.budget}, code="over_budget")
        if checked is None:
            raise DomainError(_("请上传审价报告。"), code="file_required")
        event = REPAIRS.apply(step, actor, at=now, fields=["auditor", "audited_amount", "audit_note"],
                              note=project.audit_note,
                              data={"auditor": project.auditor, "amount": str(project.audited_amount)})
        _store_file(project, event, RepairDocument.Kind.AUDIT, checked, actor)
    return Outcome(project, True, event)


def repair_contract(*, project_id: int, actor, party: str, amount, signed_on, document=None, now=None) -> Outcome:
    checked = file_check(document)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "contract")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        project.contract_party = _text(party, _("请填写施工单位。"), "party")[:100]
        project.contract_amount = _money(amount, field=_("合同金额"))
        if project.audited_amount is not None and project.contract_amount > project.audited_amount:
            raise DomainError(_("合同金额 %(amount)s 元不能超过审定金额 %(audited)s 元。") % {
                "amount": project.contract_amount, "audited": project.audited_amount}, code="over_audit")
        if signed_on is None:
            raise DomainError(_("请填写合同签订日期。"), code="signed_on")
        if checked is None:
            raise DomainError(_("请上传施工合同。"), code="file_required")
        project.contract_signed_on = signed_on
        event = REPAIRS.apply(step, actor, at=now, fields=["contract_party", "contract_amount", "contract_signed_on"],
                              data={"party": project.contract_party, "amount": str(project.contract_amount)})
        _store_file(project, event, RepairDocument.Kind.CONTRACT, checked, actor)
    return Outcome(project, True, event)


def repair_progress(*, project_id: int, actor, percent: int, note: str = "", photos=(), now=None) -> Outcome:
    """A works update: progress in per cent (never backwards) with its photos; the same update twice is one."""
    processed = photos_process(uploads=photos)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "progress")
        project = step.obj
        if percent is None or not 0 <= int(percent) <= 100:
            raise DomainError(_("施工进度应在 0 到 100 之间。"), code="percent")
        percent, note = int(percent), (note or "").strip()
        if percent < project.progress:
            raise DomainError(_("施工进度不能倒退（现在是 %(n)s%%）。") % {"n": project.progress}, code="percent")
        last = REPAIRS.last_event(project)
        if (step.from_state == S.WORKS and not processed and last is not None and last.action == "progress"
                and last.data.get("percent") == percent and last.note == note):
            return Outcome(project, False)
        project.progress = percent
        event = REPAIRS.apply(step, actor, at=now, fields=["progress"], note=note, data={"percent": percent})
        _store_photos(project, event, processed, actor)
    return Outcome(project, True, event)


def repair_accept(*, project_id: int, actor, accepted_on, accepted_by: str, result: str, photos=(),
                  now=None) -> Outcome:
    processed = photos_process(uploads=photos)
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "accept")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        if accepted_on is None:
            raise DomainError(_("请填写验收日期。"), code="accepted_on")
        project.accepted_on = accepted_on
        project.accepted_by = _text(accepted_by, _("请填写参加验收的人员。"), "accepted_by")[:200]
        project.acceptance_result = _text(result, _("请填写验收结论。"), "result")
        project.progress = 100
        event = REPAIRS.apply(step, actor, at=now, note=project.acceptance_result,
                              fields=["accepted_on", "accepted_by", "acceptance_result", "progress"],
                              data={"on": accepted_on.isoformat(), "by": project.accepted_by})
        _store_photos(project, event, processed, actor)
    return Outcome(project, True, event)


# --- payment and the final account --------------------------------------------------------------------------

def repair_pay(*, project_id: int, actor, amount, paid_on, note: str = "", now=None) -> Outcome:
    """Pay from the fund of the sharing households (``fund_pay_project``: refused while the fund is frozen, except on
    the emergency route, and beyond the households' balance). At most the audited amount."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "pay")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        amount = _money(amount, field=_("支付金额"))
        ceiling = project.contract_amount or project.audited_amount or project.budget
        if ceiling and amount > ceiling:
            raise DomainError(_("支付金额 %(amount)s 元超过审定/合同金额 %(ceiling)s 元。") % {
                "amount": amount, "ceiling": ceiling}, code="over_ceiling")
        if paid_on is None:
            raise DomainError(_("请填写支付日期。"), code="paid_on")
        rows = fund_pay_project(actor=actor, project=project, amount=amount, on=paid_on, note=note)
        project.paid_amount, project.paid_on = amount, paid_on
        event = REPAIRS.apply(step, actor, at=now, fields=["paid_amount", "paid_on"], note=(note or "").strip(),
                              data={"amount": str(amount), "households": len(rows)})
    return Outcome(project, True, event)


def repair_publish(*, project_id: int, actor, final_account: str, published_on, now=None) -> Outcome:
    """Publish the final account (公示, 沪物业规定第六十七条)."""
    with transaction.atomic():
        step = REPAIRS.begin(project_id, actor, "publish")
        project = step.obj
        if step.repeat:
            return Outcome(project, False)
        project.final_account = _text(final_account, _("请填写决算说明。"), "final_account")
        if published_on is None:
            raise DomainError(_("请填写公示日期。"), code="published_on")
        project.published_on = published_on
        event = REPAIRS.apply(step, actor, at=now, fields=["final_account", "published_on"],
                              note=project.final_account)
    return Outcome(project, True, event)


def case_for_link(*, community, case_id) -> Case | None:
    return Case.objects.filter(community=community, pk=case_id).first()
