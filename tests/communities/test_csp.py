"""Every HTML page carries a strict Content-Security-Policy, and no template breaks it.

The policy forbids inline scripts, inline styles and ``on…=`` handlers: a template that used one would
lose its behaviour or look in every browser. The browser tests (tests/e2e/conftest.py) also fail on any
CSP violation Chromium reports on a page they open.
"""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from communities.models import Role
from tests.factories import CommunityFactory, make_member

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "on…= handler"),
]
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def test_policy_is_strict():
    policy = settings.CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_html_pages_carry_the_policy(client, signed_in):
    if signed_in:
        client.force_login(make_member(CommunityFactory(), Role.RESIDENT))
        response = client.get(reverse("home"))
    else:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_error_pages_carry_the_policy_and_other_responses_do_not_need_it(client):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert missing["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    health = client.get("/healthz")
    assert "html" not in health.get("Content-Type", "")
    assert "Content-Security-Policy" not in health


def test_no_template_relies_on_inline_code_or_styles():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            source = COMMENTS.sub("", path.read_text(encoding="utf-8"))
            for pattern, what in INLINE:
                for match in pattern.finditer(source):
                    line = source.count("\n", 0, match.start()) + 1
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_catches_what_it_looks_for():
    samples = ["<script>alert(1)</script>", "<style>p{}</style>", '<p style="color:red">', '<a onclick="x()">']
    for sample, (pattern, _what) in zip(samples, INLINE):
        assert pattern.search(sample)
    assert not INLINE[0][0].search('<script src="/static/x.js"></script>')


def _form_classes():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    for package in ("communities.forms", "landlords.forms", "talents.forms", "propertyservice.forms"):
        try:
            root = importlib.import_module(package)
        except ModuleNotFoundError:
            continue
        names = [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules(getattr(root, "__path__", []))]
        for name in names:
            for _n, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
                if issubclass(cls, forms.BaseForm) and hasattr(cls, "base_fields"):
                    yield cls


def test_no_form_widget_carries_an_inline_style_or_handler():
    """A widget's ``attrs`` reach the page as attributes: ``style`` there is refused by the policy like one in a
    template (the routing page's hour fields did it, 20 CSP errors in the crawl)."""
    offenders = []
    for cls in _form_classes():
        for field_name, field in cls.base_fields.items():
            for attr in field.widget.attrs:
                if attr == "style" or attr.startswith("on"):
                    offenders.append(f"{cls.__module__}.{cls.__name__}.{field_name}: {attr}")
    assert list(_form_classes()), "the scan found no form at all"
    assert not offenders, "\n".join(offenders)
