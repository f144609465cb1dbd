"""Demo data for 宝妈轮流 on the core rota engine (communities/demo/rotas.py made the rota): the background check
for child contact (未成年人接触背景核查, 《未成年人保护法》第六十二条: before starting and every year) recorded for
each of the six mothers with its yearly expiry and required by the rota; the rota's child-to-adult ratio 1:6; the
children expected at the coming sessions, one of them more than its two mothers may look after (its manager, the
``talent`` login, is alerted in the inbox). Idempotent: what is set is left as it is."""
import datetime as dt

from django.utils import timezone

from communities.models import MemberQualification, Qualification, Rota, User
from communities.services.rota_generation import rota_regenerate
from communities.services.rota_ratio import shift_children_set

ROTA = "宝妈志愿授课（阅读与作业辅导）"
CHECK = "未成年人接触背景核查"
MOTHERS = ("mum1", "mum2", "mum3", "mum4", "mum5", "mum6")
RATIO = 6
CHILDREN = (10, 8, 12, 9, 11, 7)  # per coming session, in order; within 2 × 6
CROWDED = 15  # one session: more than two mothers may look after


def demo_mothers_seed(now=None) -> dict:
    now = now or timezone.now()
    rota = Rota.objects.filter(community__slug="junyuan", name=ROTA).select_related("manager").first()
    if rota is None:
        return {}
    check, _ = Qualification.objects.get_or_create(community=rota.community, name=CHECK)
    today = timezone.localdate(now)
    granted = 0
    for i, user in enumerate(User.objects.filter(username__in=MOTHERS).order_by("username")):
        # Checked at different dates over the past months; each check holds a year.
        checked_on = today - dt.timedelta(days=20 + 35 * i)
        _row, made = MemberQualification.objects.get_or_create(
            user=user, qualification=check, defaults={"expires_on": checked_on + dt.timedelta(days=365)})
        granted += made
    if rota.required_qualification_id is None or rota.children_per_adult is None:
        Rota.objects.filter(pk=rota.pk).update(required_qualification=check, children_per_adult=RATIO)
        rota.refresh_from_db()
        rota_regenerate(rota=rota, now=now)
    counted = 0
    if not rota.shifts.filter(children_expected__isnull=False).exists() and rota.manager is not None:
        coming = list(rota.shifts.filter(starts_at__gt=now).order_by("starts_at")[:len(CHILDREN) + 1])
        counts = list(CHILDREN[:2]) + [CROWDED] + list(CHILDREN[2:])
        for shift, count in zip(coming, counts):
            counted += shift_children_set(shift=shift, count=count, actor=rota.manager, now=now)
    return {"checks": granted, "sessions_counted": counted}
