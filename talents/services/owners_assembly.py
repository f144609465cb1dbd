"""The assembly area's writes (issue 15): an owners' assembly with its motions named by their item of Civil Code
art. 278 para. 1 and the written notice of 沪物业规定 art. 25; opening it (copying the estate's voting rules); an
owner's ballot; requests for an extraordinary assembly counted toward 20 % of the owners; the estate's voting
rules ("non-voters follow the majority") and the proven deliveries of ballots that rule needs.

Each locks what it checks, is harmless when repeated, and raises ``DomainError`` for bad input."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.electorates import owners_roll
from communities.models import Backbone, Community, Election, ElectionVoter, Membership, Motion, Role, Unit
from communities.services import elections as core
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred

from ..models import (AssemblyCallDue, AssemblyRequest, Art278Item, BallotDelivery, CommitteeTerm, EstateVotingRules,
                      MotionBasis, OwnersAssembly, Scope)
from ..models.owners_assembly import SPECIAL_ITEMS
from ..selectors.owners_assembly import request_threshold  # noqa: F401 - also read as svc.request_threshold
from .assemblies import assembly_create



def _require(actor, action, obj) -> None:
    if not policy.can(actor, action, obj):
        raise PermissionDenied


def matter_of(item: int) -> str:
    """Items 6–8 are special matters (three quarters); the rest ordinary (more than half)."""
    return Motion.Matter.SPECIAL if item in SPECIAL_ITEMS else Motion.Matter.ORDINARY


def _item(item) -> int:
    try:
        item = int(item)
    except (TypeError, ValueError):
        item = 0
    if item not in Art278Item.values:
        raise DomainError(_("请选择议题属于《民法典》第二百七十八条第一款的哪一项。"), code="item")
    return item


def assembly_motion_add(*, actor, assembly: OwnersAssembly, title: str, item: int) -> Motion:
    """A motion on a draft assembly, with its item of art. 278 para. 1; the core's matter follows the item."""
    item = _item(item)
    with transaction.atomic():
        motion = core.election_motion_add(actor=actor, election=assembly.election, title=title,
                                          matter=matter_of(item))
        MotionBasis.objects.create(motion=motion, item=item)
    return motion


def owners_assembly_create(*, actor, community, kind: str, title: str, motions: list[tuple[str, int]],
                           scope: str = Scope.ESTATE, building=None, entrance: str = "", description: str = "",
                           opens_at=None, closes_at=None, place: str = "", notice_sent_on: dt.date | None = None,
                           notice_housing_office: bool = False, notice_residents_committee: bool = False,
                           now=None) -> OwnersAssembly:
    """An ordinary or extraordinary assembly with its motions [(title, item)] and the art. 25 notice recorded.
    A second submission of the same draft (same title) is refused rather than creating a twin."""
    _require(actor, "talents.assembly.manage", community)
    if kind not in (OwnersAssembly.Kind.REGULAR, OwnersAssembly.Kind.EXTRAORDINARY):
        raise DomainError(_("请选择定期会议或临时会议。"), code="kind")
    if not motions:
        raise DomainError(_("请至少添加一个议题。"), code="motions")
    items = [(t, _item(i)) for t, i in motions]
    if not (notice_sent_on and notice_housing_office and notice_residents_committee):
        raise DomainError(_("召开业主大会会议前，应当将会议时间、地点、议题书面告知房屋管理部门和居民委员会"
                            "（《上海市住宅物业管理规定》第二十五条）：请登记告知日期并确认两处均已告知。"), code="notice")
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        if OwnersAssembly.objects.filter(community=community, election__title=(title or "").strip(),
                                         election__status=Election.Status.DRAFT).exists():
            raise DomainError(_("已经有一个同名的业主大会草稿，请勿重复提交。"), code="duplicate")
        assembly = assembly_create(actor=actor, community=community, kind=kind, title=(title or "").strip(),
                                   scope=scope, building=building, entrance=entrance, description=description,
                                   opens_at=opens_at, closes_at=closes_at)
        for motion_title, item in items:
            assembly_motion_add(actor=actor, assembly=assembly, title=motion_title, item=item)
        assembly.place = (place or "").strip()[:200]
        assembly.notice_sent_on = notice_sent_on
        assembly.notice_housing_office = notice_housing_office
        assembly.notice_residents_committee = notice_residents_committee
        assembly.save(update_fields=["place", "notice_sent_on", "notice_housing_office",
                                     "notice_residents_committee"])
        if kind == OwnersAssembly.Kind.EXTRAORDINARY:
            _answer_requests(community, assembly)
    return assembly


