"""Partner merchants: staff record them; the classes record the referrals (class → merchant). Nothing is sold
through the app, so there is no price, order or payment here."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import User, normalize_phone
from communities.services.audit import audit
from communities.services.errors import DomainError

from ..models import Merchant, MerchantReferral

FIELDS = ("name", "address", "contact_name", "phone", "offers", "active")


def merchant_save(*, actor: User, community, merchant: Merchant | None = None, **fields) -> tuple[Merchant, bool]:
    """Committee staff add a partner merchant or change one; (merchant, changed)."""
    target = merchant.community if merchant is not None else community
    if not policy.can(actor, "talents.merchant.manage", target):
        raise PermissionDenied
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"merchant_save: unknown fields {sorted(unknown)}")
    if fields.get("phone"):
        fields["phone"] = normalize_phone(fields["phone"])
    try:
        with transaction.atomic():
            if merchant is None:
                row = Merchant.objects.create(community=community, **fields)
                audit(actor=actor, action="talents.merchant_create", community=community, merchant=row.pk)
                return row, True
            row = Merchant.objects.select_for_update().get(pk=merchant.pk)
            changed = [name for name, value in fields.items() if getattr(row, name) != value]
            if not changed:
                return row, False
            for name in changed:
                setattr(row, name, fields[name])
            row.save(update_fields=changed)
            audit(actor=actor, action="talents.merchant_update", community=row.community, merchant=row.pk,
                  fields=changed)
            return row, True
    except IntegrityError:
        raise DomainError(_("本社区已有同名的合作商户。"), code="name") from None


def merchant_referral_record(*, merchant: Merchant, source_kind: str, source_id: int, user: User | None = None,
                             at: dt.datetime | None = None) -> tuple[MerchantReferral, bool]:
    """Count that ``source_kind``/``source_id`` (a trial class, a session …) sent someone to ``merchant``.
    The caller has checked its own access. A person counts once per source and merchant: a repeat returns
    (the row, False). Without ``user`` every call counts."""
    source_kind = source_kind.strip()
    if not source_kind or len(source_kind) > 30:
        raise ValueError("merchant_referral_record: source_kind is 1-30 characters")
    at = at or timezone.now()
    if user is None:
        return MerchantReferral.objects.create(merchant=merchant, source_kind=source_kind, source_id=source_id,
                                               created_at=at), True
    with transaction.atomic():
        return MerchantReferral.objects.get_or_create(merchant=merchant, source_kind=source_kind,
                                                      source_id=source_id, user=user, defaults={"created_at": at})
