"""One ordering rule for the names people number: 1号楼, 2号楼 … 10号楼; 丁钱1排 before 丁钱10排; room 201
before 1001. Everywhere a list of buildings, rooms, village groups or public places is shown, sorted or exported.

- In the database: ``Natural("name")`` (an expression for ``order_by`` and ``Meta.ordering``), the SQL function
  ``natural_key(text)``: created by migration 0017 on PostgreSQL, registered on every SQLite connection below.
- In Python: ``natural_key(text)``, the same key, for lists already in memory.
- People's names: ``name_key(name)`` sorts Chinese names by their pinyin (陈 chen before 朱 zhu), the way a
  Chinese reader expects a list of people, where the code points would order them at random.

The key pads every run of digits to twelve places, so text comparison orders the numbers by value.
"""
import re
import unicodedata

from django.db.models import Func, TextField

PAD = 12
_DIGITS = re.compile(r"\d+")


def natural_key(text) -> str:
    """``"2号楼"`` → ``"000000000002号楼"``: sorts before ``"10号楼"``. Full-width digits count as digits."""
    plain = unicodedata.normalize("NFKC", str(text or ""))
    return _DIGITS.sub(lambda match: match.group(0).zfill(PAD), plain)


def name_key(name) -> tuple:
    """``"陈师傅"`` → ``("chen shi fu", "陈师傅")``: pinyin first (tones ignored, digits natural), the name itself
    to keep two names of the same pinyin apart and in a stable order."""
    from pypinyin import Style, lazy_pinyin  # only where names are sorted, not at every import of this module

    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    spelled = " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).lower()
    return natural_key(spelled), text


class Natural(Func):
    """``ORDER BY natural_key(field)``."""
    function = "natural_key"
    output_field = TextField()


# PostgreSQL's version of natural_key (migration 0017): split into runs of digits and of other characters, pad
# the digit runs; the same key as the Python function for ASCII digits (full-width ones are not seen as digits
# here, which matters only for names typed with them).
POSTGRES_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION natural_key(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(CASE WHEN r.m[1] ~ '^[0-9]' AND length(r.m[1]) < {PAD}
                                  THEN lpad(r.m[1], {PAD}, '0') ELSE r.m[1] END, '' ORDER BY r.ord), '')
  FROM regexp_matches(coalesce(t, ''), '([0-9]+|[^0-9]+)', 'g') WITH ORDINALITY AS r(m, ord)
$$;
"""


def register_on_sqlite(sender, connection, **kwargs):
    """``connection_created``: give each SQLite connection the natural_key function (make run's database)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("natural_key", 1, natural_key, deterministic=True)