def _answer_requests(community, assembly) -> None:
    """Calling an extraordinary assembly answers the open requests and the call they made due."""
    AssemblyRequest.objects.filter(community=community, answered_by=None).update(answered_by=assembly)
    AssemblyCallDue.objects.filter(community=community, answered_by=None).update(answered_by=assembly)


def voting_rules_of(community) -> EstateVotingRules:
    return EstateVotingRules.objects.filter(community=community).first() or EstateVotingRules(community=community)


def assembly_open(*, actor, assembly: OwnersAssembly, now=None) -> bool:
    """Open the vote (the core takes the roll) and copy the estate's voting rules onto the assembly, so a change
    of the rules later does not change how this vote is counted. A second press changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = OwnersAssembly.objects.select_for_update().get(pk=assembly.pk)
        changed = core.election_open(election_id=locked.election_id, actor=actor, now=now)
        if changed:
            rules = voting_rules_of(locked.community)
            locked.deemed_consent = rules.deemed_consent
            locked.deemed_consent_clause = rules.clause if rules.deemed_consent else ""
            locked.save(update_fields=["deemed_consent", "deemed_consent_clause"])
    return changed


def assembly_ballot_cast(*, assembly: OwnersAssembly, actor, answers: dict, now=None):
    """An owner's ballot on the assembly's motions, through the core (secret, with a receipt code)."""
    return core.ballot_cast(election=assembly.election, actor=actor, choices={}, motions=answers, now=now)


# --- voting rules and deliveries -------------------------------------------------------------------

def voting_rules_set(*, actor, community, deemed_consent: bool, clause: str, now=None) -> EstateVotingRules:
    """Switch "non-voters follow the majority" on (only with the clause of the rules of procedure) or off."""
    _require(actor, "talents.assembly.manage", community)
    now = now or timezone.now()
    clause = (clause or "").strip()
    if deemed_consent and not clause:
        raise DomainError(_("只有业主大会议事规则有约定时才能启用“未表决视为同意多数”：请录入议事规则的相应条款。"),
                          code="clause")
    with transaction.atomic():
        rules, _created = EstateVotingRules.objects.select_for_update().get_or_create(community=community)
        if rules.deemed_consent == deemed_consent and rules.clause == clause:
            return rules
        rules.deemed_consent, rules.clause = deemed_consent, clause
        rules.switched_by, rules.switched_at = actor, now
        rules.save()
    return rules


def ballot_delivery_record(*, actor, assembly: OwnersAssembly, voter_id: int, delivered_on: dt.date, method: str,
                           signer: str = "", proof: str = "", now=None) -> tuple[BallotDelivery, bool]:
    """Record that a group's ballot was delivered (with a signer or a proof). A second record for the same group
    keeps the first."""
    _require(actor, "talents.assembly.manage", assembly)
    if method not in BallotDelivery.Method.values:
        raise DomainError(_("请选择送达方式。"), code="method")
    if not (signer or "").strip() and not (proof or "").strip():
        raise DomainError(_("请填写签收人或送达凭证，没有凭证的送达不能作为视为同意的依据。"), code="proof")
    voter = ElectionVoter.objects.filter(pk=voter_id, election_id=assembly.election_id, counted=True).first()
    if voter is None:
        raise DomainError(_("这位业主不在本次表决的业主名单中。"), code="voter")
    with transaction.atomic():
        OwnersAssembly.objects.select_for_update().filter(pk=assembly.pk).first()
        existing = BallotDelivery.objects.filter(assembly=assembly, voter=voter).first()
        if existing is not None:
            return existing, False
        row = BallotDelivery.objects.create(assembly=assembly, voter=voter, delivered_on=delivered_on, method=method,
                                            signer=(signer or "").strip()[:50], proof=(proof or "").strip()[:200],
                                            recorded_by=actor, recorded_at=now or timezone.now())
    return row, True


# --- requests for an extraordinary assembly ----------------------------------------------------------

def estate_owner_groups(community) -> tuple[dict[int, str], int]:
    """{person id: group key} of the estate's owners' roll (co-owners and one owner's units joined, the core's
    ``owners_roll``, not saved) and the roll's headcount."""
    roll = owners_roll(Election(community=community), Unit.objects.filter(building__community=community))
    groups, key = {}, ""
    for row in roll:
        if row.counted:
            key = (row.share_key or f"person:{row.person_id}") if row.person_id else "developer"
        if row.person_id:
            groups[row.person_id] = key
    return groups, sum(1 for row in roll if row.counted)


