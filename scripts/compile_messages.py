"""Compile every committed .po file under locale/ to .mo (pure Python, no gettext needed)."""
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    count = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
        untranslated = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        note = f", {untranslated} untranslated" if untranslated else ""
        print(f"compiled {po_path.relative_to(ROOT)} ({po.percent_translated()}% translated{note})")
    if not count:
        print("no .po files under locale/")


if __name__ == "__main__":
    main()
