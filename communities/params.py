"""Ids from a URL's query string, checked once: a value that is not a whole number a database id can hold
is no id at all (never a 500 from the database's integer range)."""
MAX_ID = 2**31 - 1  # PostgreSQL ``integer``, the type of every primary key here


def int_id(value) -> int | None:
    """``value`` as an id (1 … 2³¹−1), or None."""
    value = (value or "").strip() if isinstance(value, str) else value
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