CALL_TITLE = gettext_lazy("业主提议召开业主大会临时会议已达 20%")
CALL_BODY = gettext_lazy("本小区已有 %(n)s 位业主（共 %(heads)s 位）提议召开业主大会临时会议，达到业主总人数的 20%%，"
                         "业主委员会应当组织召开（《上海市住宅物业管理规定》）。")


def _committee_recipients(community) -> list:
    staff = list(Membership.objects.filter(community=community, role=Role.COMMITTEE_STAFF, user__is_active=True)
                 .select_related("user").order_by("user_id"))
    users = {m.user_id: m.user for m in staff}
    team_ids = CommitteeTerm.objects.filter(community=community, ended_on__isnull=True).values_list("team_id", flat=True)
    for bb in Backbone.objects.filter(team_id__in=team_ids, term_end__isnull=True).select_related("user"):
        users.setdefault(bb.user_id, bb.user)
    return list(users.values())


def assembly_request_add(*, actor, community, matter: str, now=None) -> tuple[AssemblyRequest, bool]:
    """An owner asks for an extraordinary assembly. Their group's open request is returned unchanged if there is
    one. When the open requests reach 20 % of the estate's owners, the committee is notified once."""
    now = now or timezone.now()
    matter = (matter or "").strip()[:300]
    if not matter:
        raise DomainError(_("请写明提议临时会议讨论的事项。"), code="matter")
    person_id = policy.person_id_of(actor)
    with transaction.atomic():
        # One at a time per estate: the count toward 20 % and the one notification depend on it.
        Community.objects.select_for_update().filter(pk=community.pk).first()
        groups, heads = estate_owner_groups(community)
        key = groups.get(person_id)
        if key is None:
            raise DomainError(_("只有本小区的业主可以提议召开业主大会临时会议。"), code="not_owner")
        existing = AssemblyRequest.objects.filter(community=community, group_key=key, answered_by=None).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                row = AssemblyRequest.objects.create(community=community, requester=actor, group_key=key,
                                                     matter=matter, created_at=now)
        except IntegrityError:
            return AssemblyRequest.objects.get(community=community, group_key=key, answered_by=None), False
        count = AssemblyRequest.objects.filter(community=community, answered_by=None).count()
        if heads and count >= request_threshold(heads) and \
                not AssemblyCallDue.objects.filter(community=community, answered_by=None).exists():
            AssemblyCallDue.objects.create(community=community, reached_at=now, requests=count, roll_heads=heads)
            url = reverse("talents:owners_assembly_requests") + f"?community={community.slug}"
            for user in _committee_recipients(community):
                notify(recipient=user, title=CALL_TITLE, body=deferred(CALL_BODY, n=count, heads=heads), url=url)
    return row, True
