"""Reads for versioned documents (communities.models.documents): the current version and its history, where a
person stands with it, and acknowledgements joined onto a list of people. An app's own reports (蓉庭's
covenant per building, charter per member) build on ``with_acknowledgement``."""
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from .. import policy
from ..models import Community, DocumentAcknowledgement, DocumentVersion, Person

Ack = DocumentAcknowledgement


def person_of(user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def document_current(*, community: Community, kind: str) -> DocumentVersion | None:
    return (DocumentVersion.objects.filter(community=community, kind=kind, status=DocumentVersion.Status.ADOPTED)
            .select_related("drafted_by", "approved_by").first())


def document_open_draft(*, community: Community, kind: str) -> DocumentVersion | None:
    return (DocumentVersion.objects.filter(community=community, kind=kind, status=DocumentVersion.Status.DRAFT)
            .select_related("drafted_by").first())


def may_see_drafts(user, *, community: Community, kind: str) -> bool:
    actions = DocumentVersion(kind=kind)
    return policy.can(user, actions.action("draft"), community) or policy.can(user, actions.action("adopt"), community)


def document_history(*, user, community: Community, kind: str) -> list[DocumentVersion]:
    """Every version, newest first; drafts and withdrawn drafts only for those who draft or adopt."""
    qs = DocumentVersion.objects.filter(community=community, kind=kind).select_related("drafted_by", "approved_by")
    if not may_see_drafts(user, community=community, kind=kind):
        qs = qs.filter(status__in=[DocumentVersion.Status.ADOPTED, DocumentVersion.Status.SUPERSEDED])
    return list(qs.order_by("-number"))


def document_version_for(*, user, version_id: int, action: str = "document.view") -> DocumentVersion:
    """One version with its community and people: 404 outside the user's communities."""
    return policy.get_object_or_404_for(
        user, action, DocumentVersion.objects.select_related("community", "drafted_by", "approved_by"),
        pk=version_id)


@dataclass(frozen=True)
class MyStanding:
    """Where one person stands with the current version: acknowledged it, acknowledged an older one only
    (the page asks them to read the new one), or never."""
    current: Ack | None
    older: Ack | None

    @property
    def must_reacknowledge(self) -> bool:
        return self.current is None and self.older is not None


def my_standing(*, person: Person | None, version: DocumentVersion | None) -> MyStanding:
    if person is None or version is None:
        return MyStanding(None, None)
    acks = list(Ack.objects.filter(person=person, version__community_id=version.community_id,
                                   version__kind=version.kind).select_related("version")
                .order_by("-version__number"))
    current = next((a for a in acks if a.version_id == version.pk), None)
    older = next((a for a in acks if a.version_id != version.pk), None)
    return MyStanding(current, older)


def with_acknowledgement(queryset, version: DocumentVersion | None, *, person: str = "person_id"):
    """``queryset`` (of people, or of rows with a person) annotated with ``ack_method`` and ``ack_signed_on``
    of their acknowledgement of ``version`` (None when they have none): one query for the whole list."""
    acks = Ack.objects.filter(version=version, person=OuterRef(person))
    return queryset.annotate(ack_method=Subquery(acks.values("method")[:1]),
                             ack_signed_on=Subquery(acks.values("signed_on")[:1]))


def acknowledgements_of(*, version: DocumentVersion | None):
    """The acknowledgements of ``version``, for counting (by method) in a report."""
    return Ack.objects.filter(version=version)
