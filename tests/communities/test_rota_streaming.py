"""The generator's PostgreSQL write path (rows streamed by COPY while Python picks who is on duty): it staffs
exactly as the plain bulk_create path does, a failure on either side leaves no partial series, and two
generations in one community do not wait for each other."""
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from communities.models import Leave, Shift, ShiftAssignment
from communities.services import rota_copy, rota_generation

from .rota_helpers import at, duty, generate, make_rota, members

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")


def by_order(rota, prefix):
    """duty(rota) with each member named by their place in the rota, so two rotas' duties compare."""
    return [(starts_at, [name.removeprefix(prefix) for name in names]) for starts_at, names in duty(rota)]


def test_copy_path_staffs_as_bulk_create_does(community, other_community, monkeypatch):
    def rota_in(place, prefix):
        users = members(place, 5, prefix=prefix)
        Leave.objects.create(user=users[2], starts_at=at(1, 0), ends_at=at(3, 0), reason="回老家")
        return make_rota(place, users, slots=((9, 12, 1), (14, 17, 2), (22, 6, 1)), groups=["甲", "甲", "", "", ""])

    copy_rota, orm_rota = rota_in(community, "copy"), rota_in(other_community, "orm")
    streamed = generate(copy_rota, days=30)
    monkeypatch.setattr(rota_generation, "write_copy", rota_generation.write_orm)
    plain = generate(orm_rota, days=30)
    assert streamed == plain
    assert streamed.created == 90
    assert by_order(orm_rota, "orm") == by_order(copy_rota, "copy")


def test_python_failing_halfway_leaves_no_partial_series(community, monkeypatch):
    rota = make_rota(community, members(community, 3), slots=((9, 12, 1),))
    real_pick, calls = rota_generation.pick, []

    def pick_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) > 300:  # well into the assignments, after the shifts' COPY has ended
            raise RuntimeError("picker broke")
        return real_pick(*args, **kwargs)

    monkeypatch.setattr(rota_generation, "pick", pick_then_fail)
    with pytest.raises(RuntimeError, match="picker broke"):
        generate(rota, days=400)
    assert not Shift.objects.filter(rota=rota).exists()
    assert not ShiftAssignment.objects.filter(shift__rota=rota).exists()
    monkeypatch.setattr(rota_generation, "pick", real_pick)
    assert generate(rota, days=400).created == 400  # the connection is usable, the next run does it all


def test_database_refusing_a_row_leaves_no_partial_series(community, monkeypatch):
    rota = make_rota(community, members(community, 2), slots=((9, 12, 1),))
    generate(rota, days=1)
    taken = Shift.objects.get(rota=rota).pk
    real_reserve = rota_copy.reserve_ids

    def reserve_with_a_taken_id(cursor, table, n):
        ids = real_reserve(cursor, table, n)
        ids[n // 2] = taken  # the primary key refuses it, halfway through the COPY
        return ids

    monkeypatch.setattr(rota_copy, "reserve_ids", reserve_with_a_taken_id)
    with pytest.raises(IntegrityError):
        generate(rota, days=600)
    assert Shift.objects.filter(rota=rota).count() == 1
    assert ShiftAssignment.objects.filter(shift__rota=rota).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_generations_in_one_community_do_not_wait_for_each_other(community):
    first = make_rota(community, members(community, 2), name="一号岗")
    second = make_rota(community, members(community, 2, prefix="second"), name="二号岗")
    outcome = {}

    def other_worker():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
            outcome["created"] = generate(second, days=3).created
        except Exception as exc:  # reported below, on the test's thread
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():  # the first generation's transaction stays open while the other worker runs
        generate(first, days=3)
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(timeout=30)
    assert outcome == {"created": 3}
