"""The catalogues are complete, and with English switched on our own pages speak English.

Compile the catalogues first (`.venv/bin/python scripts/compile_messages.py`): the pages are rendered
from the .mo files, and one test below fails with that hint when a .mo is older than its .po.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("zh_Hans", "en")}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
CJK = re.compile(r"[\u4e00-\u9fff]+")


def entries(lang):
    return [e for e in polib.pofile(str(CATALOGUES[lang])) if not e.obsolete]


def translations_of(entry):
    """(source, translation) pairs: one for a plain entry, one per plural form otherwise."""
    if entry.msgid_plural:
        return [(entry.msgid if i == 0 else entry.msgid_plural, s) for i, s in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


# --- The catalogues ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", CATALOGUES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    assert entries(lang), f"{lang} catalogue is empty"
    untranslated = [e.msgid for e in entries(lang) if not e.translated()]
    fuzzy = [e.msgid for e in entries(lang) if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {lang}: {untranslated}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy}"


def test_english_header():
    po = polib.pofile(str(CATALOGUES["en"]))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert all(len(e.msgstr_plural) == 2 for e in entries("en") if e.msgid_plural)


@pytest.mark.parametrize("lang", CATALOGUES)
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for entry in entries(lang):
        for source, text in translations_of(entry):
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                wrong.append((source, text))
            elif "python-format" in entry.flags:
                try:  # a stray % or a broken %(name) would raise here, as it would at run time
                    text % {name: 1 for name in PLACEHOLDER.findall(source)}
                except (KeyError, ValueError, TypeError) as exc:
                    wrong.append((source, text, repr(exc)))
    assert not wrong, f"placeholders differ in {lang}: {wrong}"


def test_english_translations_contain_no_chinese():
    chinese = [(source, text) for e in entries("en") for source, text in translations_of(e) if CJK.search(text)]
    assert not chinese, chinese


@pytest.mark.parametrize("lang", CATALOGUES)
def test_compiled_catalogue_matches_the_po(lang):
    po_path = CATALOGUES[lang]
    mo_path = po_path.with_suffix(".mo")
    hint = "run .venv/bin/python scripts/compile_messages.py"
    assert mo_path.exists(), f"{mo_path} is missing: {hint}"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    stale = [e.msgid for e in entries(lang)
             if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural if e.msgid_plural else {})]
    assert not stale, f"{mo_path.name} is out of date ({hint}): {stale[:5]}"


# --- The pages -------------------------------------------------------------------------------------


class _MainText(HTMLParser):
    """Collects the text (and the readable attributes) inside <main>."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.found = False
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.found = True
            self.depth += 1
        elif self.depth:
            self.parts.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag == "main" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def main_text(response):
    assert response.status_code == 200
    parser = _MainText()
    parser.feed(response.content.decode())
    assert parser.found, "the page has no <main> element"
    return " ".join(" ".join(parser.parts).split())


def chinese_left(text, data=()):
    """CJK runs of `text` once the given data strings (names of people and places) are removed."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return CJK.findall(text)


def switch_to_english(client, how):
    if how == "setlang":
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    elif how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    else:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(message):
    with translation.override("en"):
        return translation.gettext(message)


def test_the_login_page_is_chinese_by_default(client, db):
    text = main_text(client.get(reverse("accounts:login")))
    assert "登录" in text and "还没有账号？" in text


@pytest.mark.parametrize("how", ["setlang", "cookie", "accept-language"])
def test_the_login_page_in_english(client, db, how):
    switch_to_english(client, how)
    response = client.get(reverse("accounts:login"))
    text = main_text(response)
    assert "Sign in" in text
    assert "No account yet?" in text and "Register as a resident" in text
    assert "Mobile number or user name" in text and "Password" in text  # our label and Django's own
    assert chinese_left(text) == []
    page = response.content.decode()
    assert '<html lang="en">' in page
    # Outside <main> too, only the language names of the switcher stay in Chinese.
    assert set(chinese_left(page)) <= {"简体中文"}


@pytest.fixture
def resident_home_in_english(client, resident):
    def get(how):
        client.force_login(resident)
        switch_to_english(client, how)
        return main_text(client.get(reverse("home")))
    return get


@pytest.mark.parametrize("how", ["setlang", "accept-language"])
def test_a_residents_home_page_has_english_headings(resident_home_in_english, building, how):
    text = resident_home_in_english(how)
    assert "Hello, 王阿姨" in text
    assert "Resident" in text  # the role label
    assert "My home" in text and f"{building.name} 301" in text
    assert "What you can do" in text
    assert "Messages" in text and "Notifications and reminders" in text
    assert "My account" in text and "Password, language and Elder mode" in text


def test_a_residents_home_page_has_no_chinese_but_data(resident_home_in_english, resident, community, building):
    text = resident_home_in_english("setlang")
    left = chinese_left(text, data=[resident.display_name(), community.name, building.name])
    assert left == [], (f"Chinese left in <main> of the English home page: {left}. Strings missing from "
                        "locale/en? Run makemessages, then translate the new entries.")


def test_english_strings_come_from_the_catalogue():
    """The headings asserted above are the catalogue's translations, not text typed into templates."""
    assert english("登录") == "Sign in"
    assert english("我能做的事") == "What you can do"
    assert english("长辈模式") == "Elder mode"
    assert english("二房东") == "Sublandlord"
    assert english("注册审核") == "Registration review"
