from django.db.models import Prefetch, QuerySet

from .. import policy
from ..models import Person, RegistrationRequest, Residency


def registrations_to_review(*, user, status: str = RegistrationRequest.Status.PENDING) -> QuerySet:
    qs = RegistrationRequest.objects.select_related("unit__building__community", "user", "decided_by")
    qs = policy.scope(user, "registration.review", qs)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at")


def registrations_of(*, user) -> QuerySet:
    return RegistrationRequest.objects.filter(user=user).select_related("unit__building__community")


def registration_matches(*, request: RegistrationRequest) -> list[Person]:
    """People of the request's community registered with its phone and without an account, with their current
    homes: the approval page shows them and staff choose. A person registered only elsewhere is not shown
    (staff of this community may not see them) and is never bound."""
    if not request.phone:
        return []
    community_id = request.unit.building.community_id
    homes = Residency.objects.filter(moved_out__isnull=True, unit__building__community_id=community_id) \
        .select_related("unit__building")
    return list(Person.objects.filter(phone=request.phone, user__isnull=True,
                                      residencies__moved_out__isnull=True,
                                      residencies__unit__building__community_id=community_id)
                .distinct().prefetch_related(Prefetch("residencies", queryset=homes, to_attr="homes")))
