"""Data for the bench_rotas benchmark: one community, rotas with their own members, three shifts a day."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Community, Membership, Role, Rota, RotaMember, RotaSlot, User

# Round the clock: a day, an evening and a night shift (the night one ends the next morning).
SHIFTS = ((dt.time(8), dt.time(16)), (dt.time(16), dt.time(0)), (dt.time(0), dt.time(8)))


def rotas_create(*, rotas: int, members: int) -> list[Rota]:
    with transaction.atomic():
        community = Community.objects.create(name="基准测试社区", slug="bench-rotas", kind=Community.Kind.VILLAGE)
        users = User.objects.bulk_create([User(username=f"bench-{i}", password="!")
                                          for i in range(rotas * members)])
        Membership.objects.bulk_create([Membership(user=u, community=community, role=Role.STATION_STAFF)
                                        for u in users])
        created = Rota.objects.bulk_create([Rota(community=community, name=f"值班表{i}", kind=Rota.Kind.SECURITY)
                                            for i in range(rotas)])
        RotaMember.objects.bulk_create([RotaMember(rota=rota, user=users[r * members + m], order=m)
                                        for r, rota in enumerate(created) for m in range(members)])
        today = timezone.localdate()
        RotaSlot.objects.bulk_create([RotaSlot(rota=rota, weekdays=list(range(7)), starts_on=today, start_time=start,
                                               end_time=end) for rota in created for start, end in SHIFTS])
    return created
