"""The move of the needs list and the versioned documents to the core keeps every row (issue 11 item 5).

The database is taken back to before the move (communities 0011, landlords 0001), rows are written into the
old ``landlords_*`` tables through the historical models, and the migrations are run forward: the same rows,
with the same ids, are then the core's (``communities_*``), photos have their ``uploaded_at`` and ``size``,
events their empty ``data``. Running back and forward again keeps them too."""
import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from communities.models import (
    CasePhoto, CommunityNeed, DocumentAcknowledgement, DocumentVersion, NeedEvent, NeedPhoto,
)

BEFORE = [("communities", "0011_decision_engine"), ("landlords", "0001_initial")]
WHEN = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone.utc)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    """Every app's newest migration: the schema the rest of the suite runs on."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture(autouse=True)
def _back_to_the_newest_schema():
    """Whatever happens here, the next test on this database finds every table of the newest schema."""
    yield
    _migrate(_latest())


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def old_rows(community, committee_staff, landlord, resident, case_for_photo):
    """Rows as the landlords app stored them before the move."""
    old = _migrate(BEFORE)
    assert "landlords_communityneed" in _tables() and "communities_communityneed" not in _tables()
    Need, Event, Photo = (old.get_model("landlords", name) for name in ("CommunityNeed", "NeedEvent", "NeedPhoto"))
    Version, Ack = old.get_model("landlords", "DocumentVersion"), old.get_model("landlords", "DocumentAcknowledgement")
    OldCasePhoto = old.get_model("communities", "CasePhoto")
    need = Need.objects.create(community_id=community.pk, title="小区休闲长椅", quantity="长椅 6 张", status="claimed",
                               posted_by_id=committee_staff.pk, posted_at=WHEN, claimed_by_id=landlord.pk,
                               claimed_at=WHEN)
    event = Event.objects.create(need_id=need.pk, actor_id=landlord.pk, action="claim", from_status="open",
                                 to_status="claimed", note="我来", at=WHEN)
    photo = Photo.objects.create(need_id=need.pk, event_id=event.pk, image="need-photos/2026/03/abc.jpg",
                                 extension="jpg", width=64, height=48, uploaded_by_id=landlord.pk, created_at=WHEN)
    version = Version.objects.create(community_id=community.pk, kind="covenant", number=1, title="租户公约",
                                     body="第一条", status="adopted", drafted_by_id=landlord.pk,
                                     adopted_on=dt.date(2026, 3, 1), approved_by_id=committee_staff.pk)
    ack = Ack.objects.create(version_id=version.pk, person_id=resident.person.pk, method="paper",
                             signed_on=dt.date(2026, 3, 2), recorded_by_id=landlord.pk)
    case_photo = OldCasePhoto.objects.create(case_id=case_for_photo.pk, image="case-photos/2026/03/def.jpg",
                                             extension="png", uploaded_by_id=resident.pk, created_at=WHEN)
    return {"need": need.pk, "event": event.pk, "photo": photo.pk, "version": version.pk, "ack": ack.pk,
            "case_photo": case_photo.pk}


@pytest.fixture
def case_for_photo(community, resident):
    from tests.factories import CaseFactory

    return CaseFactory(community=community, reporter=resident)


def _assert_kept(ids, landlord, committee_staff, resident):
    need = CommunityNeed.objects.get(pk=ids["need"])
    assert (need.title, need.status, need.claimed_by, need.posted_by) == (
        "小区休闲长椅", "claimed", landlord, committee_staff)
    event = NeedEvent.objects.get(pk=ids["event"])
    assert (event.need, event.actor, event.action, event.note, event.at, event.data) == (
        need, landlord, "claim", "我来", WHEN, {})
    photo = NeedPhoto.objects.get(pk=ids["photo"])
    assert (photo.need, photo.event, photo.image.name, photo.uploaded_at, photo.size) == (
        need, event, "need-photos/2026/03/abc.jpg", WHEN, 0)  # no file on disk: size stays 0
    version = DocumentVersion.objects.get(pk=ids["version"])
    assert (version.kind, version.number, version.status, version.get_kind_display()) == (
        "covenant", 1, "adopted", "租户公约")
    ack = DocumentAcknowledgement.objects.get(pk=ids["ack"])
    assert (ack.version, ack.person, ack.method) == (version, resident.person, "paper")
    assert CasePhoto.objects.get(pk=ids["case_photo"]).uploaded_at == WHEN


@pytest.mark.django_db(transaction=True)
def test_the_rows_survive_the_move_to_the_core(old_rows, landlord, committee_staff, resident):
    _migrate(_latest())
    assert {"communities_communityneed", "communities_needevent", "communities_needphoto",
            "communities_documentversion", "communities_documentacknowledgement"} <= _tables()
    assert not {t for t in _tables() if t.startswith("landlords_") and ("need" in t or "document" in t)}
    _assert_kept(old_rows, landlord, committee_staff, resident)
    # New rows continue the ids (the sequences moved with their tables).
    assert NeedEvent.objects.create(need_id=old_rows["need"], actor=landlord, action="release").pk > old_rows["event"]

    # Back and forward again: still nothing lost.
    _migrate(BEFORE)
    assert "landlords_communityneed" in _tables()
    _migrate(_latest())
    _assert_kept(old_rows, landlord, committee_staff, resident)
