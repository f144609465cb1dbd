"""Review fixes (rev2) of the owners' hub: what staff and the committee's director tripped over."""
import re
from pathlib import Path

import pytest

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



def test_a_refused_form_says_its_file_was_not_kept():
    # The committee's decision form, the filing, the company's contract, window document and fee change dropped
    # the chosen file on an error without a word: the user thought it was attached.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talents.forms.file_kept import FILE_NOT_KEPT
    from talents.forms.owners_committee import DecisionForm

    pdf = SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    form = DecisionForm(data={"title": "", "text": "x"}, files={"file": pdf})
    assert not form.is_valid()
    assert str(FILE_NOT_KEPT) in form.errors["file"]
    assert "file" not in DecisionForm(data={"title": "", "text": "x"}).errors
