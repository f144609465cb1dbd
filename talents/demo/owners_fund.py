"""郡园's demo data for the owners' hub's fund area (issue 15): the maintenance fund's ledger for all 1,048
households, booked through the services (bulk rows, a handful of queries each):

- the first collection (首期归集) on 2008-06-30 at 120 元/m² of exclusive floor area (a stated demo figure, about
  2 % of the house price then);
- top-ups (续筹) for 5号楼 (2014, after its lift overhaul) and 3号楼, 7号楼 (2016), 30 元/m²;
- the bank's interest every 21 December 2009–2025, 1.5 % of the balance (a demo rate), split by balance;
- past payments without a project of this system: 5号楼's lift (2013, 28 % of its balance then), the estate's drains
  (2018), 9号楼's roof (2019),
  and 12号楼's facade, a month before the demo's day, which leaves 12号楼 below 30 % with an open top-up warning;
- the freeze 2022-06-30 → 2025-03-10 (the second committee recalled and re-elected, records and seals not handed
  over; lifted when the third committee was filed and the records handed over);
- the statements of 2025-H1 and 2025-H2, published.

Idempotent-ish: a community whose ledger exists is left alone; {} without 郡园."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from communities.models import Community, Role, User
from communities.selectors.places import users_with_role

from ..models import FundEntry, FundStatement, TopUpWarning
from ..selectors.owners_fund_core import fund_balance
from ..services import owners_fund as svc

SLUG = "junyuan"
RATE = Decimal("120")  # 元/m², the demo's first collection
TOP_UP_RATE = Decimal("30")
INTEREST = Decimal("0.015")
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _staff(community):
    return (User.objects.filter(username="staff_junyuan").first()
            or users_with_role(community_id=community.pk, role=Role.COMMITTEE_STAFF).first())


def _interest(staff, community, year):
    on = dt.date(year, 12, 21)
    total = (fund_balance(community=community, on=on) * INTEREST).quantize(Decimal("0.01"))
    svc.fund_book_interest(actor=staff, community=community, on=on, total=total,
                           note=f"{year}年度利息", batch=f"demo-interest-{year}")


def demo_owners_fund_seed(now=None) -> dict:
    community = Community.objects.filter(slug=SLUG).first()
    if community is None:
        return {}
    if FundEntry.objects.filter(community=community).exists():
        return {}  # seeded already: seed_demo says "nothing new"
    staff = _staff(community)
    if staff is None:
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    buildings = {b.name: b for b in community.buildings.all()}
    c = community

    svc.fund_collect_initial(actor=staff, community=c, on=dt.date(2008, 6, 30), rate=RATE,
                             note="首期归集（120元/平方米）", batch="demo-initial")
    # (building or the estate, day, share of its balance then, what it paid for): shares, so that a smaller 郡园
    # (the tests') can pay them too; on the real one 5号楼's lift comes to about 200,000 元.
    payments = {2013: ("5号楼", dt.date(2013, 8, 15), Decimal("0.28"), "5号楼电梯大修（往期）"),
                2018: (None, dt.date(2018, 7, 10), Decimal("0.006"), "小区雨污水管道改造（往期）"),
                2019: ("9号楼", dt.date(2019, 9, 20), Decimal("0.18"), "9号楼屋面防水翻新（往期）")}
    top_ups = {2014: [("5号楼", dt.date(2014, 5, 10))], 2016: [("3号楼", dt.date(2016, 5, 10)),
                                                               ("7号楼", dt.date(2016, 5, 12))]}
    for year in range(2009, 2026):
        if year in payments and (payments[year][0] is None or payments[year][0] in buildings):
            name, on, share, note = payments[year]
            building = buildings.get(name) if name else None
            held = fund_balance(community=c, building_id=building.pk if building else None, on=on)
            svc.fund_pay_past(actor=staff, community=c, on=on, total=(held * share).quantize(Decimal("1")), note=note,
                              building=building, batch=f"demo-pay-{year}")
        for name, on in top_ups.get(year, []):
            if name in buildings:
                svc.fund_top_up(actor=staff, community=c, on=on, rate=TOP_UP_RATE, building=buildings[name],
                                note=f"{name}续筹（30元/平方米）", batch=f"demo-topup-{name}")
        if year == 2022:  # the freeze starts before that year's interest: interest is still booked
            freeze = svc.fund_freeze(
                actor=staff, community=c, on=dt.date(2022, 6, 30),
                reason="第二届业委会被业主罢免、换届改选期间，原业委会的资料和印章未按规定移交房管办"
                       "（沪物业规定第二十九条），维修资金暂停使用。",
                conditions="新一届（第三届）业委会经镇政府备案，原业委会资料、印章移交完毕。")
        _interest(staff, c, year)
    svc.fund_unfreeze(actor=staff, freeze=freeze, on=dt.date(2025, 3, 10),
                      note="第三届业委会于2025年3月经罗店镇备案（取得备案证明和印章证明），原业委会资料、印章已移交房管办并转交新一届业委会。")

    # 12号楼's facade: a month ago; its balance falls below 30 % and the warning is a day old... and 29 more days.
    warning = None
    if "12号楼" in buildings:
        b = buildings["12号楼"]
        paid_on = today - dt.timedelta(days=31)
        first = sum(FundEntry.objects.filter(building=b, kind=FundEntry.Kind.INITIAL).values_list("amount", flat=True),
                    Decimal(0))
        amount = (fund_balance(community=c, building_id=b.pk, on=paid_on) - first * Decimal("0.26")).quantize(
            Decimal("1"))
        svc.fund_pay_past(actor=staff, community=c, on=paid_on, total=amount, building=b,
                          note="12号楼外墙空鼓、瓷砖脱落应急修缮", batch="demo-pay-12")
        svc.fund_warnings_raise(on=paid_on + dt.timedelta(days=1))
        warning = TopUpWarning.objects.filter(building=b, restored_on__isnull=True).first()

    published = []
    for start, at in ((dt.date(2025, 1, 1), dt.datetime(2025, 7, 5, 10, tzinfo=SHANGHAI)),
                      (dt.date(2025, 7, 1), dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI))):
        if at < now:
            statement, _created = svc.fund_statement_publish(actor=staff, community=c, period_start=start, now=at)
            published.append(statement.pk)
    return {"households": FundEntry.objects.filter(community=c, kind=FundEntry.Kind.INITIAL).count(),
            "balance": str(fund_balance(community=c)), "warning": warning.pk if warning else None,
            "statements": FundStatement.objects.filter(community=c).count()}
