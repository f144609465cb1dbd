"""The fund's figures to the cent on the database `make run` uses. SQLite sums a DecimalField as a float and
Django returns the aggregate with 15 significant digits, so the hub card read ``18423628.4800000`` and the fund
page's ledger ``779966.610000001`` on the demo. PostgreSQL (this suite's database) answers exact cents, so the
fixture below makes its aggregates come back the way SQLite's do; the pages must still show cents."""
import datetime as dt
import decimal
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.expressions import Col

from talents.services import owners_fund as svc

from .owners_world import NOW, estate, frozen, owners, staff  # noqa: F401

pytestmark = pytest.mark.django_db
FLOAT_TAIL = re.compile(r"\d\.\d{3,}")  # more than two decimals on a money figure


@pytest.fixture
def sqlite_sums(monkeypatch):
    """Aggregates of a DecimalField as SQLite's backend returns them (django.db.backends.sqlite3.operations:
    ``Context(prec=15).create_decimal_from_float`` for anything that is not a plain column)."""
    original = connection.ops.get_db_converters
    to_15_digits = decimal.Context(prec=15).create_decimal_from_float

    def converters(expression):
        found = list(original(expression))
        field = getattr(expression, "output_field", None)
        if field is not None and field.get_internal_type() == "DecimalField" and not isinstance(expression, Col):
            found.append(lambda value, e, c: None if value is None else to_15_digits(float(value)))
        return found

    monkeypatch.setattr(connection.ops, "get_db_converters", converters)


@pytest.fixture
def ledger(estate, staff):
    svc.fund_collect_initial(actor=staff, community=estate.community, on=dt.date(2025, 3, 1), rate=Decimal("100"))
    return estate


def test_the_hub_card_and_the_fund_page_show_cents_when_the_database_sums_in_floats(
        client, ledger, owners, sqlite_sums, frozen):
    client.force_login(owners["a"])
    hub = client.get(f"/talents/owners/?community={ledger.community.slug}").content.decode()
    assert 'data-testid="hub-fund-balance">110000.00<' in hub
    page = client.get(f"/talents/owners/fund/?community={ledger.community.slug}").content.decode()
    assert 'data-testid="fund-balance">110000.00<' in page
    assert not FLOAT_TAIL.search(re.sub(r"\d{4}-\d{2}-\d{2}", "", page.split("<main", 1)[-1].split("</main>")[0]))


def test_a_balance_is_exact_cents_whatever_the_database(ledger, sqlite_sums):
    from talents.selectors.owners_fund_core import fund_balance

    balance = fund_balance(community=ledger.community)
    assert balance == Decimal("110000.00") and str(balance) == "110000.00"
