"""Electing a new owners' committee step by step (issue 15 item 3): the election and its statutory steps, the
preparatory group, the candidates and their checks, the vote on the core decision engine, the result and the
new term. One service per change: it locks the election, checks the actor through the policy, refuses bad input
with a ``DomainError`` naming the rule (《上海市住宅物业管理规定》, RULES.md), writes an audit row and is harmless
when repeated (a double submission changes nothing and returns False or the existing row).
"""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.policy import person_id_of
from communities.models import Election, Residency, Unit, User
from communities.services import elections as core
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.sums import DecimalSum

from ..models import CandidateCheck, CommitteeElection, CommitteeTerm, ElectionStep, OwnersAssembly, PreparatoryMember
from ..selectors.owners_election import GROUP_DAYS, LAW, NOTICE_DAYS, elected_rows, local_today
from .assemblies import assembly_create
from .committee_terms import SMALL_ESTATE_AREA, committee_term_start

K = ElectionStep.Kind
POST = "委员"
# Steps staff record by hand; the others are recorded by the service that does them.
RECORDED_BY_HAND = (K.HANDOVER, K.ROSTER, K.PLEDGES, K.FILING)


def _require(actor, target) -> None:
    if not policy.can(actor, "talents.election.manage", target):
        raise DomainError(_("只有居委工作人员可以管理业委会换届选举。"), code="forbidden")


def _lock(election: CommitteeElection) -> CommitteeElection:
    return CommitteeElection.objects.select_for_update().get(pk=election.pk)


def _audit(actor, action: str, election: CommitteeElection, **detail) -> None:
    audit(actor=actor, action=f"talents.election.{action}", community=election.community,
          committee_election=election.pk, **detail)


def _not_future(on: dt.date, now) -> None:
    if on is None:
        raise DomainError(_("请填写日期。"), code="date")
    if on > local_today(now):
        raise DomainError(_("日期不能晚于今天。"), code="future")


def _step(election, kind) -> ElectionStep:
    return ElectionStep.objects.select_for_update().get(election=election, kind=kind)


def _mark(election, kind, on, actor, *, note="", document=None) -> bool:
    step = _step(election, kind)
    if step.done_on == on and not document and (not note or note == step.note):
        return False
    step.done_on, step.recorded_by = on, actor
    fields = ["done_on", "recorded_by"]
    if note:
        step.note = note[:300]
        fields.append("note")
    if document:
        step.document = document
        fields.append("document")
    step.save(update_fields=fields)
    return True


def check_seats(*, community, seats: int) -> None:
    """委员 seats: an odd number, at least 5 (3 allowed for an estate of at most 10,000 m²)."""
    area = Unit.objects.filter(building__community=community).aggregate(a=DecimalSum("floor_area"))["a"] or Decimal(0)
    least = 3 if area <= SMALL_ESTATE_AREA else 5
    if seats < least or seats % 2 == 0:
        raise DomainError(_("业主委员会由 %(least)s 名以上单数委员组成（本小区专有面积 %(area)s 平方米），"
                            "委员名额不能为 %(seats)s 名（%(law)s）。") % {
            "least": least, "area": area, "seats": seats, "law": LAW}, code="seats")


# --- the election ----------------------------------------------------------------------------------------------

def committee_election_create(*, actor, community, term_number: int, triggered_on: dt.date, seats: int,
                              assembly_on: dt.date | None = None) -> CommitteeElection:
    """The election of the ``term_number``-th committee, with its eight steps."""
    _require(actor, community)
    check_seats(community=community, seats=seats)
    if not term_number or term_number < 1:
        raise DomainError(_("请填写选举届别。"), code="term_number")
    if assembly_on is not None and assembly_on <= triggered_on:
        raise DomainError(_("业主大会日期应晚于换届启动日期。"), code="dates")
    with transaction.atomic():
        if CommitteeElection.objects.select_for_update().filter(community=community, term_number=term_number).exists():
            raise DomainError(_("第%(n)s届业主委员会选举已经登记。") % {"n": term_number}, code="duplicate")
        election = CommitteeElection.objects.create(
            community=community, term_number=term_number, triggered_on=triggered_on, seats=seats,
            assembly_on=assembly_on, created_by=actor)
        ElectionStep.objects.bulk_create([ElectionStep(election=election, kind=kind) for kind in K.values])
        _audit(actor, "create", election, term=term_number, triggered_on=str(triggered_on))
    return election


