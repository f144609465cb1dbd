"""Two residents take the last place of a slot at the same moment, on two real connections: exactly one gets it."""
import datetime as dt
import threading

import pytest
from django.db import connection

from communities.models import Role, User
from communities.services.errors import DomainError
from talents.models import ServiceBooking
from talents.services.appointments import booking_make, slots_open

from ..factories import make_member
from .services_world import NOW, TUESDAY, id_photos, junyuan, people, studio_with_host


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_no", range(3))
def test_two_residents_racing_for_the_last_place_one_gets_it(round_no):
    community = junyuan()
    host = make_member(community, Role.TALENT, username=f"photographer{round_no}")
    service = id_photos(studio_with_host(community, host, slug=f"sheying{round_no}", name=f"摄影{round_no}"), host)
    slot = slots_open(actor=host, service=service, day=TUESDAY, first=dt.time(9), count=1, capacity=2, now=NOW)[0]
    early, *racers = people(community, 3, prefix=f"r{round_no}_")
    booking_make(actor=early, slot_id=slot.pk, now=NOW)  # one place left
    barrier = threading.Barrier(2)
    results, errors = {}, {}

    def take(user_pk):
        try:
            actor = User.objects.get(pk=user_pk)  # each thread: its own connection
            barrier.wait(timeout=10)
            results[user_pk] = booking_make(actor=actor, slot_id=slot.pk, now=NOW).changed
        except DomainError as exc:
            results[user_pk] = exc.code
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors[user_pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u.pk,)) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == {}
    assert sorted(map(str, results.values())) == ["True", "full"]
    assert ServiceBooking.objects.filter(slot=slot, status__in=["requested", "confirmed"]).count() == 2
