"""Building blocks for the gate and parking tests: the village's standard v1 (the RULES.md village example)
adopted by a published villagers' meeting, spaces, an outside car."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import VillageGroup
from propertyservice.demo.parking import adopted_motion
from propertyservice.services.parking import space_add, standard_create

from .world import DAY, NOW

HOURLY = [{"start": dt.time(0), "end": dt.time(0), "unit_minutes": 60, "unit_price": Decimal("3"), "cap": None}]


def make_standard(village, actor, *, adopted=True, effective_from=None, price="3", motion_title=None, **fields):
    effective_from = effective_from or NOW - 30 * DAY
    motion = None
    if adopted is not None:
        motion = adopted_motion(community=village, actor=actor, title=f"村民会议 {motion_title or price}",
                                motion_title=motion_title or f"收费标准 ¥{price}", at=effective_from,
                                passed=adopted)
    bands = [{**HOURLY[0], "unit_price": Decimal(price)}]
    fields = {"free_minutes": 60, "daily_cap": Decimal("30"), **fields}
    return standard_create(actor=actor, community=village, motion=motion, effective_from=effective_from,
                           bands=bands, **fields)


def make_spaces(village, actor, *, visitor=2, public=1, villager=3, group="丁钱"):
    village_group, _ = VillageGroup.objects.get_or_create(community=village, name=group)
    n = 0
    for kind, count in (("visitor", visitor), ("public", public), ("villager", villager)):
        for _ in range(count):
            n += 1
            space_add(actor=actor, community=village, village_group=village_group, number=f"{n}号", kind=kind)


@pytest.fixture
def standard_v1(village, committee):
    return make_standard(village, committee)


@pytest.fixture
def spaces(village, committee):
    make_spaces(village, committee)