def committee_election_dates(*, actor, election: CommitteeElection, assembly_on: dt.date) -> bool:
    """Set or move the planned assembly date (the 15 days' notices are counted back from it)."""
    _require(actor, election)
    with transaction.atomic():
        election = _lock(election)
        if election.status != CommitteeElection.Status.PREPARING:
            raise DomainError(_("表决已经开始，不能再修改业主大会日期。"), code="state")
        if assembly_on is None or assembly_on <= election.triggered_on:
            raise DomainError(_("业主大会日期应晚于换届启动日期。"), code="dates")
        if election.assembly_on == assembly_on:
            return False
        election.assembly_on = assembly_on
        election.save(update_fields=["assembly_on"])
        _audit(actor, "dates", election, assembly_on=str(assembly_on))
    return True


# --- the preparatory group -------------------------------------------------------------------------------------

def group_member_add(*, actor, election: CommitteeElection, name: str, side: str,
                     role: str = PreparatoryMember.Role.MEMBER, user=None) -> PreparatoryMember:
    _require(actor, election)
    name = (name or "").strip()[:50]
    if not name:
        raise DomainError(_("请填写姓名。"), code="name")
    if side not in PreparatoryMember.Side.values or role not in PreparatoryMember.Role.values:
        raise DomainError(_("代表方或职务无效。"), code="side")
    with transaction.atomic():
        election = _lock(election)
        if election.group_formed_on is not None:
            raise DomainError(_("筹备组已经成立，不能再更改成员。"), code="formed")
        member, created = PreparatoryMember.objects.get_or_create(
            election=election, name=name, side=side, defaults={"role": role, "user": user})
        if created:
            _audit(actor, "group_add", election, side=side, role=role)
    return member


def group_member_remove(*, actor, member: PreparatoryMember) -> bool:
    _require(actor, member)
    with transaction.atomic():
        election = _lock(member.election)
        if election.group_formed_on is not None:
            raise DomainError(_("筹备组已经成立，不能再更改成员。"), code="formed")
        deleted, _rows = PreparatoryMember.objects.filter(pk=member.pk).delete()
        if deleted:
            _audit(actor, "group_remove", election, side=member.side)
    return bool(deleted)


def check_group(*, members: list[PreparatoryMember], triggered_on: dt.date, formed_on: dt.date) -> None:
    """The group the law allows (RULES.md): an odd number, owners at least half, one leader, within 60 days."""
    size = len(members)
    owners = sum(1 for m in members if m.side == PreparatoryMember.Side.OWNER)
    if size == 0 or size % 2 == 0:
        raise DomainError(_("筹备组成员人数应为单数，现为 %(n)s 人（%(law)s）。") % {"n": size, "law": LAW},
                          code="odd")
    if owners * 2 < size:
        raise DomainError(_("筹备组中业主代表应不少于一半，现为 %(owners)s / %(n)s 人（%(law)s）。") % {
            "owners": owners, "n": size, "law": LAW}, code="owners")
    if sum(1 for m in members if m.role == PreparatoryMember.Role.LEADER) != 1:
        raise DomainError(_("筹备组应有一名组长。"), code="leader")
    if formed_on < triggered_on:
        raise DomainError(_("筹备组成立日期不能早于换届启动日期。"), code="dates")
    if formed_on > triggered_on + dt.timedelta(days=GROUP_DAYS):
        raise DomainError(_("筹备组应在换届启动后 60 日内成立（最迟 %(date)s，%(law)s）。") % {
            "date": triggered_on + dt.timedelta(days=GROUP_DAYS), "law": LAW}, code="60days")


