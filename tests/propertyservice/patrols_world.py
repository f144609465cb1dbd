"""Patrol fixtures: the village's evening patrol rota with a route of three checkpoints (the second asks for a
photo), a shift of it on the test day (19:00–22:00) with the guard on it, and a garbage rota."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import Rota, RotaMember, Shift, ShiftAssignment, VillageGroup

from propertyservice.models import PatrolCheckpoint, PatrolRoute

from .world import DAY, NOW, at


def jpeg(name="gate.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def make_shift(rota, starts_at, ends_at, *users) -> Shift:
    shift = Shift.objects.create(rota=rota, starts_at=starts_at, ends_at=ends_at, people=max(len(users), 1))
    for user in users:
        RotaMember.objects.get_or_create(rota=rota, user=user)
        ShiftAssignment.objects.create(shift=shift, user=user)
    return shift


def make_route(village, rota, name="丁钱夜巡", *, created_at=None):
    route = PatrolRoute.objects.create(community=village, rota=rota, name=name, expected_minutes=45,
                                       late_after_minutes=15, created_at=created_at or NOW - 30 * DAY)
    group, _ = VillageGroup.objects.get_or_create(community=village, name="丁钱")
    points = [("丁钱村口", False), ("丁钱垃圾箱房", True), ("丁钱河边", False)]
    for order, (point, photo) in enumerate(points, start=1):
        PatrolCheckpoint.objects.create(route=route, name=point, village_group=group, order=order,
                                        requires_photo=photo)
    return route


@pytest.fixture
def patrol_rota(village, head):
    return Rota.objects.create(community=village, name="服务站值班巡逻", kind=Rota.Kind.PATROL, manager=head)


@pytest.fixture
def route(village, patrol_rota):
    return make_route(village, patrol_rota)


@pytest.fixture
def checkpoints(route):
    return list(route.checkpoints.order_by("order"))


@pytest.fixture
def shift(patrol_rota, staff_member):
    return make_shift(patrol_rota, at(0, 19), at(0, 22), staff_member)


@pytest.fixture
def garbage_rota(village, head):
    return Rota.objects.create(community=village, name="垃圾清运", kind=Rota.Kind.GARBAGE, manager=head)
