"""COPY plumbing for the rota generator on PostgreSQL: rows streamed to the server while Python makes them.

The generator (``rota_generation``) hands this module a producer: a function that writes COPY text into two
feeds, first the shifts, then their assignments. The producer runs on a thread of its own while this thread
runs the two ``COPY … FROM STDIN`` statements on the generation's connection, inside its transaction; the
database parses and inserts the first chunks while Python is still picking who is on duty for the next ones,
so the two cores work at once. (The foreign keys are still checked at COMMIT: Django declares them deferred,
and making them immediate did not help, see the docs.) psycopg2 releases the GIL while it sends and
while it waits for the server, so the producer runs then.

It is all one transaction: a failure on either side fails the COPY (the producer's exception is the one
raised), and the caller's ``transaction.atomic`` rolls back everything, so there is never a partial series.
Measured (bench_rotas, a year of 200 rotas, 2-core machine shared with others): the producer's part is about
1.0 of the 2.8 CPU seconds of Python, against 4.9 s of PostgreSQL, so it is the most this can overlap; the
wall-time gain was within the noise of the shared machine. A test keeps it staffing exactly as bulk_create.
Figures and what else was tried: docs/benchmarks.md.
"""
import io
import queue
import threading
from collections.abc import Callable

END = object()  # the producer's last chunk of a feed
ABORT = object()  # the producer failed: fail the COPY instead of committing what was sent


class ProducerFailed(Exception):
    """Raised by a feed's read() so that psycopg2 ends the COPY with an error (the transaction then rolls back)."""


class Feed:
    """The file ``copy_expert`` reads from: chunks of COPY text put by the producer, until END (or ABORT)."""

    def __init__(self):
        self._queue = queue.SimpleQueue()
        self._closed = False  # the producer's side
        self._done = False  # the reader's side

    def write(self, text: str) -> None:
        self._queue.put(text)

    def close(self, *, failed: bool = False) -> None:
        """The end of this feed; a second call does nothing."""
        if not self._closed:
            self._closed = True
            self._queue.put(ABORT if failed else END)

    def read(self, size: int = -1) -> str:
        if self._done:
            return ""
        item = self._queue.get()
        if item is END or item is ABORT:
            self._done = True
            if item is ABORT:
                raise ProducerFailed
            return ""
        return item


def reserve_ids(cursor, table: str, n: int) -> list[int]:
    """n fresh ids from ``table``'s id sequence, in one query (not necessarily consecutive)."""
    # MATERIALIZED: the sequence is looked up once, not once per row (1.1 s instead of 0.1 s for 219,000 ids).
    cursor.execute("WITH q AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) "
                   "SELECT nextval(q.seq) FROM q, generate_series(1, %s)", [table, n])
    return [row[0] for row in cursor.fetchall()]


def copy_from(cursor, sql: str, source) -> None:
    """Run ``COPY … FROM STDIN`` reading ``source`` (a str or a file), through Django's cursor wrappers.

    The execute wrappers and the debug query log see it as one query, like any other statement, so query
    counts (tests, the benchmark) include the COPYs.
    """
    data = io.StringIO(source) if isinstance(source, str) else source

    def run(sql, params, many, context):
        with cursor.db.wrap_database_errors:
            return context["cursor"].cursor.copy_expert(sql, data)

    if hasattr(cursor, "debug_sql"):
        with cursor.debug_sql(sql):
            return cursor._execute_with_wrappers(sql, None, False, executor=run)
    return cursor._execute_with_wrappers(sql, None, False, executor=run)


def copy_streamed(cursor, *, first_sql: str, second_sql: str, produce: Callable[[Feed, Feed], object]):
    """Run two COPYs fed by ``produce(first, second)`` on a producer thread; returns what ``produce`` returned.

    ``produce`` must not touch the database (it runs on another thread, which would get another connection):
    it only turns rows already loaded into text. It closes ``first`` when done with it, so that its COPY
    ends while ``second`` is still being written; both are closed for it when it returns or raises.
    """
    first, second = Feed(), Feed()
    outcome: dict = {}

    def producer():
        try:
            outcome["value"] = produce(first, second)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            failed = "error" in outcome
            first.close(failed=failed)
            second.close(failed=failed)

    thread = threading.Thread(target=producer, name="rota-copy-producer", daemon=True)
    thread.start()
    try:
        copy_from(cursor, first_sql, first)
        copy_from(cursor, second_sql, second)
    except BaseException:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]  # the cause; the COPY only failed because of it
        raise
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
