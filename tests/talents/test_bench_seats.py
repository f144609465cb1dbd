"""The seat-taking benchmark's own burst, small: concurrent requests through the enrol page on real connections
seat exactly the class's capacity (entries fit whole or wait), put everyone else on the waitlist, and the
database checks find no over-allocation."""
import pytest

from talents.bench import bench_seats


@pytest.mark.django_db(transaction=True)
def test_a_small_burst_fills_the_class_exactly_and_waitlists_the_rest(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    lines = []
    figures, over, twice = bench_seats.run(rounds=1, contenders=6, seats=3, write=lines.append)
    assert figures.requests == 6 and figures.answers == {"answered": 6}
    # Three seats, entries of one and two people: 3 seats go (1+2 or 1+1+1 …), never 4.
    assert figures.enrolled_seats == 3 and figures.enrolled_entries + figures.waitlisted_entries == 6
    assert over == 0 and twice == 0
    assert any("over-allocated seats found in the database: 0" in line for line in lines)