def group_form(*, actor, election: CommitteeElection, formed_on: dt.date, now=None) -> bool:
    """Record the group formed by the town on ``formed_on``; refused (naming the rule) when it breaks one."""
    _require(actor, election)
    _not_future(formed_on, now)
    with transaction.atomic():
        election = _lock(election)
        if election.group_formed_on is not None:
            if election.group_formed_on == formed_on:
                return False
            raise DomainError(_("筹备组已于 %(date)s 成立。") % {"date": election.group_formed_on}, code="formed")
        check_group(members=list(election.group.all()), triggered_on=election.triggered_on, formed_on=formed_on)
        election.group_formed_on = formed_on
        election.save(update_fields=["group_formed_on"])
        _mark(election, K.GROUP, formed_on, actor)
        _audit(actor, "group_form", election, formed_on=str(formed_on))
    return True


# --- steps recorded by hand ------------------------------------------------------------------------------------

def step_record(*, actor, election: CommitteeElection, kind: str, done_on: dt.date, note: str = "",
                document=None, now=None) -> bool:
    """Record a step done on ``done_on`` (the handover, the roster's publication, the pledges, the filing)."""
    _require(actor, election)
    if kind not in RECORDED_BY_HAND:
        raise DomainError(_("这个步骤由系统在办理时自动记录。"), code="kind")
    _not_future(done_on, now)
    with transaction.atomic():
        election = _lock(election)
        if kind == K.HANDOVER and (election.group_formed_on is None or done_on < election.group_formed_on):
            raise DomainError(_("资料和印章的移交应在筹备组成立之后。"), code="dates")
        changed = _mark(election, kind, done_on, actor, note=(note or "").strip(), document=document)
        if changed:
            _audit(actor, "step", election, step=kind, done_on=str(done_on))
    return changed


# --- the vote and the candidates -------------------------------------------------------------------------------

def vote_create(*, actor, election: CommitteeElection, opens_at: dt.datetime, closes_at: dt.datetime) -> OwnersAssembly:
    """The assembly's vote on the core engine: post 委员 with the election's seats, a 15 days' notice."""
    _require(actor, election)
    with transaction.atomic():
        election = _lock(election)
        if election.assembly_id:
            return election.assembly
        if election.group_formed_on is None:
            raise DomainError(_("筹备组成立后才能发起选举表决。"), code="group")
        if opens_at is None or closes_at is None:
            raise DomainError(_("请填写投票开始和截止时间。"), code="times")
        assembly = assembly_create(
            actor=actor, community=election.community, kind=OwnersAssembly.Kind.COMMITTEE_ELECTION,
            title=str(_("第%(n)s届业主委员会选举") % {"n": election.term_number}), posts=[(POST, election.seats)],
            description=str(_("选举第%(n)s届业主委员会委员 %(seats)s 名。") % {"n": election.term_number,
                                                                       "seats": election.seats}),
            opens_at=opens_at, closes_at=closes_at, notice_days=NOTICE_DAYS)
        election.assembly = assembly
        election.assembly_on = election.assembly_on or timezone.localtime(opens_at).date()
        election.save(update_fields=["assembly", "assembly_on"])
        _audit(actor, "vote_create", election, vote=assembly.election_id)
    return assembly


def is_estate_owner(user, community) -> bool:
    person_id = person_id_of(user)
    return person_id is not None and Residency.objects.filter(
        person_id=person_id, relation=Residency.Relation.OWNER, moved_out__isnull=True,
        unit__building__community=community).exists()


