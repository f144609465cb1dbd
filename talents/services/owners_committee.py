"""The owners' committee over time (issue 15 item 2): recording a recall, the town's certificates and the
committee's decisions with their publication and the notice to the residents' committee.

- A recall ends its term (``end_reason=recalled``, ``ended_on`` = the day of the vote). With the vote on the core
  decision engine (an ``OwnersAssembly`` of kind recall), it is refused unless the core says the motion was
  adopted under the owners' rule (Civil Code art. 278: participation, then more than half of both tallies);
  a recall of the paper era carries the result as it was announced.
- 沪物业规定 art. 23: the town issues the filing and seal certificates (the seal carries the term number).
- 沪物业规定 art. 26: the committee publishes its decisions within 3 days and tells the residents' committee in
  writing. Publishing twice, or recording the notice twice, changes nothing.
"""
import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.models import Election
from communities.services.audit import audit
from communities.services.errors import DomainError

from communities.services.uploads import checked_document

from ..selectors.owners_assembly import motion_decided
from ..models import CommitteeDecision, CommitteeFiling, CommitteeRecall, CommitteeTerm, OwnersAssembly
from .committee_terms import committee_term_close

FILE_MB = 5


def checked_file(upload) -> tuple[ContentFile, str]:
    """A certificate's or an attachment's file: PDF or JPG by its content (not its name), at most 5 MB."""
    checked = checked_document(upload, max_mb=FILE_MB, allowed=("pdf", "jpg"))
    return ContentFile(checked.content), checked.extension


def _attach(row, upload) -> None:
    if upload is None:
        return
    content, ext = checked_file(upload)
    row.file_extension = ext
    row.file.save(f"file.{ext}", content, save=False)


def _require(actor, action: str, obj, message: str) -> None:
    if not policy.can(actor, action, obj):
        raise DomainError(message, code="forbidden")


# --- recalls -----------------------------------------------------------------------------------------------

def _check_recall_vote(term: CommitteeTerm, assembly: OwnersAssembly) -> None:
    if assembly.community_id != term.community_id or assembly.kind != OwnersAssembly.Kind.RECALL:
        raise DomainError(_("请选择本小区罢免业主委员会的业主表决。"), code="assembly")
    motions = list(assembly.election.motions.all())
    adopted = bool(motions) and all(motion_decided(motion=m) for m in motions)
    if not adopted:
        raise DomainError(_("这次业主表决尚未公布结果或罢免议题未获通过：罢免须经参与表决的业主专有面积和人数"
                            "均过半数同意（《民法典》第二百七十八条）。"), code="not_adopted")


def committee_recall_record(*, actor, term: CommitteeTerm, decided_on: dt.date, grounds: str,
                            grounds_text: str = "", assembly: OwnersAssembly | None = None, result_text: str = "",
                            now=None) -> CommitteeRecall:
    """Record that the owners recalled ``term`` on ``decided_on``; the term ends that day. Recording the same
    recall again returns the row already there."""
    now = now or timezone.now()
    _require(actor, "talents.committee.manage", term, _("只有居委工作人员可以登记罢免。"))
    if grounds not in CommitteeRecall.Grounds.values:
        raise DomainError(_("请选择罢免事由。"), code="grounds")
    if grounds == CommitteeRecall.Grounds.OTHER and not grounds_text.strip():
        raise DomainError(_("事由为“其他”时请写明罢免事由。"), code="grounds_text")
    if assembly is None and not result_text.strip():
        raise DomainError(_("没有系统内的业主表决时，请填写当时公告的表决结果。"), code="result")
    if decided_on > timezone.localdate(now):
        raise DomainError(_("罢免日期不能晚于今天。"), code="date")
    with transaction.atomic():
        term = CommitteeTerm.objects.select_for_update().get(pk=term.pk)
        existing = CommitteeRecall.objects.filter(term=term).first()
        if existing is not None:
            return existing  # a double submission: the recall is on record
        if term.ended_on is not None:
            raise DomainError(_("第%(n)s届业主委员会已于 %(on)s 结束，不能再罢免。")
                              % {"n": term.number, "on": term.ended_on}, code="ended")
        if decided_on < term.started_on:
            raise DomainError(_("罢免日期不能早于任期开始。"), code="date")
        if assembly is not None:
            _check_recall_vote(term, assembly)
        recall = CommitteeRecall.objects.create(
            community_id=term.community_id, term=term, decided_on=decided_on, grounds=grounds,
            grounds_text=grounds_text.strip(), assembly=assembly, result_text=result_text.strip(),
            recorded_by=actor, recorded_at=now)
        committee_term_close(term=term, on=decided_on, reason=CommitteeTerm.End.RECALLED)
        audit(actor=actor, action="talents.committee.recall", community=term.community, term=term.number,
              recall=recall.pk)
    return recall


# --- filings with the town (art. 23) -------------------------------------------------------------------------

