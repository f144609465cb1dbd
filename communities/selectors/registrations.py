from django.db.models import QuerySet

from .. import policy
from ..models import RegistrationRequest


def registrations_to_review(*, user, status: str = RegistrationRequest.Status.PENDING) -> QuerySet:
    qs = RegistrationRequest.objects.select_related("unit__building__community", "user", "decided_by")
    qs = policy.scope(user, "registration.review", qs)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at")


def registrations_of(*, user) -> QuerySet:
    return RegistrationRequest.objects.filter(user=user).select_related("unit__building__community")
