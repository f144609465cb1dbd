"""Two people take the last seat at the same moment, on two real database connections: exactly one gets it."""
import threading

import pytest
from django.db import connection

from communities.models import User
from talents.models import Enrolment
from talents.services.enrolment import enrolment_request, seats_taken

from .classes_world import MONDAY, make_class, make_studio, resident
from ..factories import CommunityFactory, make_member, serve


@pytest.mark.parametrize("round_no", range(3))
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_exactly_one_gets_it(round_no):
    from communities.models import Role

    junyuan = CommunityFactory(name="郡园居民区", slug="junyuan")
    serve(junyuan, "talents")
    host = make_member(junyuan, Role.TALENT, username="talent", name="书法达人")
    tc = make_class(make_studio(junyuan, host=host), organiser=host, capacity=2)
    first = resident(junyuan, "first")
    enrolment_request(talent_class=tc, actor=first, person_ids=[first.person.pk], now=MONDAY)  # one seat left
    racers = [resident(junyuan, "left"), resident(junyuan, "right")]
    barrier = threading.Barrier(2)
    results, errors = {}, {}

    def take(user_pk):
        try:
            actor = User.objects.select_related("person").get(pk=user_pk)  # each thread: its own connection
            barrier.wait(timeout=10)
            entry, _created = enrolment_request(talent_class=tc, actor=actor, person_ids=[actor.person.pk], now=MONDAY)
            results[user_pk] = entry.status
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors[user_pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u.pk,)) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == {}
    assert sorted(results.values()) == [Enrolment.Status.ENROLLED, Enrolment.Status.WAITING]
    assert seats_taken(tc) == 2
    assert Enrolment.objects.filter(talent_class=tc, status=Enrolment.Status.ENROLLED).count() == 2
