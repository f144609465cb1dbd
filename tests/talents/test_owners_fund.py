"""The maintenance fund's services (issue 15, item 6): bookings on hand-computed ledgers, the interest split to
the cent, freezes, statements frozen after later bookings, the 30 % threshold and both 90-day clocks, the beat
task run twice. The estate is ``owners_world``'s: 1号楼 800 m² (eight households), 2号楼 300 m² (two)."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import AuditEvent, Notification, Unit
from communities.services.errors import DomainError
from talents.models import FundEntry, FundStatement, RepairProject, Scope, TopUpWarning
from talents.selectors import owners_fund as sel
from talents.selectors.owners_fund_core import fund_balance, half_year_ended_before
from talents.services import owners_fund as svc

from .owners_world import NOW, estate, other_estate, owners, staff, staff2, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal
COLLECTED = dt.date(2025, 3, 1)


def _collect(estate, staff, rate="100"):
    return svc.fund_collect_initial(actor=staff, community=estate.community, on=COLLECTED, rate=D(rate))


def _balances(estate):
    lines = {h.unit.pk: h.balance for h in sel.households(
        community=estate.community, units=Unit.objects.filter(building__community=estate.community))}
    return {key: lines[unit.pk] for key, unit in estate.units.items()}


def test_the_first_collection_at_a_rate_per_square_metre_is_one_row_per_household(estate, staff):
    rows = _collect(estate, staff)
    assert len(rows) == 10
    assert fund_balance(community=estate.community) == D("110000.00")  # 1,100 m² × 100 元
    lines = {line.building.name: line for line in sel.buildings_ledger(community=estate.community)}
    assert (lines["1号楼"].initial, lines["2号楼"].initial) == (D("80000.00"), D("30000.00"))
    assert AuditEvent.objects.filter(action="talents.fund.initial", community=estate.community).count() == 1


def test_the_first_collection_is_booked_once_and_a_double_submission_books_nothing_twice(estate, staff):
    first = svc.fund_collect_initial(actor=staff, community=estate.community, on=COLLECTED, rate=D("100"),
                                     batch="form-1")
    again = svc.fund_collect_initial(actor=staff, community=estate.community, on=COLLECTED, rate=D("100"),
                                     batch="form-1")
    assert {r.pk for r in again} == {r.pk for r in first}
    with pytest.raises(DomainError) as exc:
        svc.fund_collect_initial(actor=staff, community=estate.community, on=COLLECTED, rate=D("100"), batch="form-2")
    assert exc.value.code == "twice"
    assert FundEntry.objects.count() == 10


def test_a_hand_computed_ledger_of_every_kind(estate, staff):
    _collect(estate, staff)
    svc.fund_top_up(actor=staff, community=estate.community, on=dt.date(2025, 4, 1),
                    amounts=[(estate.unit("1号楼", "101"), D("500"))])
    project = RepairProject.objects.create(community=estate.community, title="1单元屋面渗漏", kind="leak",
                                           scope=Scope.ENTRANCE, building=estate.buildings["1号楼"], entrance="1单元",
                                           created_by=staff)
    svc.fund_pay_project(actor=staff, project=project, amount=D("400"), on=dt.date(2025, 5, 1))
    svc.fund_refund(actor=staff, unit=estate.unit("2号楼", "102"), amount=D("1000"), on=dt.date(2025, 5, 2))
    assert _balances(estate) == {
        ("1号楼", "101"): D("10400.00"), ("1号楼", "102"): D("7920.00"), ("1号楼", "201"): D("11880.00"),
        ("1号楼", "202"): D("9900.00"), ("1号楼", "103"): D("9000.00"), ("1号楼", "104"): D("11000.00"),
        ("1号楼", "203"): D("9500.00"), ("1号楼", "204"): D("10500.00"), ("2号楼", "101"): D("15000.00"),
        ("2号楼", "102"): D("14000.00")}
    totals = sel.totals_of(sel.buildings_ledger(community=estate.community))
    assert (totals["initial"], totals["topup"], totals["payment"], totals["refund"], totals["balance"]) == (
        D("110000.00"), D("500.00"), D("-400.00"), D("-1000.00"), D("109100.00"))
    payments = sel.payments_by_project(community=estate.community)
    assert [(p["project_id"], p["amount"]) for p in payments] == [(project.pk, D("400.00"))]


def test_interest_is_split_by_balance_and_adds_up_to_the_cent(estate, staff):
    _collect(estate, staff)  # balances proportional to area: 100 元 over 1,100 m²
    rows = svc.fund_book_interest(actor=staff, community=estate.community, on=dt.date(2025, 3, 2), total=D("100.00"))
    got = {(r.unit.building.name, r.unit.room): r.amount for r in rows}
    # rounded down: 99.96; the four cents go to the largest remainders: 201 (.0091), then 203, 2号楼101, 2号楼102
    # (.0064 each, by id)
    assert got == {("1号楼", "101"): D("9.09"), ("1号楼", "102"): D("7.27"), ("1号楼", "201"): D("10.91"),
                   ("1号楼", "202"): D("9.09"), ("1号楼", "103"): D("8.18"), ("1号楼", "104"): D("10.00"),
                   ("1号楼", "203"): D("8.64"), ("1号楼", "204"): D("9.54"), ("2号楼", "101"): D("13.64"),
                   ("2号楼", "102"): D("13.64")}
    assert sum(got.values()) == D("100.00")


@pytest.mark.parametrize("kwargs,code", [
    ({"rate": D("-1")}, "amount"),
    ({"rate": D("0")}, "amount"),
    ({"amounts": []}, "empty"),
])
def test_bad_bookings_are_refused_and_write_nothing(estate, staff, kwargs, code):
    with pytest.raises(DomainError) as exc:
        svc.fund_collect_initial(actor=staff, community=estate.community, on=COLLECTED, **kwargs)
    assert exc.value.code == code
    assert not FundEntry.objects.exists()


def test_a_zero_or_negative_household_amount_a_unit_of_another_estate_and_a_non_staff_are_refused(
        estate, other_estate, staff, owners):
    c = estate.community
    for amounts, code in (([(estate.unit("1号楼", "101"), D("0"))], "amount"),
                          ([(estate.unit("1号楼", "101"), D("-5"))], "amount"),
                          ([(other_estate.unit("1号楼", "101"), D("5"))], "unit")):
        with pytest.raises(DomainError) as exc:
            svc.fund_top_up(actor=staff, community=c, on=COLLECTED, amounts=amounts)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        svc.fund_top_up(actor=owners["a"], community=c, on=COLLECTED, amounts=[(estate.unit("1号楼", "101"), D("5"))])
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        svc.fund_book_interest(actor=staff, community=c, on=COLLECTED, total=D("0"))
    assert exc.value.code == "amount"
    assert not FundEntry.objects.exists()


def test_a_refund_beyond_the_household_balance_is_refused(estate, staff):
    _collect(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.fund_refund(actor=staff, unit=estate.unit("1号楼", "102"), amount=D("8000.01"), on=dt.date(2025, 5, 1))
    assert exc.value.code == "balance"


def test_a_freeze_refuses_bookings_on_its_days_but_interest_and_lifting_needs_a_note(estate, staff):
    c = estate.community
    _collect(estate, staff)
    freeze = svc.fund_freeze(actor=staff, community=c, reason="换届期间资料、印章移交", conditions="新一届业委会备案",
                             on=dt.date(2025, 4, 1))
    assert svc.fund_freeze(actor=staff, community=c, reason="换届期间资料、印章移交", conditions="x",
                           on=dt.date(2025, 4, 1)).pk == freeze.pk  # sent twice
    top_up = dict(actor=staff, community=c, amounts=[(estate.unit("1号楼", "101"), D("10"))])
    with pytest.raises(DomainError) as exc:
        svc.fund_top_up(on=dt.date(2025, 4, 2), **top_up)
    assert exc.value.code == "frozen"
    assert svc.fund_book_interest(actor=staff, community=c, on=dt.date(2025, 4, 2), total=D("1.00"))
    with pytest.raises(DomainError) as exc:
        svc.fund_unfreeze(actor=staff, freeze=freeze, on=dt.date(2025, 5, 1), note="  ")
    assert exc.value.code == "note"
    freeze.refresh_from_db()
    assert freeze.lifted_on is None
    with pytest.raises(DomainError):
        svc.fund_unfreeze(actor=staff, freeze=freeze, on=dt.date(2025, 3, 31), note="已备案")
    svc.fund_unfreeze(actor=staff, freeze=freeze, on=dt.date(2025, 5, 1), note="第三届业委会已备案，资料印章已移交")
    freeze.refresh_from_db()
    assert (freeze.lifted_on, freeze.lifted_by) == (dt.date(2025, 5, 1), staff)
    assert svc.fund_top_up(on=dt.date(2025, 5, 1), **top_up)  # the day it is lifted the fund is free
    with pytest.raises(DomainError):
        svc.fund_top_up(on=dt.date(2025, 4, 30), **top_up)  # still a frozen day, even after the lifting


def test_the_statement_is_frozen_and_later_bookings_never_change_it(estate, staff):
    c = estate.community
    _collect(estate, staff)
    svc.fund_top_up(actor=staff, community=c, on=dt.date(2025, 8, 1), amounts=[(estate.unit("2号楼", "101"), D("300"))])
    with pytest.raises(DomainError) as exc:  # the half-year has not ended on NOW's day for 2026-H1
        svc.fund_statement_publish(actor=staff, community=c, period_start=dt.date(2026, 1, 1), now=NOW)
    assert exc.value.code == "period"
    statement, created = svc.fund_statement_publish(actor=staff, community=c, period_start=dt.date(2025, 7, 1),
                                                    now=NOW)
    assert created and statement.period_end == dt.date(2025, 12, 31)
    snap = statement.snapshot
    assert (snap["totals"]["opening"], snap["totals"]["topup"], snap["totals"]["closing"]) == (
        "110000.00", "300.00", "110300.00")
    assert [b["building"] for b in snap["buildings"]] == ["1号楼", "2号楼"]
    svc.fund_top_up(actor=staff, community=c, on=dt.date(2026, 2, 1), amounts=[(estate.unit("2号楼", "101"), D("50"))])
    with pytest.raises(DomainError) as exc:  # backdating into the published half-year
        svc.fund_top_up(actor=staff, community=c, on=dt.date(2025, 9, 1),
                        amounts=[(estate.unit("2号楼", "101"), D("50"))])
    assert exc.value.code == "published"
    again, created = svc.fund_statement_publish(actor=staff, community=c, period_start=dt.date(2025, 7, 1), now=NOW)
    assert not created and again.pk == statement.pk
    again.refresh_from_db()
    assert again.snapshot == snap


def test_the_beat_publishes_the_half_year_just_ended_once(estate, staff):
    _collect(estate, staff)
    july_first = dt.datetime(2025, 7, 1, 1, 0, tzinfo=NOW.tzinfo)
    assert half_year_ended_before(july_first.date()) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert len(svc.fund_statements_publish_due(now=july_first)) == 1
    assert svc.fund_statements_publish_due(now=july_first) == []
    assert svc.fund_statements_publish_due(now=july_first + dt.timedelta(days=3)) == []
    assert FundStatement.objects.get().published_by is None


def _pay_building_2(estate, staff, amount):
    project = RepairProject.objects.create(community=estate.community, title="2号楼外墙", kind="facade",
                                           scope=Scope.BUILDING, building=estate.buildings["2号楼"], created_by=staff)
    svc.fund_pay_project(actor=staff, project=project, amount=D(amount), on=dt.date(2025, 6, 1))


def test_exactly_30_percent_is_not_below_and_a_cent_less_raises_one_warning(estate, staff, staff2):
    _collect(estate, staff)  # 2号楼: 30,000.00 collected
    _pay_building_2(estate, staff, "21000.00")  # 9,000.00 left: exactly 30 %
    assert svc.fund_warnings_raise(on=dt.date(2025, 6, 2)) == []
    _pay_building_2(estate, staff, "0.01")  # 8,999.99: below
    raised = svc.fund_warnings_raise(on=dt.date(2025, 6, 3))
    assert [(w.building.name, w.balance, w.ratio) for w in raised] == [("2号楼", D("8999.99"), D("0.3000"))]
    assert svc.fund_warnings_raise(on=dt.date(2025, 6, 4)) == []  # one open warning per building
    assert TopUpWarning.objects.count() == 1
    assert Notification.objects.filter(recipient__in=[staff, staff2]).count() == 2


def test_a_warning_closes_when_the_building_is_back_to_50_percent(estate, staff):
    _collect(estate, staff)
    _pay_building_2(estate, staff, "25000.00")  # 5,000.00 left
    svc.fund_warnings_raise(on=dt.date(2025, 6, 2))
    svc.fund_top_up(actor=staff, community=estate.community, on=dt.date(2025, 8, 1), building=estate.buildings["2号楼"],
                    rate=D("33.33"))  # 300 m² × 33.33 = 9,999.00: 14,999.00, below 50 %
    svc.fund_warnings_raise(on=dt.date(2025, 8, 2))
    assert TopUpWarning.objects.get().restored_on is None
    svc.fund_top_up(actor=staff, community=estate.community, on=dt.date(2025, 8, 3),
                    amounts=[(estate.unit("2号楼", "101"), D("1.00"))])  # 15,000.00: 50 %
    svc.fund_warnings_raise(on=dt.date(2025, 8, 4))
    assert TopUpWarning.objects.get().restored_on == dt.date(2025, 8, 4)


def _warning(estate, raised_on, **kw):
    return TopUpWarning.objects.create(community=estate.community, building=estate.buildings["2号楼"],
                                       raised_on=raised_on, balance=D("1"), first_collection=D("10"),
                                       ratio=D("0.1"), **kw)


def test_the_decision_clock_runs_90_days_from_the_warning(estate):
    decide, pay = sel.warning_clocks(_warning(estate, dt.date(2026, 1, 15)), NOW.date())
    assert (decide.due, decide.days_left, decide.state) == (dt.date(2026, 4, 15), 36, "running")
    assert pay.state == "waiting" and pay.due is None


def test_the_decision_clock_across_month_ends_is_overdue(estate):
    decide, _pay = sel.warning_clocks(_warning(estate, dt.date(2025, 11, 30)), NOW.date())
    assert (decide.due, decide.state, decide.days_overdue) == (dt.date(2026, 2, 28), "overdue", 10)


def test_the_payment_clock_runs_90_days_from_the_bank_notices(estate, staff):
    warning = _warning(estate, dt.date(2025, 11, 1))
    warning = svc.fund_warning_notices_sent(actor=staff, warning=warning, on=dt.date(2026, 1, 31))
    decide, pay = sel.warning_clocks(warning, NOW.date())
    assert decide.state == "overdue"  # 2026-01-30: nobody decided, hence the notices
    assert (pay.due, pay.days_left, pay.state) == (dt.date(2026, 5, 1), 52, "running")
    assert svc.fund_warning_notices_sent(actor=staff, warning=warning, on=dt.date(2026, 2, 5)).notices_sent_on == \
        dt.date(2026, 1, 31)  # recorded once
    with pytest.raises(DomainError):
        svc.fund_warning_decided(actor=staff, warning=warning, on=dt.date(2025, 10, 1))  # before the warning


def test_the_daily_task_is_idempotent(estate, staff, monkeypatch):
    from django.utils import timezone

    from talents.tasks import fund_daily

    _collect(estate, staff)
    _pay_building_2(estate, staff, "25000.00")
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    fund_daily()
    fund_daily()
    assert TopUpWarning.objects.filter(restored_on__isnull=True).count() == 1
    assert FundStatement.objects.filter(period_start=dt.date(2025, 7, 1)).count() == 1
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_a_past_payment_without_a_project_is_split_by_area_and_needs_a_note(estate, staff):
    _collect(estate, staff)
    kw = dict(actor=staff, community=estate.community, on=dt.date(2025, 6, 1), building=estate.buildings["2号楼"])
    with pytest.raises(DomainError) as exc:
        svc.fund_pay_past(total=D("500"), note=" ", **kw)
    assert exc.value.code == "note"
    with pytest.raises(DomainError) as exc:
        svc.fund_pay_past(total=D("30000.01"), note="2号楼水泵", **kw)
    assert exc.value.code == "balance"
    rows = svc.fund_pay_past(total=D("500.01"), note="2号楼水泵", **kw)
    assert sorted(r.amount for r in rows) == [D("-250.01"), D("-250.00")]
    assert [p["title"] for p in sel.payments_by_project(community=estate.community)] == ["2号楼水泵"]
