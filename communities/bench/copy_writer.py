"""Rows for PostgreSQL ``COPY … FROM STDIN`` in text format, built from a model's own field list: the
bench_town generator's writer (``town.py``). A column the caller does not give gets its field's default;
a required column without one stops the writer with its name."""
import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.db import models as dj

FLUSH_BYTES = 8 * 1024 * 1024


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Table:
    """Rows of one model's table, in COPY text format, flushed to PostgreSQL every few MB."""

    def __init__(self, cursor, model, columns: list[str]):
        self.cursor, self.model, self.count = cursor, model, 0
        self.name = model._meta.db_table
        concrete = [f for f in model._meta.concrete_fields]
        by_column = {f.column: f for f in concrete}
        unknown = set(columns) - set(by_column)
        if unknown:
            raise ValueError(f"{self.name}: no column {sorted(unknown)}")
        self.columns = [f.column for f in concrete]
        self.slots = []  # for each table column: index into the given values, or a constant text
        for f in concrete:
            if f.column in columns:
                self.slots.append(columns.index(f.column))
            else:
                self.slots.append(_text(self._default(f)))
        self.buf = io.StringIO()

    def _default(self, f):
        if f.has_default():
            return f.get_default()
        if f.null:
            return None
        if isinstance(f, (dj.CharField, dj.TextField)):
            return ""
        raise ValueError(f"{self.name}.{f.column} is required and has no default: the bench generator must set it")

    def add(self, *values) -> None:
        self.buf.write("\t".join(_text(values[s]) if type(s) is int else s for s in self.slots))
        self.buf.write("\n")
        self.count += 1
        if self.buf.tell() > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.buf.tell():
            return
        self.buf.seek(0)
        self.cursor.copy_expert(f'COPY "{self.name}" ({", ".join(chr(34) + c + chr(34) for c in self.columns)}) '
                                f"FROM STDIN", self.buf)
        self.buf = io.StringIO()
