"""代登记 and one-time invitation slips.

Committee staff register a resident on their behalf (``resident_register_on_behalf``: an account whose login is
the mobile number, the person, the residency and the membership, as an approved registration gives) and print a
slip whose QR code opens ``/invite/<token>/``; there the resident sets a password (``invitation_accept``) and the
slip is used. Only the token's hash is stored; issuing a new slip voids the open one."""
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import Invitation, Membership, Person, Residency, Role, Unit, User, normalize_phone
from ..models.invitations import VALID_DAYS, token_hash
from ..selectors.signin import user_for_phone
from .audit import audit
from .errors import DomainError


def resident_register_on_behalf(*, actor, unit: Unit, name: str, phone: str, tenant: bool = False,
                                now=None) -> tuple[User, Invitation, str]:
    """Register ``name`` in ``unit`` for them; returns (user, invitation, token). The token is shown once."""
    community = unit.building.community
    if not policy.can(actor, "resident.register_on_behalf", community):
        raise PermissionDenied
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("请填写居民姓名。"), code="name")
    phone = normalize_phone(phone)
    if len(phone) != 11 or not phone.startswith("1"):
        raise DomainError(_("请填写 11 位手机号码。"), code="phone")
    with transaction.atomic():
        if User.objects.filter(username=phone).exists() or user_for_phone(phone=phone) is not None:
            raise DomainError(_("这个手机号已经有账号了：请居民直接登录，忘记密码可用短信验证码重设。"),
                              code="has_account")
        holder = Person.objects.select_for_update().filter(phone=phone).first()
        if holder is not None and (holder.user_id is not None or not holder.residencies.filter(
                unit__building__community=community, moved_out__isnull=True).exists()):
            # Never say whose number it is: the person may live in another community.
            raise DomainError(_("这个手机号已登记在别人名下，不能代登记；请核对号码。"), code="phone_taken")
        user = User(username=phone)
        user.set_unusable_password()
        user.save()
        if holder is not None:
            holder.user = user
            holder.save(update_fields=["user"])
            person = holder
        else:
            person = Person.objects.create(name=name, phone=phone, user=user)
        relation = Residency.Relation.TENANT if tenant else Residency.Relation.OWNER
        Residency.objects.get_or_create(person=person, unit=unit, moved_out__isnull=True,
                                        defaults={"relation": relation,
                                                  "moved_in": timezone.localdate(now or timezone.now())})
        Membership.objects.get_or_create(user=user, community=community,
                                         role=Role.TENANT if tenant else Role.RESIDENT)
        audit(actor=actor, action="resident.register_on_behalf", community=community, user=user.pk,
              person=person.pk, unit=unit.pk)
        invitation, token = invitation_issue(actor=actor, user=user, community=community, now=now)
    return user, invitation, token


def invitation_issue(*, actor, user, community, now=None) -> tuple[Invitation, str]:
    """A new slip for ``user``; any open slip of theirs is void from now on."""
    if not policy.can(actor, "resident.register_on_behalf", community):
        raise PermissionDenied
    if not Membership.objects.filter(user=user, community=community).exists():
        raise PermissionDenied
    now = now or timezone.now()
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # two re-issues at once: one after the other
        voided = Invitation.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
            voided_at=now)
        invitation = Invitation.objects.create(community=community, user=user, created_by=actor,
                                               token_hash=token_hash(token), created_at=now,
                                               expires_at=now + timedelta(days=VALID_DAYS))
        audit(actor=actor, action="invitation.issue", community=community, user=user.pk,
              invitation=invitation.pk, voided=voided)
    return invitation, token


def invitation_accept(*, token: str, password: str, now=None) -> User:
    """The resident sets a password with the slip's token; the slip is used (a second try is refused)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update().select_related("user")
                      .filter(token_hash=token_hash(token)).first())
        if invitation is None or invitation.state(now) != "open":
            raise DomainError(_("这张邀请单已经用过、作废或过期了，请联系居委会重新打印。"), code="state")
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        audit(actor=user, action="invitation.accept", community=invitation.community, invitation=invitation.pk)
    return user
