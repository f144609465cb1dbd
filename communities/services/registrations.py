from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Membership, Notification, Person, RegistrationRequest, Residency, Role, Unit, User, normalize_phone
from ..selectors.places import users_with_role
from ..selectors.registrations import registration_matches
from ..selectors.signin import user_for_phone
from .audit import audit
from .errors import DomainError
from .notifications import notify
from .texts import deferred


PENDING_PER_PHONE, REQUESTS_PER_PHONE_DAY, REQUESTS_PER_IP_HOUR = 1, 3, 5


def _check_registration_limits(*, phone: str, ip: str | None, now) -> None:
    requests = RegistrationRequest.objects.all()
    if requests.filter(phone=phone, status=RegistrationRequest.Status.PENDING).count() >= PENDING_PER_PHONE:
        raise DomainError(_("这个手机号已有一份待审核的申请，请等待居委审核。"), code="duplicate")
    if requests.filter(phone=phone, created_at__gt=now - timedelta(days=1)).count() >= REQUESTS_PER_PHONE_DAY:
        raise DomainError(_("这个手机号今天已提交过 3 次申请，请明天再试，或联系居委会。"), code="phone_day")
    if ip and requests.filter(ip=ip, created_at__gt=now - timedelta(hours=1)).count() >= REQUESTS_PER_IP_HOUR:
        raise DomainError(_("提交太频繁，请 1 小时后再试。"), code="ip_hour")


def _tell_committee(community) -> None:
    """One unread notice per staff member for the whole queue: a tenth request does not add a tenth notice."""
    queue = reverse("communities:registration_queue")
    for staff in users_with_role(community_id=community.pk):
        if Notification.objects.filter(recipient=staff, url=queue, read_at__isnull=True).exists():
            continue
        notify(recipient=staff, title=deferred(gettext_lazy("有新的居民注册申请待审核（%(community)s）"),
                                               community=community.name),
               url=queue)


def registration_submit(*, user, unit: Unit, name: str, phone: str, relation: str, moved_in,
                        phone_verified_at=None, ip: str | None = None, now=None) -> RegistrationRequest:
    """A resident claims a unit; committee staff of that community are told (once per unread queue)."""
    phone = normalize_phone(phone)
    now = now or timezone.now()
    with transaction.atomic():
        if RegistrationRequest.objects.filter(user=user, status=RegistrationRequest.Status.PENDING).exists():
            raise DomainError(_("您已有一份待审核的申请，请等待居委审核。"), code="duplicate")
        _check_registration_limits(phone=phone, ip=ip, now=now)
        try:
            with transaction.atomic():
                request = RegistrationRequest.objects.create(
                    user=user, unit=unit, name=name.strip(), phone=phone, relation=relation, moved_in=moved_in,
                    phone_verified_at=phone_verified_at, ip=ip or None, created_at=now,
                )
        except IntegrityError:
            raise DomainError(_("您已有一份待审核的申请，请等待居委审核。"), code="duplicate") from None
        _tell_committee(unit.building.community)
    return request


def registration_signup(*, phone: str, password: str, unit: Unit, name: str, relation: str, moved_in,
                        phone_verified_at, ip: str | None = None, now=None):
    """A newcomer whose phone was just verified by SMS: an account whose login is that phone, and the claim.
    Returns (user, request)."""
    phone = normalize_phone(phone)
    with transaction.atomic():
        if User.objects.filter(username=phone).exists() or user_for_phone(phone=phone) is not None:
            raise DomainError(_("这个手机号已经有账号了：请直接登录，忘记密码可用短信验证码重设。"), code="has_account")
        user = User(username=phone)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise DomainError(_("这个手机号已经有账号了：请直接登录，忘记密码可用短信验证码重设。"),
                              code="has_account") from None
        request = registration_submit(user=user, unit=unit, name=name, phone=phone, relation=relation,
                                      moved_in=moved_in, phone_verified_at=phone_verified_at, ip=ip, now=now)
    return user, request


def _locked_pending(request_id: int) -> RegistrationRequest:
    request = (
        RegistrationRequest.objects.select_for_update()
        .select_related("unit__building__community", "user")
        .get(pk=request_id)
    )
    return request


def registration_approve(*, actor, request_id: int, person_choice: str = "") -> tuple[RegistrationRequest, bool]:
    """Approve: the user becomes a resident (or tenant) of the unit. Returns (request, changed).

    When the phone matches a person of this community without an account, staff must say what to do:
    ``person_choice`` is ``"person:<id>"`` (bind to that person, only if the applicant verified the phone by SMS)
    or ``"new"`` (a new person; the number stays with the registered one). Nothing is bound silently."""
    with transaction.atomic():
        request = _locked_pending(request_id)
        policy.require(actor, "registration.review", request)
        if request.status == RegistrationRequest.Status.APPROVED:
            return request, False
        if request.status != RegistrationRequest.Status.PENDING:
            raise DomainError(_("该申请已处理，不能再批准。"), code="state")
        person = _person_for(request, actor=actor, choice=person_choice)
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


def _person_for(request: RegistrationRequest, *, actor, choice: str) -> Person:
    """The applicant's person record: theirs, the registered one staff chose to bind, or a new one."""
    user = request.user
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    holder = Person.objects.select_for_update().filter(phone=request.phone).first()
    if holder is not None and holder.user_id is not None:
        raise DomainError(_("该手机号已属于另一个账号，请核实后再处理。"), code="phone_taken")
    if holder is None:
        return Person.objects.create(name=request.name, phone=request.phone, user=user)
    community = request.unit.building.community
    offered = holder in registration_matches(request=request)
    if offered and choice == f"person:{holder.pk}":
        if request.phone_verified_at is None:
            raise DomainError(_("申请人的手机号没有经过短信验证，不能关联到已登记的人员。"), code="unverified")
        holder.user = user
        holder.save(update_fields=["user"])
        audit(actor=actor, action="registration.bind_person", community=community, request=request.pk,
              person=holder.pk)
        return holder
    if offered and choice != "new":
        raise DomainError(_("这个手机号与已登记的人员相符：请选择“关联到此人”“新建人员”或不通过。"), code="choose")
    # A new person; the number stays with the person registered with it (one number, one person).
    person = Person.objects.create(name=request.name, phone="", user=user)
    audit(actor=actor, action="registration.new_person", community=community, request=request.pk,
          person=person.pk, phone_kept_by=holder.pk)
    return person
