"""The bare-machine smoke: `make run`'s own stack (SQLite, the filesystem broker) with the demo, walked as each demo
login. The suite runs on PostgreSQL; SQLite refuses some SQL PostgreSQL accepts (an ORDER BY inside a UNION part
answered 500 on the case list, the rota and meeting forms at stop 20), so this walks what `make run` serves.

usage: .venv/bin/python scripts/sqlite_smoke.py [--pages N] [--roles a,b]
It makes its own throwaway var directory (database, broker, media), migrates, seeds the demo and follows every
same-site link (GET only) from each login's home page, up to N pages per login. It prints each page that
answered 500 and exits 1 if any did. Run by tests/integration/test_sqlite_smoke.py.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

ROOT = Path(__file__).resolve().parent.parent
SKIP = re.compile(r"logout|delete|remove|export|download|\.xlsx|\.csv|\.ics|\.pdf|/admin/|/static/|/media/|"
                  r"i18n|/photos?/|calendar\.ics|/feed/", re.I)
HREF = re.compile(r'href="(/[^"#]*)"')
ROLES = "resident,tenant,landlord,staff,secretary,station,talent,town,outsider,villager,owner,jy_tenant"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--roles", default=ROLES)
    args = parser.parse_args()

    # In memory where the machine has it: the seed commits thousands of times and SQLite syncs each to disk.
    var = tempfile.mkdtemp(prefix="luodian-sqlite-smoke-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)  # the embedded defaults: SQLite in var/, the filesystem broker
    os.environ.update(DEBUG="1", LUODIAN_VAR_DIR=var, DJANGO_SETTINGS_MODULE="luodian.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    assert connection.vendor == "sqlite", connection.vendor
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    print(f"migrated and seeded on SQLite in {time.monotonic() - started:.0f} s ({var})")
    setup_test_environment()  # the test client's host and templates, as in the suite

    from communities.models import User

    failures, walked = [], 0
    for role in args.roles.split(","):
        client = Client(raise_request_exception=False, HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
        client.force_login(User.objects.get(username=role))
        seen, todo = set(), deque(["/"])
        while todo and len(seen) < args.pages:
            url = urldefrag(todo.popleft())[0]
            if url in seen or SKIP.search(url):
                continue
            seen.add(url)
            response = client.get(url)
            walked += 1
            if response.status_code >= 500:
                failures.append(f"{role}: {response.status_code} {url}")
                continue
            if "text/html" in response.get("Content-Type", ""):
                todo.extend(h for h in HREF.findall(response.content.decode()) if not urlparse(h).netloc)
    shutil.rmtree(var, ignore_errors=True)
    for line in failures:
        print("500:", line)
    print(f"{walked} pages as {len(args.roles.split(','))} logins in {time.monotonic() - started:.0f} s; "
          f"{len(failures)} server errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
