"""bench_owners_tally runs at a small size, leaves nothing behind, and the tally's query count does not grow."""
import io
import re

import pytest
from django.core.management import call_command

from communities.models import Community, Unit

pytestmark = pytest.mark.django_db


def _run(units):
    out = io.StringIO()
    call_command("bench_owners_tally", units=units, rounds=1, stdout=out)
    return out.getvalue()


def test_the_benchmark_prints_its_figures_and_cleans_up():
    small, large = _run(60), _run(240)
    assert "rolled back" in small and not Community.objects.exists() and not Unit.objects.exists()
    queries = [re.search(r"tally \(election_tally\): median \d+ ms of 1, (\d+) queries", text).group(1)
               for text in (small, large)]
    assert queries[0] == queries[1]


def test_the_demo_seed_needs_junyuan():
    from talents.demo.owners_assembly import demo_owners_assembly_seed

    assert demo_owners_assembly_seed() == {}
