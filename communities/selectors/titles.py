"""Reading community titles: one query for the titles of any number of people, so that a list showing names
with their titles costs the same for 5 rows or 500."""
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ..models import Community, CommunityTitle, Person


def titles_for(*, people: Iterable, community: Community | int | None = None) -> dict[int, list[CommunityTitle]]:
    """{person_id: [active titles]} for ``people`` (Person objects or ids), in one query."""
    ids = {p.pk if isinstance(p, Person) else p for p in people if p is not None}
    if not ids:
        return {}
    qs = CommunityTitle.objects.filter(person_id__in=ids, revoked_at__isnull=True)
    if community is not None:
        qs = qs.filter(community_id=community.pk if isinstance(community, Community) else community)
    found: dict[int, list[CommunityTitle]] = defaultdict(list)
    for title in qs.order_by("awarded_at", "id"):
        found[title.person_id].append(title)
    return dict(found)


def titles_of_user(*, user) -> list[CommunityTitle]:
    """The user's own active titles in every community (the profile page)."""
    return list(CommunityTitle.objects.filter(person__user=user, revoked_at__isnull=True)
                .select_related("community").order_by("community__name", "awarded_at"))


def community_titles(*, community: Community) -> QuerySet:
    """Active titles of a community for the staff page, the people and awarders loaded with them."""
    return (CommunityTitle.objects.filter(community=community, revoked_at__isnull=True)
            .select_related("person", "awarded_by__person").order_by("kind", "person__name", "id"))


def people_of_community(*, community: Community) -> QuerySet:
    """People who belong to ``community``: a member account, a current residency, or a unit they sublet."""
    cid = community.pk
    return Person.objects.filter(
        Q(user__memberships__community_id=cid)
        | Q(residencies__unit__building__community_id=cid, residencies__moved_out__isnull=True)
        | Q(sublet_units__building__community_id=cid)
    ).distinct()


def people_search(*, community: Community, query: str, limit: int = 20) -> list[Person]:
    query = (query or "").strip()
    if not query:
        return []
    return list(people_of_community(community=community).filter(name__icontains=query).order_by("name", "id")[:limit])