def committee_filing_record(*, actor, term: CommitteeTerm, kind: str, number: str, issued_on: dt.date,
                            issued_by: str = "", upload=None, now=None) -> CommitteeFiling:
    """Record a certificate the town issued for ``term``; the same certificate again changes nothing."""
    now = now or timezone.now()
    _require(actor, "talents.committee.manage", term, _("只有居委工作人员可以登记备案。"))
    number, issued_by = (number or "").strip(), (issued_by or "").strip() or "罗店镇人民政府"
    if kind not in CommitteeFiling.Kind.values:
        raise DomainError(_("证明类型无效。"), code="kind")
    if not number:
        raise DomainError(_("请填写证明编号。"), code="number")
    if issued_on > timezone.localdate(now) or issued_on < term.started_on - dt.timedelta(days=60):
        raise DomainError(_("出具日期应在本届任期内，且不晚于今天。"), code="date")
    with transaction.atomic():
        CommitteeTerm.objects.select_for_update().filter(pk=term.pk).first()
        existing = CommitteeFiling.objects.filter(term=term, kind=kind).first()
        if existing is not None:
            if existing.number == number:
                return existing
            raise DomainError(_("第%(n)s届业主委员会的%(kind)s已经登记（%(number)s）。") % {
                "n": term.number, "kind": existing.get_kind_display(), "number": existing.number}, code="duplicate")
        filing = CommitteeFiling(community_id=term.community_id, term=term, kind=kind, number=number,
                                 issued_on=issued_on, issued_by=issued_by, recorded_by=actor, recorded_at=now)
        _attach(filing, upload)
        filing.save()
        audit(actor=actor, action="talents.committee.filing", community=term.community, term=term.number,
              kind=kind, number=number)
    return filing


# --- the committee's decisions (art. 26) ----------------------------------------------------------------------

def committee_decision_record(*, actor, community, title: str, text: str, decided_on: dt.date, upload=None,
                              now=None) -> CommitteeDecision:
    """A decision of the serving term, not yet published; the same decision submitted twice is one row."""
    now = now or timezone.now()
    _require(actor, "talents.committee.decide", community, _("只有本届业主委员会委员和居委工作人员可以登记决定。"))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise DomainError(_("请填写决定事项和决定内容。"), code="text")
    with transaction.atomic():
        term = CommitteeTerm.objects.select_for_update().filter(community=community, ended_on__isnull=True) \
            .order_by("-number").first()
        if term is None:
            raise DomainError(_("本小区目前没有在任的业主委员会。"), code="no_term")
        if not term.started_on <= decided_on <= timezone.localdate(now):
            raise DomainError(_("决定日期应在本届任期开始之后，且不晚于今天。"), code="date")
        existing = CommitteeDecision.objects.filter(term=term, title=title, decided_on=decided_on).first()
        if existing is not None:
            return existing
        decision = CommitteeDecision(community=community, term=term, title=title, text=text, decided_on=decided_on,
                                     recorded_by=actor, recorded_at=now)
        _attach(decision, upload)
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:  # the same decision saved by a concurrent request
            return CommitteeDecision.objects.get(term=term, title=title, decided_on=decided_on)
    return decision


def _locked_decision(actor, decision_id: int) -> CommitteeDecision:
    decision = CommitteeDecision.objects.select_for_update().select_related("term").filter(pk=decision_id).first()
    if decision is None:
        raise DomainError(_("没有这项决定。"), code="missing")
    _require(actor, "talents.committee.decide", decision, _("只有本届业主委员会委员和居委工作人员可以公告决定。"))
    if decision.term.ended_on is not None:
        raise DomainError(_("这一届业主委员会已经结束，不能再处理它的决定。"), code="ended")
    return decision


def committee_decision_publish(*, actor, decision_id: int, now=None) -> bool:
    """Publish the decision to the owners (沪物业规定 art. 26); False when it was published already."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = _locked_decision(actor, decision_id)
        if decision.published_at is not None:
            return False
        decision.published_at, decision.published_by = now, actor
        decision.save(update_fields=["published_at", "published_by"])
        audit(actor=actor, action="talents.committee.decision_publish", community=decision.community,
              decision=decision.pk)
    return True


def committee_decision_notify_rc(*, actor, decision_id: int, notice: str, now=None) -> bool:
    """Record the committee's written notice of the decision to the residents' committee (art. 26); False when
    one is on record already."""
    now = now or timezone.now()
    notice = (notice or "").strip()
    if not notice:
        raise DomainError(_("请填写告知居委会的书面通知内容。"), code="notice")
    with transaction.atomic():
        decision = _locked_decision(actor, decision_id)
        if decision.rc_notified_at is not None:
            return False
        decision.rc_notified_at, decision.rc_notice = now, notice
        decision.save(update_fields=["rc_notified_at", "rc_notice"])
        audit(actor=actor, action="talents.committee.decision_notice", community=decision.community,
              decision=decision.pk)
    return True
