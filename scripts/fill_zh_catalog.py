"""Source strings are written in Chinese, so the zh_Hans catalogue translates each to itself.

Fills every empty or fuzzy zh_Hans entry with its msgid (plural forms too) after makemessages,
so the Chinese interface never falls back and the catalogue reports 100 % translated.
"""
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> None:
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            # The "#| msgid" hint of a fuzzy match is meaningless once filled, and a stray
            # "#| msgctxt" without its msgid makes the next msgmerge fail.
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
        if entry.msgid_plural:
            if not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid}  # Chinese has one plural form
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    po.metadata_is_fuzzy = False
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.save()
    print(f"zh_Hans: filled {filled} entries")


if __name__ == "__main__":
    main()
