from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Membership, Person, RegistrationRequest, Residency, Role, Unit, normalize_phone
from ..selectors.places import users_with_role
from .audit import audit
from .errors import DomainError
from .notifications import notify
from .texts import deferred


def registration_submit(*, user, unit: Unit, name: str, phone: str, relation: str, moved_in) -> RegistrationRequest:
    """A resident claims a unit; committee staff of that community are told."""
    phone = normalize_phone(phone)
    with transaction.atomic():
        if RegistrationRequest.objects.filter(user=user, status=RegistrationRequest.Status.PENDING).exists():
            raise DomainError(_("您已有一份待审核的申请，请等待居委审核。"), code="duplicate")
        try:
            with transaction.atomic():
                request = RegistrationRequest.objects.create(
                    user=user, unit=unit, name=name.strip(), phone=phone, relation=relation, moved_in=moved_in
                )
        except IntegrityError:
            raise DomainError(_("您已有一份待审核的申请，请等待居委审核。"), code="duplicate") from None
        community = unit.building.community
        for staff in users_with_role(community_id=community.pk):
            notify(
                recipient=staff,
                title=deferred(gettext_lazy("新的居民注册申请：%(name)s，%(unit)s"), name=request.name, unit=str(unit)),
                url=reverse("communities:registration_decide", args=[request.pk]),
            )
    return request


def _locked_pending(request_id: int) -> RegistrationRequest:
    request = (
        RegistrationRequest.objects.select_for_update()
        .select_related("unit__building__community", "user")
        .get(pk=request_id)
    )
    return request


def registration_approve(*, actor, request_id: int) -> tuple[RegistrationRequest, bool]:
    """Approve: the user becomes a resident (or tenant) of the unit. Returns (request, changed)."""
    with transaction.atomic():
        request = _locked_pending(request_id)
        policy.require(actor, "registration.review", request)
        if request.status == RegistrationRequest.Status.APPROVED:
            return request, False
        if request.status != RegistrationRequest.Status.PENDING:
            raise DomainError(_("该申请已处理，不能再批准。"), code="state")
        person = _person_for(request)
        Residency.objects.get_or_create(
            person=person, unit=request.unit, moved_out__isnull=True,
            defaults={"relation": request.relation, "moved_in": request.moved_in},
        )
        role = Role.TENANT if request.relation == RegistrationRequest.Relation.TENANT else Role.RESIDENT
        Membership.objects.get_or_create(user=request.user, community=request.unit.building.community, role=role)
        request.status = RegistrationRequest.Status.APPROVED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor=actor, action="registration.approve", community=request.unit.building.community,
              request=request.pk, unit=request.unit_id)
        notify(recipient=request.user, title=gettext_lazy("您的注册申请已通过"),
               body=deferred(gettext_lazy("您已登记为 %(unit)s 的居民，现在可以使用社区服务。"),
                             unit=str(request.unit)),
               url=reverse("home"))
    return request, True


def registration_reject(*, actor, request_id: int, reason: str) -> tuple[RegistrationRequest, bool]:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写不通过的原因，申请人会看到它。"), code="reason")
    with transaction.atomic():
        request = _locked_pending(request_id)
        policy.require(actor, "registration.review", request)
        if request.status == RegistrationRequest.Status.REJECTED:
            return request, False
        if request.status != RegistrationRequest.Status.PENDING:
            raise DomainError(_("该申请已处理，不能再驳回。"), code="state")
        request.status = RegistrationRequest.Status.REJECTED
        request.reason = reason
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit(actor=actor, action="registration.reject", community=request.unit.building.community,
              request=request.pk, reason=reason)
        notify(recipient=request.user, title=gettext_lazy("您的注册申请未通过"),
               body=deferred(gettext_lazy("原因：%(reason)s。您可以修改后重新申请。"), reason=reason),
               url=reverse("accounts:registration_status"))
    return request, True


def _person_for(request: RegistrationRequest) -> Person:
    """The user's person record: reuse theirs, or the one already registered with this phone."""
    user = request.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.filter(phone=request.phone).first()
        if person is not None and person.user_id not in (None, user.pk):
            raise DomainError(_("该手机号已属于另一个账号，请核实后再处理。"), code="phone_taken")
    if person is None:
        person = Person.objects.create(name=request.name, phone=request.phone, user=user)
    elif person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
    return person
