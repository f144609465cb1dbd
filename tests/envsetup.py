"""Loaded as a pytest plugin (-p tests.envsetup) before Django starts: test-run environment defaults.

The suite runs on PostgreSQL and Redis (the Makefile sets DATABASE_URL and REDIS_URL); refuse SQLite
so that a forgotten variable cannot quietly test on another database.
"""
import os

os.environ.setdefault("DEBUG", "1")  # development defaults (no HTTPS redirect); Django's runner turns DEBUG off
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luodian")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("AXES_FAILURE_LIMIT", "5")
if not os.environ["DATABASE_URL"].startswith("postgres"):
    raise SystemExit("The test suite runs on PostgreSQL only: set DATABASE_URL=postgres://...")
