"""The 郡园 hub's cards (``talents.hub.HUB_AREAS``): what each area shows a user on /talents/. Reads only; each
card asks the policy what the user may open and runs a fixed number of queries however many classes, services,
squads or entries there are (the hub's count is asserted at 1 and 50 in tests/talents/test_hub.py)."""
from django.db.models import Count, F, Q
from django.utils import timezone

from communities import policy
from communities.models import Rota
from communities.selectors import hours as hours_sel

from ..models import HOLDING, Enrolment, Guardianship, ServiceBooking, ServiceSlot, SquadProposal, StudioService
from .appointments import AHEAD
from .squads import squads_visible

S = Enrolment.Status


def classes_card(*, request, community) -> dict:
    """达人课堂: the classes, my classes (with the offers waiting for my answer) and my children (2 queries)."""
    user = request.user
    if not policy.can(user, "talents.class.view", community):
        return {}
    can_enrol = policy.can(user, "talents.class.enrol", community)
    mine = {}
    if can_enrol:
        mine = Enrolment.objects.filter(account=user, talent_class__studio__team__community=community).aggregate(
            offered=Count("pk", filter=Q(status=S.OFFERED)), enrolled=Count("pk", filter=Q(status=S.ENROLLED)),
            waiting=Count("pk", filter=Q(status__in=(S.WAITING, S.REQUESTED))))
    can_children = policy.can(user, "talents.child.manage", community)
    children = Guardianship.objects.filter(guardian=user).count() if can_children else 0
    return {"can_view": True, "can_enrol": can_enrol, "can_children": can_children, "children": children, **mine}


def services_card(*, request, community, now=None) -> dict:
    """预约服务: the community's open services, each with its next slot that still has a place, and how many
    appointments of mine are coming (3 queries)."""
    user, now = request.user, now or timezone.now()
    if not policy.can(user, "talents.service.view", community):
        return {}
    services = list(policy.scope(user, "talents.service.view", StudioService.objects.filter(
        studio__team__community=community, active=True)).select_related("studio__team")
        .order_by("studio__team__name", "title"))
    free = (ServiceSlot.objects.filter(service__in=[s.pk for s in services], starts_at__gt=now,
                                       starts_at__lte=now + AHEAD)
            .annotate(taken=Count("bookings", filter=Q(bookings__status__in=HOLDING)))
            .filter(taken__lt=F("capacity")).order_by("starts_at", "pk")) if services else []
    next_free: dict[int, ServiceSlot] = {}
    for slot in free:
        next_free.setdefault(slot.service_id, slot)
    for service in services:
        service.next_free = next_free.get(service.pk)
    can_book = policy.can(user, "talents.service.book", community)
    coming = ServiceBooking.objects.filter(
        user=user, status__in=HOLDING, slot__ends_at__gt=now,
        slot__service__studio__team__community=community).count() if can_book else 0
    return {"services": services, "can_book": can_book, "coming": coming}


def squads_card(*, request, community) -> dict:
    """治理小分队: the squads the user may open (all for leaders, their own for others), proposing one, and for
    staff the proposals waiting for consent (2 queries). Empty, so hidden, for a member with nothing there: the
    rule lets them see their own squads only."""
    user = request.user
    if not policy.roles_in(user, community) and not policy.is_town(user):
        return {}
    squads = list(squads_visible(user=user, community=community))
    can_approve = policy.can(user, "talents.squad.approve", community)
    can_propose = policy.can(user, "talents.squad.propose", community)
    if not (squads or can_approve or can_propose):
        return {}
    waiting = SquadProposal.objects.filter(community=community, status=SquadProposal.Status.PROPOSED).count() \
        if can_approve else 0
    return {"squads": squads, "can_approve": can_approve, "can_propose": can_propose, "waiting": waiting}


def rotas_card(*, request, community) -> dict:
    """宝妈轮流: the community's volunteer-teaching rotas (the mothers' reading and homework help, on the core rota
    engine) the user may open — staff and the Party secretary all, a mother or the rota's manager their own
    (1 query). Empty, so hidden, for everyone else."""
    rotas = list(policy.scope(request.user, "rota.view", Rota.objects.filter(
        community=community, kind=Rota.Kind.TEACHING)).order_by("name"))
    return {"rotas": rotas} if rotas else {}


def hours_card(*, request, community) -> dict:
    """我的志愿时长: the total of my 平台记录 and the way to the record and the notice board (1 query)."""
    user = request.user
    if not policy.can(user, "hours.view_own", community):
        return {}
    return {"total_hours": round(hours_sel.total_minutes(user=user) / 60, 1),
            "can_notice": policy.can(user, "hours.notice", community)}


def staff_links(*, user, community) -> dict:
    """Which management pages the hub's 居委管理 card links to (no query: the policy's facts are loaded)."""
    return {name: policy.can(user, action, community) for name, action in (
        ("create", "talents.studio.create"), ("qualify", "talents.qualification.manage"),
        ("merchants", "talents.merchant.manage"), ("rooms", "room.manage"), ("hours", "hours.manage"),
        ("squads", "talents.squad.approve"), ("teams", "hours.report"))}