def candidate_nominate(*, actor, election: CommitteeElection, user, statement: str = "") -> CandidateCheck:
    """Put an owner of the estate on the vote's 委员 post, with a check row still to be filled."""
    _require(actor, election)
    with transaction.atomic():
        election = _lock(election)
        existing = CandidateCheck.objects.filter(election=election, user=user).first()
        if existing is not None:
            return existing
        if not election.assembly_id:
            raise DomainError(_("请先发起选举表决，再登记候选人。"), code="vote")
        if election.candidates_published_on:
            raise DomainError(_("候选人名单已经公示，不能再增加候选人。"), code="published")
        if not is_estate_owner(user, election.community):
            raise DomainError(_("候选人应当是本小区的业主（%(law)s）。") % {"law": LAW}, code="not_owner")
        vote = election.assembly.election
        candidate = core.election_candidate_add(actor=actor, election=vote, post=vote.posts.get(name=POST),
                                                user=user, statement=statement)
        check = CandidateCheck.objects.create(election=election, user=user, candidate=candidate)
        _audit(actor, "nominate", election, user=user.pk)
    return check


def candidate_check_record(*, actor, check: CandidateCheck, checked_on: dt.date, result: str, source: str,
                           reason: str = "", pledge_signed_on: dt.date | None = None, pledge_file=None,
                           now=None) -> CandidateCheck:
    """The pledge and the arrears / violation check. A candidate who fails is taken off the ballot."""
    _require(actor, check)
    _not_future(checked_on, now)
    R = CandidateCheck.Result
    if result not in (R.PASSED, R.FAILED):
        raise DomainError(_("请选择核查结果。"), code="result")
    if not (source or "").strip():
        raise DomainError(_("请填写核查依据（如物业费欠费清单、维修资金账户、执法记录）。"), code="source")
    if result == R.FAILED and reason not in (CandidateCheck.Reason.FEE_ARREARS, CandidateCheck.Reason.FUND_ARREARS,
                                             CandidateCheck.Reason.VIOLATION):
        raise DomainError(_("请选择不符合条件的原因。"), code="reason")
    with transaction.atomic():
        election = _lock(check.election)
        check = CandidateCheck.objects.select_for_update().get(pk=check.pk)
        if election.candidates_published_on:
            raise DomainError(_("候选人名单已经公示，不能再修改核查结果。"), code="published")
        if pledge_signed_on is not None:
            check.pledge_signed_on = pledge_signed_on
        if pledge_file:
            check.pledge_file = pledge_file
        if result == R.PASSED and not check.has_pledge:
            raise DomainError(_("候选人应当提交书面承诺后才能通过核查（%(law)s）。") % {"law": LAW}, code="pledge")
        check.checked_on, check.result, check.source, check.checked_by = checked_on, result, source.strip()[:200], actor
        check.reason = reason if result == R.FAILED else ""
        if result == R.FAILED and check.candidate_id:
            core.election_candidate_remove(actor=actor, candidate=check.candidate)
            check.candidate = None
        check.save()
        _audit(actor, "check", election, user=check.user_id, result=result, reason=check.reason)
    return check


def candidate_list_publish(*, actor, election: CommitteeElection, on: dt.date, now=None) -> bool:
    """Publish the candidates who passed (each with a pledge): the core vote's notice starts on ``on``, so the
    core refuses to open the vote before ``on`` + 15 days."""
    _require(actor, election)
    _not_future(on, now)
    with transaction.atomic():
        election = _lock(election)
        if election.candidates_published_on:
            return False
        if not election.assembly_id:
            raise DomainError(_("请先发起选举表决，再公示候选人。"), code="vote")
        checks = list(election.candidate_checks.all())
        on_ballot = [c for c in checks if c.candidate_id]
        if any(c.result != CandidateCheck.Result.PASSED for c in on_ballot):
            raise DomainError(_("还有候选人未完成书面承诺和资格核查，不能公示名单。"), code="unchecked")
        if len(on_ballot) < election.seats:
            raise DomainError(_("通过核查的候选人（%(n)s 名）少于委员名额（%(seats)s 名）。") % {
                "n": len(on_ballot), "seats": election.seats}, code="too_few")
        if election.assembly_on and on + dt.timedelta(days=NOTICE_DAYS) > election.assembly_on:
            raise DomainError(_("候选人名单应在业主大会会议召开 15 日前公示：业主大会 %(day)s，最迟 %(last)s 公示"
                                "（%(law)s）。") % {"day": election.assembly_on, "law": LAW,
                                                 "last": election.assembly_on - dt.timedelta(days=NOTICE_DAYS)},
                              code="15days")
        election.candidates_published_on = on
        election.save(update_fields=["candidates_published_on"])
        _mark(election, K.CANDIDATES, on, actor)
        pledges = [c.pledge_signed_on or on for c in on_ballot]
        step = _step(election, K.PLEDGES)
        if step.done_on is None:
            _mark(election, K.PLEDGES, max(pledges), actor)
        notice_at = dt.datetime.combine(on, dt.time(0, 0), tzinfo=timezone.get_current_timezone())
        core.election_notice_publish(actor=actor, election=election.assembly.election, now=notice_at)
        _audit(actor, "candidates_publish", election, on=str(on), candidates=len(on_ballot))
    return True


