"""蓉庭's side of the door (``communities.extensions``): its case origins and its panels on core pages.

Registered from ``LandlordsConfig.ready``. Each function here is called by the core only where this app serves
the community (``CommunityApp``), and must check access itself."""
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import extensions, policy
from communities.extensions import OriginLink, Panel
from communities.models import Rota, Unit

from .models.mediation import MediationRecord

MEDIATION_RECORD_ORIGIN = "landlords.mediation_record"
RENTAL_FLAG_ORIGIN = "landlords.rental_flag"  # object id: the over-capacity let unit


def mediation_record_origin(*, user, object_id: int) -> OriginLink | None:
    """A case turned in from the mediation room links its record (for those who may read the record)."""
    record = MediationRecord.objects.select_related("shift__rota").filter(pk=object_id).first()
    if record is None:
        return None
    label = _("调解室记录：%(parties)s（%(date)s）") % {
        "parties": record.parties, "date": f"{record.shift.starts_at:%Y-%m-%d}"}
    may = policy.can(user, "landlords.mediation.view", record)
    return OriginLink(label, reverse("landlords:mediation_record_detail", args=[record.pk]) if may else "")


def rental_flag_origin(*, user, object_id: int) -> OriginLink | None:
    """A case opened from an over-capacity flag links the unit's rental page (its sublandlord) or the flag
    list (committee staff)."""
    unit = Unit.objects.select_related("building__community").filter(pk=object_id).first()
    if unit is None:
        return None
    label = _("超员房屋提示（疑似群租/隔断）：%(unit)s") % {"unit": f"{unit.building.name} {unit.room}"}
    if policy.can(user, "landlords.rental.manage", unit):
        url = reverse("landlords:rental_unit_detail", args=[unit.pk])
    elif policy.can(user, "landlords.tenant_registration.list", unit.building.community):
        url = f"{reverse('landlords:rental_flag_list')}?community={unit.building.community.slug}"
    else:
        url = ""
    return OriginLink(label, url)


def home_panel(request, obj) -> Panel | None:
    """The 蓉治社 card on the home page (it was a tile of the menu entry): the hub, with the unread badge."""
    from .navigation import hub_entry

    entry = hub_entry(request.user)
    return Panel("landlords/panels/home_hub.html", {"entry": entry}) if entry else None


def building_news_panel(request, obj) -> Panel | None:
    """楼组公告 on the home page: the newest announcements of the buildings the user lives in or lets."""
    from .selectors.channels import building_announcements_latest

    if not extensions.served_community_ids("landlords", user=request.user) & set(policy.memberships(request.user)):
        return None
    latest = building_announcements_latest(user=request.user)
    return Panel("landlords/panels/home_building_news.html", {"announcements": latest}) if latest else None


def covenant_prompt_panel(request, obj) -> Panel | None:
    """A tenant bound by the community's current 《租户公约》 who has not acknowledged it is asked to read it."""
    from communities.selectors.documents import document_current, my_standing, person_of
    from communities.services.documents import document_may_acknowledge

    from .documents import DocumentKind

    person = person_of(request.user)
    if person is None:
        return None
    served = extensions.served_community_ids("landlords", user=request.user)
    for community in policy.communities_for(request.user, "landlords.covenant.acknowledge").filter(pk__in=served):
        if not document_may_acknowledge(person=person, community=community, kind=DocumentKind.COVENANT):
            continue
        version = document_current(community=community, kind=DocumentKind.COVENANT)
        if version is not None and my_standing(person=person, version=version).current is None:
            url = f"{reverse('landlords:document_current', args=[DocumentKind.COVENANT])}?community={community.slug}"
            return Panel("landlords/panels/home_covenant.html", {"version": version, "url": url})
    return None


def shift_panel(request, shift) -> Panel | None:
    """On a mediation-room duty shift: record a dispute, for the landlord on duty and staff."""
    if shift.rota.kind != Rota.Kind.MEDIATION_ROOM:
        return None
    if not policy.can(request.user, "landlords.mediation.record", shift):
        return None
    return Panel("landlords/panels/shift_mediation.html", {"shift": shift})


def register() -> None:
    extensions.register_case_origin(MEDIATION_RECORD_ORIGIN, mediation_record_origin)
    extensions.register_case_origin(RENTAL_FLAG_ORIGIN, rental_flag_origin)
    extensions.register_panel("home", covenant_prompt_panel)
    extensions.register_panel("home", home_panel)
    extensions.register_panel("home", building_news_panel)
    extensions.register_panel("shift", shift_panel)
