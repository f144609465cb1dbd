"""Awarding and revoking community titles (社区身份). Committee staff of the community do both; every change
leaves an audit row, and repeating one (a double-clicked button) changes nothing."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Community, CommunityTitle, Person
from ..selectors.titles import people_of_community
from .audit import audit
from .errors import DomainError


def title_award(*, actor, community: Community, person: Person, kind: str,
                other_name: str = "") -> tuple[CommunityTitle, bool]:
    """Give ``person`` a title in ``community``; (the active title, False) if they already hold it."""
    if not policy.can(actor, "title.award", community):
        raise PermissionDenied
    if kind not in CommunityTitle.Kind.values:
        raise DomainError(gettext_lazy("请选择一个社区身份。"), code="kind")
    other_name = " ".join((other_name or "").split()) if kind == CommunityTitle.Kind.OTHER else ""
    if kind == CommunityTitle.Kind.OTHER and not other_name:
        raise DomainError(gettext_lazy("选择“其他”时请填写身份名称。"), code="other_name")
    if len(other_name) > 30:
        raise DomainError(gettext_lazy("身份名称最多 30 个字。"), code="other_name")
    with transaction.atomic():
        # The person's row serialises two staff awarding the same title at once.
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not people_of_community(community=community).filter(pk=person.pk).exists():
            raise DomainError(gettext_lazy("此人不属于本社区，不能授予社区身份。"), code="stranger")
        held = CommunityTitle.objects.filter(person=person, community=community, kind=kind, other_name=other_name,
                                             revoked_at__isnull=True).first()
        if held is not None:
            return held, False
        title = CommunityTitle.objects.create(person=person, community=community, kind=kind, other_name=other_name,
                                              awarded_by=actor)
        audit(actor=actor, action="title.award", community=community, title=title.pk, person=person.pk,
              kind=kind, other_name=other_name)
    return title, True


def title_revoke(*, actor, title_id: int) -> bool:
    """Revoke one title; False when it was already revoked."""
    with transaction.atomic():
        title = CommunityTitle.objects.select_for_update(of=("self",)).select_related("community").filter(
            pk=title_id).first()
        if title is None:
            return False
        if not policy.can(actor, "title.award", title):
            raise PermissionDenied
        if title.revoked_at is not None:
            return False
        title.revoked_at = timezone.now()
        title.revoked_by = actor
        title.save(update_fields=["revoked_at", "revoked_by"])
        audit(actor=actor, action="title.revoke", community=title.community, title=title.pk,
              person=title.person_id)
    return True
