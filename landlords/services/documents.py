"""Writes for the charter and the covenant: drafting a version, adopting (approving) or withdrawing it,
and acknowledging the current version in the app or on paper. Each service locks, checks the actor and
the state, and is harmless when repeated."""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Community, Person
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred

from ..models import DocumentAcknowledgement, DocumentKind, DocumentVersion
from ..selectors.documents import active_tenancies, is_tenant, person_of

Status = DocumentVersion.Status
Ack = DocumentAcknowledgement


@dataclass
class Outcome:
    obj: object
    changed: bool


def _page_url(version: DocumentVersion) -> str:
    return reverse("landlords:document_current", args=[version.community.slug, version.kind])


def _text(value: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required")
    if len(value) > limit:
        raise DomainError(_("内容过长，请精简到%(limit)d字以内。") % {"limit": limit}, code="length")
    return value


def document_draft(*, actor, community: Community, kind: str, title: str, body: str) -> DocumentVersion:
    """A new draft, numbered after every earlier version of this community's ``kind``."""
    if kind not in DocumentKind.values:
        raise DomainError(_("未知的文件类型。"), code="kind")
    if not policy.can(actor, DocumentVersion(kind=kind).action("draft"), community):
        raise PermissionDenied
    title = _text(title, _("请填写标题。"), 100)
    body = _text(body, _("请填写正文。"), 20000)
    with transaction.atomic():
        # The community row is the lock that orders numbering (NO KEY: other rows may still point at it).
        Community.objects.select_for_update(no_key=True).filter(pk=community.pk).first()
        versions = DocumentVersion.objects.filter(community=community, kind=kind)
        if versions.filter(status=Status.DRAFT).exists():
            raise DomainError(_("已有一份草案在等待审议，请先审议或撤回它。"), code="open_draft")
        number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DocumentVersion.objects.create(community=community, kind=kind, number=number, title=title,
                                                 body=body, drafted_by=actor)
        audit(actor=actor, action="document.draft", community=community, kind=kind, number=number)
    return version


def _lock(version_id: int) -> DocumentVersion:
    version = (DocumentVersion.objects.select_for_update(of=("self",)).select_related("community", "drafted_by")
               .filter(pk=version_id).first())
    if version is None:
        raise DocumentVersion.DoesNotExist
    return version


def document_adopt(*, actor, version_id: int, adopted_on: dt.date | None = None) -> Outcome:
    """Adopt a draft: it becomes the current version and the one before is superseded.

    The charter carries the date it was adopted (given by staff, not in the future); the covenant is
    adopted on the day committee staff approve it."""
    today = timezone.localdate()
    with transaction.atomic():
        version = _lock(version_id)
        if not policy.can(actor, version.action("adopt"), version):
            raise PermissionDenied
        if version.status in (Status.ADOPTED, Status.SUPERSEDED):
            return Outcome(version, False)
        if version.status != Status.DRAFT:
            raise DomainError(_("这份草案已撤回，不能再通过。"), code="state")
        if version.kind == DocumentKind.COVENANT or adopted_on is None:
            adopted_on = today
        if adopted_on > today:
            raise DomainError(_("通过日期不能晚于今天。"), code="date")
        current = (DocumentVersion.objects.select_for_update(of=("self",))
                   .filter(community_id=version.community_id, kind=version.kind, status=Status.ADOPTED).first())
        if current is not None and adopted_on < current.adopted_on:
            raise DomainError(_("通过日期不能早于现行版本的通过日期（%(date)s）。")
                              % {"date": current.adopted_on.isoformat()}, code="date")
        now = timezone.now()
        if current is not None:
            current.status, current.superseded_at = Status.SUPERSEDED, now
            current.save(update_fields=["status", "superseded_at"])
        version.status, version.adopted_on, version.approved_by, version.approved_at = \
            Status.ADOPTED, adopted_on, actor, now
        version.save(update_fields=["status", "adopted_on", "approved_by", "approved_at"])
        audit(actor=actor, action="document.adopt", community=version.community, kind=version.kind,
              number=version.number, adopted_on=adopted_on.isoformat(),
              superseded=current.number if current else None)
        if version.drafted_by_id != actor.pk:
            notify(recipient=version.drafted_by,
                   title=deferred(gettext_lazy("您起草的%(doc)s已通过"), doc=version.get_kind_display()),
                   body=deferred(gettext_lazy("第%(n)d版自%(date)s起施行。"), n=version.number,
                                 date=adopted_on.isoformat()),
                   url=_page_url(version))
    return Outcome(version, True)


def document_withdraw(*, actor, version_id: int) -> Outcome:
    with transaction.atomic():
        version = _lock(version_id)
        if not policy.can(actor, "landlords.document.withdraw", version):
            raise PermissionDenied
        if version.status == Status.WITHDRAWN:
            return Outcome(version, False)
        if version.status != Status.DRAFT:
            raise DomainError(_("已通过的版本不能撤回；如需修改，请起草新版本。"), code="state")
        version.status, version.withdrawn_at = Status.WITHDRAWN, timezone.now()
        version.save(update_fields=["status", "withdrawn_at"])
        audit(actor=actor, action="document.withdraw", community=version.community, kind=version.kind,
              number=version.number)
    return Outcome(version, True)


def _current_locked(community: Community, kind: str) -> DocumentVersion:
    version = (DocumentVersion.objects.select_for_update(of=("self",))
               .filter(community=community, kind=kind, status=Status.ADOPTED).first())
    if version is None:
        raise DomainError(_("目前还没有通过的版本。"), code="none")
    return version


def _ack_create(*, version, person, method, signed_on, actor) -> Outcome:
    existing = Ack.objects.filter(version=version, person=person).first()
    if existing is not None:
        return Outcome(existing, False)
    try:
        with transaction.atomic():
            ack = Ack.objects.create(version=version, person=person, method=method, signed_on=signed_on,
                                     recorded_by=actor)
    except IntegrityError:  # a double click that raced past the check above
        return Outcome(Ack.objects.get(version=version, person=person), False)
    return Outcome(ack, True)


def document_acknowledge(*, actor, community: Community, kind: str) -> Outcome:
    """"我已阅读并遵守": the actor acknowledges the current version in the app (members the charter,
    tenants the covenant)."""
    if kind not in DocumentKind.values:
        raise DomainError(_("未知的文件类型。"), code="kind")
    if not policy.can(actor, DocumentVersion(kind=kind).action("acknowledge"), community):
        raise PermissionDenied
    person = person_of(actor)
    if person is None:
        raise DomainError(_("您的账号还没有关联人员信息，请联系居委。"), code="person")
    if kind == DocumentKind.COVENANT and not is_tenant(person=person, community=community):
        raise DomainError(_("只有本社区在住的租客需要确认租户公约。"), code="tenant")
    with transaction.atomic():
        version = _current_locked(community, kind)
        return _ack_create(version=version, person=person, method=Ack.Method.APP,
                           signed_on=timezone.localdate(), actor=actor)


def covenant_paper_record(*, actor, community: Community, person_id: int, signed_on: dt.date) -> Outcome:
    """The sublandlord records that one of their own tenants signed the current covenant on paper."""
    if not policy.can(actor, "landlords.covenant.record_paper", community):
        raise PermissionDenied
    landlord = person_of(actor)
    tenancies = active_tenancies(community=community).filter(person_id=person_id)
    if landlord is None or not tenancies.filter(unit__sublandlord=landlord).exists():
        raise PermissionDenied  # not a tenant of theirs: their tenants are theirs alone
    if signed_on > timezone.localdate():
        raise DomainError(_("签字日期不能晚于今天。"), code="date")
    with transaction.atomic():
        version = _current_locked(community, DocumentKind.COVENANT)
        if signed_on < version.adopted_on:
            raise DomainError(_("签字日期不能早于本版公约的通过日期（%(date)s）。")
                              % {"date": version.adopted_on.isoformat()}, code="date")
        return _ack_create(version=version, person=Person.objects.get(pk=person_id), method=Ack.Method.PAPER,
                           signed_on=signed_on, actor=actor)
