"""``DecimalSum``: ``Sum`` of a decimal column that comes back with the column's decimal places.

SQLite (the demo's ``make run`` database) adds decimals as floats and Django returns an aggregate with 15
significant digits, so a fund balance read ``18423628.480000006`` and an area ``2611.31000000000`` on the
pages. PostgreSQL already returns the exact scale; there this quantize changes nothing."""
from decimal import Decimal

from django.db.models import Sum


class DecimalSum(Sum):
    def convert_value(self, value, expression, connection):
        if value is None:
            return value
        places = getattr(self.output_field, "decimal_places", None)
        if places is None:
            return value
        return Decimal(value).quantize(Decimal(1).scaleb(-places))
