"""Demo data for services by appointment (预约服务) in 郡园: the photographer's free ID photos (免费证件照) with slots
this week and next and a couple of bookings, one confirmed; the 针灸 studio's 中医养生咨询, which needs a recorded
qualification before it may open slots (talents.selectors.studios.may_offer), so it has none here.

Through the real services. Idempotent: studios are found by slug (the studios helper's slugs) and created only if
missing, slots already open are kept, a booking is made once."""
import datetime as dt

from django.utils import timezone

from communities.models import Backbone, Community, CommunityApp, Team, User
from communities.services.teams import backbone_appoint, team_member_join

from ..models import HOLDING, ServiceBooking, Studio, StudioService
from ..services.appointments import booking_confirm, booking_make, service_save, slots_open

PHOTO_DAYS = (1, 5)  # Tuesday and Saturday mornings
BOOKERS = ("mum1", "mum2")


def studio_ensure(*, community, slug: str, name: str, kind: str, host, staff) -> Studio:
    """The studio by its slug, or a new one on a new core team (kind studio) with ``host`` as its 主理人."""
    studio = Studio.objects.filter(slug=slug).select_related("team").first()
    if studio is not None:
        return studio
    team, _ = Team.objects.get_or_create(community=community, name=name, defaults={"kind": Team.Kind.STUDIO})
    team_member_join(team=team, user=host)
    if not Backbone.objects.filter(team=team, user=host, term_end__isnull=True).exists():
        backbone_appoint(actor=staff, team=team, user=host, office=Backbone.Office.STUDIO_HOST,
                         term_start=timezone.localdate())
    return Studio.objects.create(team=team, slug=slug, talent_kind=kind)


def _host(studio: Studio):
    row = (Backbone.objects.filter(team_id=studio.team_id, term_end__isnull=True, office=Backbone.Office.STUDIO_HOST)
           .select_related("user").order_by("term_start", "pk").first())
    return row.user if row else None


def _service(*, studio, host, title, **fields) -> StudioService:
    return (StudioService.objects.filter(studio=studio, title=title).first()
            or service_save(actor=host, studio=studio, title=title, **fields))


def demo_services_seed(now=None) -> dict:
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    talent, staff = User.objects.filter(username="talent").first(), User.objects.filter(username="staff_junyuan").first()
    if community is None or talent is None or staff is None:
        return {}
    CommunityApp.objects.get_or_create(community=community, app_label="talents")
    photo = studio_ensure(community=community, slug="sheying", name="摄影工作室", kind=Studio.TalentKind.PHOTOGRAPHY,
                          host=talent, staff=staff)
    studio_ensure(community=community, slug="zhenjiu", name="针灸工作室", kind=Studio.TalentKind.ACUPUNCTURE,
                  host=talent, staff=staff)
    zhenjiu = Studio.objects.get(slug="zhenjiu")
    host = _host(photo) or talent
    ids = _service(studio=photo, host=host, title="免费证件照", duration_minutes=15, place="党群服务中心 摄影工作室",
                   description="一寸、二寸证件照，现场拍摄，当天把电子版发到微信。志愿服务，不收费。")
    _service(studio=zhenjiu, host=_host(zhenjiu) or talent, title="中医养生咨询", duration_minutes=20,
             place="党群服务中心 针灸工作室", needs_qualification=StudioService.Qualification.CONSULTATION,
             description="由登记了执业资格的主理人提供一对一养生咨询。")
    today = timezone.localdate(now)
    slots = 0
    for offset in range(1, 15):  # this week and next, from tomorrow
        day = today + dt.timedelta(days=offset)
        if day.weekday() in PHOTO_DAYS:
            slots += len(slots_open(actor=host, service=ids, day=day, first=dt.time(9), count=8, gap_minutes=5,
                                    now=now))
    bookings = 0
    first_slots = list(ids.slots.filter(starts_at__gt=now).order_by("starts_at")[:len(BOOKERS)])
    for slot, username in zip(first_slots, BOOKERS):
        user = User.objects.filter(username=username).first()
        if user is None or ServiceBooking.objects.filter(user=user, slot__service=ids, status__in=HOLDING).exists():
            continue
        outcome = booking_make(actor=user, slot_id=slot.pk, note="一寸照，办社保卡用", now=now)
        bookings += outcome.changed
        if username == BOOKERS[0]:
            booking_confirm(actor=host, booking_id=outcome.booking.pk, now=now)
    return {"slots": slots, "bookings": bookings}
