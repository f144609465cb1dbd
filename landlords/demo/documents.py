"""Demo data for the charter and the covenant of 蓉庭: the charter v1 adopted last year, the covenant
v1 adopted last year and a v2 draft waiting for committee staff, and acknowledgements from most
sublandlords and a realistic share of the 2,838 tenants (some on paper). Idempotent: run again, it adds
only what is missing. Assumes the core demo (``seed_demo``) has run."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import Community, DocumentAcknowledgement, DocumentVersion, Person, User

from ..documents import DocumentKind
from ..selectors.documents import active_tenancies, team_members
from .texts_documents import CHARTER_TITLE, CHARTER_V1, COVENANT_TITLE, COVENANT_V1, COVENANT_V2

Ack = DocumentAcknowledgement
Status = DocumentVersion.Status


def _version(*, community, kind, number, title, body, drafted_by, approved_by=None, adopted_on=None) -> tuple:
    defaults = {"title": title, "body": body, "drafted_by": drafted_by, "status": Status.DRAFT,
                "drafted_at": timezone.now() - dt.timedelta(days=9)}  # a draft discussed at the last check-in
    if adopted_on is not None:
        drafted_at = timezone.make_aware(dt.datetime.combine(adopted_on - dt.timedelta(days=20), dt.time(10)))
        defaults.update(status=Status.ADOPTED, adopted_on=adopted_on, approved_by=approved_by,
                        drafted_at=drafted_at, approved_at=drafted_at + dt.timedelta(days=20))
    return DocumentVersion.objects.get_or_create(community=community, kind=kind, number=number, defaults=defaults)


def _day_after(start: dt.date, serial: int, span: int) -> dt.date:
    """A signing day spread over ``span`` days after ``start`` (never after today)."""
    return min(start + dt.timedelta(days=serial * 7 % span), timezone.localdate())


def _charter_acks(version) -> list[Ack]:
    """Seven members in eight have acknowledged (the `landlord` login among them)."""
    members = list(team_members(community=version.community).order_by("id").values_list("id", "user_id"))
    return [Ack(version=version, person_id=pid, method=Ack.Method.APP, recorded_by_id=uid,
                signed_on=_day_after(version.adopted_on, i, 60))
            for i, (pid, uid) in enumerate(members) if i % 8 != 7]


def _covenant_acks(version, keep_open: set[int]) -> list[Ack]:
    """About 45 % of tenants acknowledged in the app, 25 % signed on paper (recorded by their
    sublandlord), 30 % not yet; the demo `tenant` login has not, so the button shows."""
    rows = (active_tenancies(community=version.community).order_by("person_id")
            .values_list("person_id", "unit__sublandlord__user_id").distinct())
    acks, seen = [], set()
    for i, (pid, landlord_user_id) in enumerate(rows):
        if pid in seen or pid in keep_open:
            continue
        seen.add(pid)
        share = i % 20
        day = _day_after(version.adopted_on, i, 90)
        if share < 9:
            acks.append(Ack(version=version, person_id=pid, method=Ack.Method.APP, signed_on=day, recorded_by=None))
        elif share < 14:
            acks.append(Ack(version=version, person_id=pid, method=Ack.Method.PAPER, signed_on=day,
                            recorded_by_id=landlord_user_id))
    return acks


def demo_documents_seed() -> dict:
    community = Community.objects.get(slug="rongting")
    staff = User.objects.get(username="staff")
    landlord = User.objects.get(username="landlord")
    last_year = timezone.localdate().year - 1
    report = {"versions_created": 0, "acknowledgements_created": 0}
    with transaction.atomic():
        charter, c1 = _version(community=community, kind=DocumentKind.CHARTER, number=1, title=CHARTER_TITLE,
                               body=CHARTER_V1, drafted_by=staff, approved_by=staff,
                               adopted_on=dt.date(last_year, 3, 18))
        covenant, c2 = _version(community=community, kind=DocumentKind.COVENANT, number=1, title=COVENANT_TITLE,
                                body=COVENANT_V1, drafted_by=landlord, approved_by=staff,
                                adopted_on=dt.date(last_year, 5, 6))
        _, c3 = _version(community=community, kind=DocumentKind.COVENANT, number=2,
                         title=f"{COVENANT_TITLE}（修订稿）", body=COVENANT_V2, drafted_by=landlord)
        report["versions_created"] = c1 + c2 + c3
        keep_open = set(Person.objects.filter(user__username="tenant").values_list("id", flat=True))
        acks = _charter_acks(charter) + _covenant_acks(covenant, keep_open)
        before = Ack.objects.filter(version__in=[charter, covenant]).count()
        Ack.objects.bulk_create(acks, batch_size=1000, ignore_conflicts=True)
        report["acknowledgements_created"] = Ack.objects.filter(version__in=[charter, covenant]).count() - before
    return report
