"""Review fixes (rev2) of the owners' hub: what staff and the committee's director tripped over."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "talents"


def _owners_templates():
    yield from (TEMPLATES / "owners").glob("*.html")
    yield TEMPLATES / "owners_hub.html"
    yield from (TEMPLATES / "fragments").glob("owners_*.html")


def test_owners_templates_carry_no_inline_handlers():
    # The Content-Security-Policy blocks on…= handlers: the roster's 打印 button did nothing.
    offenders = [p.name for p in _owners_templates() if re.search(r"\son[a-z]+\s*=", p.read_text())]
    assert offenders == []


def test_decimal_sums_come_back_with_the_columns_places():
    # SQLite (make run) adds decimals as floats: the fund page read 18423628.480000006 元, the repair page
    # 2611.31000000000 m² and a tally 94166.83000000010 m². DecimalSum quantizes to the column's places.
    from decimal import Decimal

    from django.db.models import DecimalField

    from communities.sums import DecimalSum

    total = DecimalSum("amount", output_field=DecimalField(max_digits=14, decimal_places=2))
    assert str(total.convert_value(Decimal("18423628.480000006"), None, None)) == "18423628.48"
    assert str(total.convert_value(Decimal("2611.31000000000"), None, None)) == "2611.31"
    assert total.convert_value(None, None, None) is None

