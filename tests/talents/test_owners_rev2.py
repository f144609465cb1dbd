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
