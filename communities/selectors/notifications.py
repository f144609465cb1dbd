from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user) -> QuerySet:
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def inbox_for(*, user) -> QuerySet:
    """The inbox: one row per notification, but one per case for those about a case (the latest of them),
    annotated ``in_group`` (how many about that case) and ``unread_in_group``. Newest first; the query count
    does not depend on the number of rows."""
    mine = Notification.objects.filter(recipient=user)
    same_case = mine.filter(case_id=OuterRef("case_id"))
    latest = same_case.order_by("-created_at", "-pk").values("pk")[:1]

    def counted(qs, alone: int):
        return Coalesce(Subquery(qs.order_by().values("case_id").annotate(n=Count("pk")).values("n")[:1],
                                 output_field=IntegerField()), Value(alone))

    return (mine.filter(Q(case__isnull=True) | Q(pk=Subquery(latest)))
            .annotate(in_group=counted(same_case, 1),
                      unread_in_group=counted(same_case.filter(read_at__isnull=True), 0))
            .order_by("-created_at", "-pk"))
