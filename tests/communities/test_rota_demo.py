"""The demo's rotas: 蓉庭's mediation-room duty, 光明村's patrol, garbage and cleaning, 郡园's volunteer
teachers, each with shifts generated; a second run creates nothing."""
from io import StringIO

from django.core.management import call_command

from communities.models import Rota, Shift, ShiftAssignment, User

from .demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_demo_rotas_exist_with_shifts(seeded):
    rotas = {(r.community.slug, r.kind): r for r in Rota.objects.select_related("community")}
    assert set(rotas) == {("rongting", "mediation_room"), ("guangming", "patrol"), ("guangming", "garbage"),
                          ("guangming", "greening"), ("guangming", "security"), ("junyuan", "teaching")}
    for rota in rotas.values():
        shifts = Shift.objects.filter(rota=rota)
        assert shifts.count() >= 8, rota
        assert ShiftAssignment.objects.filter(shift__rota=rota).count() >= shifts.count(), rota
    assert rotas[("rongting", "mediation_room")].manager.username == "landlord"
    assert rotas[("guangming", "patrol")].required_qualification.name == "物业服务岗位培训"


def test_demo_landlords_take_turns(seeded):
    rota = Rota.objects.get(kind="mediation_room")
    on_duty = set(ShiftAssignment.objects.filter(shift__rota=rota).values_list("user__username", flat=True))
    assert on_duty == {"landlord", "landlord2", "landlord3", "landlord4", "landlord5", "landlord6"}
    assert all(hasattr(User.objects.get(username=name), "person") for name in on_duty)


def test_demo_volunteer_mothers_teach_in_pairs(seeded):
    rota = Rota.objects.get(kind="teaching")
    for shift in Shift.objects.filter(rota=rota).prefetch_related("assignments__user"):
        groups = {m.group for m in rota.members.filter(user__in=[a.user for a in shift.assignments.all()])}
        assert len(shift.assignments.all()) == 2 and len(groups) == 1


def test_second_seed_creates_no_rota_or_shift(seeded, settings):
    settings.DEBUG = True
    before = (Rota.objects.count(), Shift.objects.count(), ShiftAssignment.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Rota.objects.count(), Shift.objects.count(), ShiftAssignment.objects.count(),
            User.objects.count()) == before
