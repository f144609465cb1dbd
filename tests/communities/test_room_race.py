"""Two people booking the same slot at the same moment, on two real database connections: exactly one gets it,
the other is told whose booking holds the time."""
import threading

import pytest
from django.db import connection

from communities.models import Community, Role, Room, RoomBooking, User
from communities.services import rooms as svc

from ..factories import make_member
from .room_world import NOW, at


def _race(room_id, user_ids, slots):
    barrier = threading.Barrier(len(user_ids))
    results, errors = {}, {}

    def attempt(user_id, slot):
        try:
            actor = User.objects.get(pk=user_id)  # each thread: its own connection
            room = Room.objects.get(pk=room_id)
            barrier.wait(timeout=10)
            results[user_id] = svc.room_book(room=room, starts_at=slot[0], ends_at=slot[1], title=f"活动{user_id}",
                                             actor=actor, now=NOW)
        except svc.RoomClash as exc:
            results[user_id] = exc
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors[user_id] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(uid, slot)) for uid, slot in zip(user_ids, slots)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.fixture
def contenders(transactional_db):
    community = Community.objects.create(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)
    room = Room.objects.create(community=community, name="多功能厅", capacity=60)
    users = [make_member(community, Role.TALENT, username=f"host{i}") for i in range(2)]
    return room, [u.pk for u in users]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_no", range(3))
def test_two_connections_racing_for_one_slot_exactly_one_wins(contenders, round_no):
    room, user_ids = contenders
    results, errors = _race(room.pk, user_ids, [(at(5, 14), at(5, 15)), (at(5, 14, 30), at(5, 15, 30))])
    assert errors == {}
    won = [r for r in results.values() if isinstance(r, RoomBooking)]
    lost = [r for r in results.values() if isinstance(r, svc.RoomClash)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].other == won[0] and won[0].title in lost[0].message
    assert RoomBooking.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_check_the_database_still_lets_only_one_through(contenders, monkeypatch):
    """The service's own overlap check blinded: the exclusion constraint alone decides, and the loser still gets
    the RoomClash naming the winner."""
    room, user_ids = contenders
    real = svc.overlapping
    seen = threading.local()

    def blind_once(**kwargs):
        if not getattr(seen, "done", False):
            seen.done = True
            return RoomBooking.objects.none()
        return real(**kwargs)

    monkeypatch.setattr(svc, "overlapping", blind_once)
    monkeypatch.setattr(svc, "_lock_rooms", lambda *ids: {r.pk: r for r in Room.objects.filter(pk__in=ids)})
    results, errors = _race(room.pk, user_ids, [(at(5, 14), at(5, 15)), (at(5, 14), at(5, 15))])
    assert errors == {}
    won = [r for r in results.values() if isinstance(r, RoomBooking)]
    lost = [r for r in results.values() if isinstance(r, svc.RoomClash)]
    assert len(won) == 1 and len(lost) == 1 and lost[0].other == won[0]
    assert RoomBooking.objects.filter(room=room).count() == 1
