"""The scratch PostgreSQL databases of the benchmark commands (bench_town, bench_rotas, bench_rooms, bench_seats).

A benchmark only ever creates, reuses or drops a database on this machine that it made itself: each
database it creates carries a marker comment naming the tool, and anything without that marker is refused.
"""
import environ
from django.conf import settings
from django.core.management.base import CommandError

LOOPBACK = {"", "localhost", "::1", "[::1]"}


def marker_for(tool: str) -> str:
    return f"{tool} scratch database (safe to drop)"


def parse_scratch_url(url: str, *, tool: str) -> dict:
    """The database settings of ``url``, refused unless PostgreSQL on this machine and not the project's own."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise CommandError(f"{tool} runs on PostgreSQL only, not {config['ENGINE']} (got {url!r}).")
    host = str(config.get("HOST") or "")
    if not (host in LOOPBACK or host.startswith(("127.", "/"))):
        raise CommandError(f"{tool} only talks to a database on this machine (127.0.0.1, localhost, ::1).")
    if not config.get("NAME"):
        raise CommandError("The database URL must name the scratch database.")
    default = settings.DATABASES["default"]
    if default.get("NAME") == config["NAME"] and str(default.get("PORT") or "") == str(config.get("PORT") or ""):
        raise CommandError("Refusing to use the project's own database as the scratch database.")
    return config


def connect(db: dict, name: str | None = None, *, autocommit: bool = False):
    import psycopg2

    conn = psycopg2.connect(dbname=name or db["NAME"], user=db.get("USER") or None,
                            password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
                            port=db.get("PORT") or None)
    conn.autocommit = autocommit
    return conn


def marker_of(cur, name: str):
    """(comment,) of database ``name``, or None if there is no such database."""
    cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    return cur.fetchone()


def scratch_exists(db: dict, *, tool: str) -> bool:
    """Whether the scratch database exists; refuses one this tool did not make."""
    admin = connect(db, "postgres", autocommit=True)
    try:
        with admin.cursor() as cur:
            row = marker_of(cur, db["NAME"])
    finally:
        admin.close()
    if row is not None and row[0] != marker_for(tool):
        raise CommandError(f"Database {db['NAME']!r} exists and was not made by {tool}: refusing to touch it.")
    return row is not None


def scratch_create(db: dict, *, tool: str) -> None:
    """Create the scratch database afresh (dropping an earlier one this tool made)."""
    exists = scratch_exists(db, tool=tool)
    name = db["NAME"]
    admin = connect(db, "postgres", autocommit=True)
    try:
        with admin.cursor() as cur:
            if exists:
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
            cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker_for(tool)}'")
    finally:
        admin.close()


def scratch_drop(db: dict, *, tool: str) -> bool:
    """Drop the scratch database if this tool made it; True if dropped."""
    admin = connect(db, "postgres", autocommit=True)
    try:
        with admin.cursor() as cur:
            row = marker_of(cur, db["NAME"])
            if row is None or row[0] != marker_for(tool):
                return False
            cur.execute(f'DROP DATABASE "{db["NAME"]}" WITH (FORCE)')
            return True
    finally:
        admin.close()


def run_pages_bench(*, tool: str, database_url: str, inner_args: list[str], keep: bool, write) -> None:
    """The outer half of a benchmark that fires requests at the pages (``bench_rooms``, ``bench_seats``): create
    the scratch database, migrate it and collect the static files (DEBUG off serves the hashed names), run
    ``manage.py <tool> --inner <inner_args>`` in a child process pointed at it as production would be (no Redis,
    SMS to a file), and drop the database at the end unless ``keep``."""
    import os
    import subprocess
    import sys
    import tempfile

    from django.conf import settings

    db = parse_scratch_url(database_url, tool=tool)
    scratch_create(db, tool=tool)
    static = tempfile.TemporaryDirectory(prefix=f"{tool}-static-")
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
        env.update({"DATABASE_URL": database_url, "DEBUG": "0", "CONN_MAX_AGE": "0",
                    "SECRET_KEY": env.get("SECRET_KEY") or f"{tool}-scratch-only",
                    "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
                    "STATIC_ROOT": static.name, "SMS_BACKEND": "communities.sms.backends.FileBackend",
                    "SMS_FILE_PATH": os.path.join(static.name, "sms.jsonl")})
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        write(f"Created {db['NAME']!r}; migrating …")
        for step in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"],
                     [tool, "--inner", *inner_args]):
            subprocess.run([*manage, *step], env=env, cwd=settings.BASE_DIR, check=True, timeout=900)
    finally:
        static.cleanup()
        if not keep and scratch_drop(db, tool=tool):
            write(f"Dropped {db['NAME']!r}.")