# --- the result and the new term -------------------------------------------------------------------------------

def result_publish(*, actor, election: CommitteeElection, on: dt.date, now=None) -> bool:
    """Publish the core vote's result (if not yet) and record the day it was posted; the assembly step is done
    on the day the vote closed. Within 3 days of the close (the timeline shows a later day as late)."""
    _require(actor, election)
    _not_future(on, now)
    with transaction.atomic():
        election = _lock(election)
        if election.result_published_on:
            return False
        vote = election.assembly.election if election.assembly_id else None
        if vote is None or vote.status not in (Election.Status.CLOSED, Election.Status.PUBLISHED):
            raise DomainError(_("投票截止后才能公布选举结果。"), code="not_closed")
        closed_on = timezone.localtime(vote.closes_at).date()
        if on < closed_on:
            raise DomainError(_("公布日期不能早于投票截止日期（%(date)s）。") % {"date": closed_on}, code="dates")
        if vote.status == Election.Status.CLOSED:
            core.election_publish(election=vote, actor=actor, now=now)
        election.result_published_on = on
        election.status = CommitteeElection.Status.PUBLISHED
        election.save(update_fields=["result_published_on", "status"])
        _mark(election, K.ASSEMBLY, closed_on, actor)
        _mark(election, K.RESULT, on, actor)
        _audit(actor, "result_publish", election, on=str(on))
    return True


def term_start(*, actor, election: CommitteeElection, offices: dict, started_on: dt.date,
               ends_on: dt.date) -> CommitteeTerm:
    """The new term from the published result: the candidates the core's ranking elected, each with the office
    the committee gave them (``offices``: {user id: Backbone.Office}, exactly one 主任)."""
    _require(actor, election)
    with transaction.atomic():
        election = _lock(election)
        if election.term_id:
            return election.term
        if election.result_published_on is None:
            raise DomainError(_("选举结果公布后才能产生新一届业主委员会。"), code="not_published")
        vote = Election.objects.get(pk=election.assembly.election_id)
        elected = elected_rows(vote.tally)
        if len(elected) != election.seats:
            raise DomainError(_("当选委员 %(n)s 名，少于应选名额 %(seats)s 名，需要另行选举或补选。") % {
                "n": len(elected), "seats": election.seats}, code="short")
        ids = [row["user_id"] for row in elected]
        if set(map(int, offices)) != set(ids):
            raise DomainError(_("请为每位当选委员分配职务。"), code="offices")
        users = User.objects.in_bulk(ids)
        members = [(users[uid], offices.get(uid) or offices.get(str(uid))) for uid in ids]
        term = committee_term_start(actor=actor, community=election.community, members=members,
                                    started_on=started_on, ends_on=ends_on, elected_by=election.assembly,
                                    number=election.term_number)
        election.term, election.status = term, CommitteeElection.Status.DONE
        election.save(update_fields=["term", "status"])
        _audit(actor, "term_start", election, term=term.pk)
    return term

