"""The apps' numbers for the Party dashboards: an app pushes them here; the dashboard only reads the rows.

An app knows how to count its own things (蓉庭's tenant registrations, later 郡园's class enrolments); the core
does not, and must not import it to ask. So the app calls ``record_figure`` (from a daily Celery task, or on its
own domain events once they commit) and the dashboard selector (``selectors.dashboard``) reads
``CommunityFigure`` rows only: reading a dashboard runs no app code.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from ..models import Community, CommunityFigure


def record_figure(*, community: Community | int, app_label: str, key: str, day: dt.date, value: int,
                  label: str) -> None:
    """Store ``value`` as ``app_label``'s figure ``key`` of ``community`` on ``day``; idempotent.

    A second call for the same (community, app, key, day) overwrites the value and label, in one ``INSERT …
    ON CONFLICT DO UPDATE`` (two workers recording the same day do not clash). ``label`` is what the dashboard
    shows: pass the app's ``gettext_lazy`` text; it is stored untranslated and shown in the reader's language.
    Example::

        record_figure(community=community, app_label="landlords", key="tenant_registrations",
                      day=timezone.localdate(), value=412, label=gettext_lazy("在住租客登记"))
    """
    if value is None or int(value) != value:
        raise ValueError(f"record_figure: {app_label}.{key} needs a whole number, not {value!r}")
    with translation.override(None):  # the msgid, in the source language
        stored_label = str(label)[:100]
    community_id = getattr(community, "pk", community)
    with transaction.atomic():
        CommunityFigure.objects.bulk_create(
            [CommunityFigure(community_id=community_id, app_label=app_label, key=key, day=day, value=int(value),
                             label=stored_label, recorded_at=timezone.now())],
            update_conflicts=True, unique_fields=["community", "app_label", "key", "day"],
            update_fields=["value", "label", "recorded_at"])
