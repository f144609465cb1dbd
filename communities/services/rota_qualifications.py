"""Qualifications (资质): staff name them for their community; staff and rota managers grant and revoke them.

A grant or a revocation changes who may be put on the rotas that require the qualification, so those rotas
of the member redo their untouched future shifts (as leave does, communities.services.rotas.leave_record).
Who may grant which qualification is the policy's answer (communities.policy.qualifications_grantable);
these services check what the domain allows.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import MemberQualification, Membership, Qualification
from .audit import audit
from .errors import DomainError
from .rota_generation import rota_regenerate
from .rotas import member_rotas, rotas_lock_with_members


def _lock_rotas_requiring(*, qualification: Qualification, user) -> list:
    """The member's rotas that require the qualification, locked with their members before anything changes."""
    return rotas_lock_with_members(rotas=member_rotas(user=user).filter(required_qualification=qualification),
                                   user=user)


def qualification_create(*, actor, community, name: str) -> tuple[Qualification, bool]:
    name = " ".join(name.split())
    if not name:
        raise DomainError(gettext_lazy("请填写资质名称。"), code="empty")
    with transaction.atomic():
        qualification, created = Qualification.objects.get_or_create(community=community, name=name)
        if created:
            audit(actor=actor, action="rota.qualification_create", community=community,
                  qualification=qualification.pk)
    return qualification, created


def qualification_grant(*, actor, qualification: Qualification, user, expires_on: dt.date | None,
                        now=None) -> tuple[MemberQualification, bool]:
    """Give ``user`` the qualification valid through ``expires_on`` (None: no expiry), or change its expiry."""
    now = now or timezone.now()
    if expires_on is not None and expires_on < timezone.localtime(now).date():
        raise DomainError(gettext_lazy("有效期不能早于今天。"), code="expired")
    if not Membership.objects.filter(community_id=qualification.community_id, user=user).exists():
        raise DomainError(gettext_lazy("此人不属于本社区，不能授予资质。"), code="stranger")
    with transaction.atomic():
        rotas = _lock_rotas_requiring(qualification=qualification, user=user)
        held = MemberQualification.objects.filter(user=user, qualification=qualification).first()
        if held is not None and held.expires_on == expires_on:
            return held, False
        if held is None:
            held = MemberQualification.objects.create(user=user, qualification=qualification, expires_on=expires_on)
        else:
            held.expires_on = expires_on
            held.save(update_fields=["expires_on"])
        audit(actor=actor, action="rota.qualification_grant", community=qualification.community,
              qualification=qualification.pk, user=user.pk,
              expires_on=expires_on.isoformat() if expires_on else None)
        for rota in rotas:
            rota_regenerate(rota=rota, now=now)
    return held, True


def qualification_revoke(*, actor, held_id: int, now=None) -> bool:
    """Take a qualification away; repeating it (the row already gone) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        held = MemberQualification.objects.select_related("qualification__community", "user").filter(
            pk=held_id).first()
        if held is None:
            return False
        qualification, user = held.qualification, held.user
        rotas = _lock_rotas_requiring(qualification=qualification, user=user)
        deleted, _ = MemberQualification.objects.filter(pk=held_id).delete()
        if not deleted:
            return False
        audit(actor=actor, action="rota.qualification_revoke", community=qualification.community,
              qualification=qualification.pk, user=user.pk)
        for rota in rotas:
            rota_regenerate(rota=rota, now=now)
    return True
