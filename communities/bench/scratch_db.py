"""The scratch PostgreSQL databases of the benchmark commands (bench_town, bench_rotas).

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
