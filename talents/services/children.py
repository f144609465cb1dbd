"""我的孩子: a guardian registers a child (a Person without a login) with the minimum a class needs: name, birth
year and month (for the age rule), relation, pick-up contact. Children under 14 are sensitive personal
information: collected with the guardian's consent, the minimum only (PIPL arts. 28–31)."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Person, normalize_phone
from communities.services.errors import DomainError

from ..models import ChildProfile, Guardianship


def child_add(*, guardian, community, name: str, birth_year: int, birth_month: int, relation: str,
              pickup_phone: str, consent: bool, now: dt.datetime | None = None) -> Guardianship:
    now = now or timezone.now()
    name = (name or "").strip()
    if not consent:
        raise DomainError(_("请先勾选监护人同意：孩子的信息属于敏感个人信息，须由监护人同意后登记。"), code="consent")
    if not name:
        raise DomainError(_("请填写孩子的名字。"), code="name")
    today = timezone.localtime(now).date()
    if not (1 <= birth_month <= 12) or (birth_year, birth_month) > (today.year, today.month) \
            or birth_year < today.year - 18:
        raise DomainError(_("出生年月不对：孩子须未满 18 岁。"), code="birth")
    try:
        phone = normalize_phone(pickup_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from None
    if not phone:
        raise DomainError(_("请填写接送联系电话。"), code="phone")
    with transaction.atomic():
        child = Person.objects.create(name=name, created_at=now)  # no phone, no login: a child's record
        ChildProfile.objects.create(person=child, birth_year=birth_year, birth_month=birth_month, created_by=guardian)
        link = Guardianship.objects.create(guardian=guardian, child=child, community=community, relation=relation,
                                           pickup_phone=phone, created_at=now)
        AuditEvent.objects.create(actor=guardian, community_id=community.pk, action="talents.child.add",
                                  detail={"child": child.pk})
    return link


def my_children(*, guardian, community=None):
    qs = Guardianship.objects.filter(guardian=guardian).select_related("child__child_profile", "community")
    if community is not None:
        qs = qs.filter(community=community)
    return qs.order_by("created_at", "pk")
