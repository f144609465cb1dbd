"""Town-scale benchmark: generate a town's data into a scratch PostgreSQL database, serve it with gunicorn,
and print latency and throughput of the staff case list, a case detail and the town dashboard, each as a
ratio to a trivial page served by the same server in the same run.

    python manage.py bench_town --database-url postgres://postgres@127.0.0.1:5432/luodian_bench \
        [--cases 500000] [--requests 200] [--keep] [--reuse]

Benchmarks print figures; they are not timed tests. Only loopback traffic; every loop is bounded; the server
is stopped and the scratch database dropped at the end (unless --keep).
"""
import http.client
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from communities.bench.scratch_db import connect, parse_scratch_url, scratch_create, scratch_drop, scratch_exists
from communities.bench.town import Generator, Plan, check_integrity

TOOL = "bench_town"
# Throughput of each page as a share of the trivial page's, and the dashboard's median ceiling.
TARGETS = {"case detail": 0.30, "staff case list": 0.20, "town dashboard": 0.10}
DASHBOARD_MEDIAN_MS = 50.0


class Command(BaseCommand):
    help = "Generate town-scale data into a scratch PostgreSQL database and benchmark the case pages."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/luodian_bench",
                            help="scratch PostgreSQL database on this machine; created, and dropped unless --keep")
        parser.add_argument("--cases", type=int, default=500_000)
        parser.add_argument("--communities", type=int, default=52)
        parser.add_argument("--households", type=int, default=88_000)
        parser.add_argument("--residents", type=int, default=230_000)
        parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
        parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first")
        parser.add_argument("--info-requests", type=int, default=20,
                            help="measured requests of the informational town case list (slow at town scale)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--conn-max-age", type=int, default=60,
                            help="CONN_MAX_AGE for the server (60 s, the settings' default; 0 opens one "
                                 "connection per request)")
        parser.add_argument("--max-seconds", type=int, default=1800, help="upper bound on the measuring phase")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
        parser.add_argument("--reuse", action="store_true",
                            help="measure a database kept by an earlier run instead of generating a new one")

    # --- orchestration --------------------------------------------------------------------------

    def handle(self, *args, **opts):
        self.opts = opts
        db = parse_scratch_url(opts["database_url"], tool=TOOL)
        self.db = db
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="bench_town_") as tmp:
            self.tmp = Path(tmp)
            self.env = self._server_env(opts["database_url"], opts["conn_max_age"])
            try:
                self._prepare_database(db, opts)
                passwords = self._reset_passwords(db)
                self._collectstatic()
                self._serve_and_measure(db, passwords)
            finally:
                if opts["keep"]:
                    self.stdout.write(f"Kept database {db['NAME']!r} (rerun with --reuse to measure it again).")
                else:
                    self._drop(db)
        self.stdout.write(f"Total {time.monotonic() - started:.0f} s.")

    def _connect(self, db: dict, name: str | None = None):
        return connect(db, name)

    def _server_env(self, url: str, conn_max_age: int) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")}
        env.update({
            "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0", "BEHIND_HTTPS_PROXY": "0", "SECURE_HSTS_SECONDS": "0",
            "LUODIAN_VAR_DIR": str(self.tmp / "var"), "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"), "CONN_MAX_AGE": str(conn_max_age), "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def _manage(self, *args, timeout=900):
        subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), *args], env=self.env,
                       cwd=settings.BASE_DIR, check=True, timeout=timeout)

    # --- the database ----------------------------------------------------------------------------

    def _prepare_database(self, db: dict, opts: dict) -> None:
        name = db["NAME"]
        if opts["reuse"]:
            if not scratch_exists(db, tool=TOOL):
                raise CommandError(f"--reuse: no database {name!r} kept by an earlier run.")
            self.stdout.write(f"Reusing {name!r}.")
            self._refresh_summaries()
            self._report_data(db, None)
            return
        scratch_create(db, tool=TOOL)
        self.stdout.write(f"Created database {name!r}; migrating …")
        t = time.monotonic()
        self._manage("migrate", "--noinput", "-v", "0")
        migrate_s = time.monotonic() - t
        plan = Plan(communities=opts["communities"], households=opts["households"], residents=opts["residents"],
                    cases=opts["cases"], villages=max(1, round(opts["communities"] * 14 / 52)), seed=opts["seed"])
        self.stdout.write(f"Generating {plan.communities} communities, {plan.households:,} households, "
                          f"{plan.residents:,} residents, {plan.cases:,} cases …")
        t = time.monotonic()
        conn = self._connect(db)
        with conn.cursor() as cur:
            generator = Generator(cur, plan)
            town = generator.run()
            conn.commit()
            load_s = time.monotonic() - t
            t = time.monotonic()
            problems = check_integrity(cur)
            check_s = time.monotonic() - t
        conn.rollback()
        if problems:
            raise CommandError("Generated data is inconsistent: " + "; ".join(problems))
        conn.autocommit = True
        t = time.monotonic()
        with conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
        vacuum_s = time.monotonic() - t
        conn.close()
        self._refresh_summaries()
        self.stdout.write(
            f"Data: migrate {migrate_s:.1f} s, generate+COPY {load_s:.1f} s (people/places "
            f"{town.seconds['places_people']:.1f} s, cases {town.seconds['cases']:.1f} s), "
            f"integrity check {check_s:.1f} s, VACUUM ANALYZE {vacuum_s:.1f} s; "
            f"total {migrate_s + load_s + check_s + vacuum_s:.1f} s.")
        self._report_data(db, town)

    def _refresh_summaries(self) -> None:
        """What Celery beat does every minute in production: the dashboard reads these summaries."""
        t = time.monotonic()
        self._manage("refresh_case_summaries")
        self.stdout.write(f"Dashboard summaries (the beat task's work, every minute): {time.monotonic() - t:.2f} s "
                          "including process start-up.")

    def _report_data(self, db: dict, town) -> None:
        conn = self._connect(db)
        with conn.cursor() as cur:
            counts = {}
            for label, table in [("communities", "communities_community"), ("buildings", "communities_building"),
                                 ("units (households)", "communities_unit"), ("persons", "communities_person"),
                                 ("residencies", "communities_residency"), ("users", "communities_user"),
                                 ("memberships", "communities_membership"), ("cases", "communities_case"),
                                 ("case events", "communities_caseevent"), ("ratings", "communities_caserating"),
                                 ("referrals", "communities_casereferral"),
                                 ("notifications", "communities_notification")]:
                cur.execute(f"SELECT count(*) FROM {table}")
                counts[label] = cur.fetchone()[0]
            self.stdout.write("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ".")
            cur.execute("SELECT status, count(*) FROM communities_case GROUP BY status ORDER BY 2 DESC")
            total = max(counts["cases"], 1)
            self.stdout.write("Case status: " + ", ".join(f"{s} {n:,} ({n / total:.1%})" for s, n in cur.fetchall()))
            cur.execute("SELECT count(*) FILTER (WHERE r.id IS NOT NULL), count(*) FROM communities_case c "
                        "LEFT JOIN communities_caserating r ON r.case_id = c.id WHERE c.status = 'closed'")
            rated, closed = cur.fetchone()
            cur.execute("SELECT n, count(*) FROM (SELECT count(*) n FROM communities_caseevent GROUP BY case_id) x "
                        "GROUP BY n ORDER BY n")
            spread = ", ".join(f"{n}: {c:,}" for n, c in cur.fetchall())
            cur.execute("SELECT count(*) FROM communities_case WHERE status IN "
                        "('submitted','dispatched','in_progress') AND (fix_due_at < now() OR "
                        "(status IN ('submitted','dispatched') AND ack_due_at < now()))")
            overdue = cur.fetchone()[0]
            cur.execute("SELECT min(created_at)::date, max(created_at)::date FROM communities_case")
            first, last = cur.fetchone()
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cur.fetchone()[0]
        conn.close()
        self.stdout.write(f"Ratings on {rated / max(closed, 1):.1%} of closed cases; overdue open cases {overdue:,}; "
                          f"filed {first} … {last}; database size {size}.")
        self.stdout.write(f"Events per case (events: cases): {spread}.")

    def _reset_passwords(self, db: dict) -> dict:
        """A fresh random password for the two logins the benchmark uses."""
        passwords = {}
        conn = self._connect(db)
        with conn, conn.cursor() as cur:
            for username in ("bench_staff", "bench_town"):
                passwords[username] = secrets.token_urlsafe(16)
                cur.execute("UPDATE communities_user SET password = %s WHERE username = %s",
                            [make_password(passwords[username]), username])
                if cur.rowcount != 1:
                    raise CommandError(f"No user {username!r} in the bench database.")
        conn.close()
        return passwords

    def _detail_case(self, db: dict) -> tuple[int, int]:
        """A recent closed case of the staff user's community with five events and a reporter."""
        conn = self._connect(db)
        with conn.cursor() as cur:
            cur.execute("""
                SELECT c.id, (SELECT count(*) FROM communities_caseevent e WHERE e.case_id = c.id) AS n
                FROM communities_case c
                WHERE c.community_id = (SELECT m.community_id FROM communities_membership m
                                        JOIN communities_user u ON u.id = m.user_id
                                        WHERE u.username = 'bench_staff' LIMIT 1)
                  AND c.status = 'closed' AND c.reporter_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM communities_caserating r WHERE r.case_id = c.id)
                  AND c.id < (SELECT max(id) - 1000 FROM communities_case)
                ORDER BY (SELECT count(*) FROM communities_caseevent e WHERE e.case_id = c.id) = 5 DESC, c.id DESC
                LIMIT 1""")
            row = cur.fetchone()
        conn.close()
        if row is None:
            raise CommandError("No closed case to show in the bench database.")
        return row

    def _other_cases(self, db: dict, case_id: int, n: int = 600) -> list[int]:
        """Closed cases of the staff user's community other than the detail page's, each asked for once: the
        case page with its history rendered afresh (no kept page can answer)."""
        conn = self._connect(db)
        with conn.cursor() as cur:
            cur.execute("""
                SELECT c.id FROM communities_case c
                WHERE c.community_id = (SELECT m.community_id FROM communities_membership m
                                        JOIN communities_user u ON u.id = m.user_id
                                        WHERE u.username = 'bench_staff' LIMIT 1)
                  AND c.status = 'closed' AND c.reporter_id IS NOT NULL AND c.id <> %s
                ORDER BY c.id DESC LIMIT %s""", [case_id, n])
            ids = [row[0] for row in cur.fetchall()]
        conn.close()
        return ids

    def _drop(self, db: dict) -> None:
        if scratch_drop(db, tool=TOOL):
            self.stdout.write(f"Dropped database {db['NAME']!r}.")

    def _collectstatic(self) -> None:
        t = time.monotonic()
        self._manage("collectstatic", "--noinput", "-v", "0")
        self.stdout.write(f"collectstatic into a temporary STATIC_ROOT: {time.monotonic() - t:.1f} s.")

    # --- the server and the client ---------------------------------------------------------------

    def _serve_and_measure(self, db: dict, passwords: dict) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.tmp / "gunicorn.log", "w") as log:
            server = subprocess.Popen(
                [str(gunicorn), "luodian.wsgi:application", "--workers", str(self.opts["workers"]),
                 "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
                cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            self.stdout.write(f"gunicorn pid {server.pid}: {self.opts['workers']} sync workers on 127.0.0.1:{port}, "
                              f"DEBUG=0, CONN_MAX_AGE={self.opts['conn_max_age']}.")
            try:
                self.client = _Client(port)
                self._wait_ready(server)
                staff = self.client.login("bench_staff", passwords["bench_staff"])
                town = self.client.login("bench_town", passwords["bench_town"])
                case_id, events = self._detail_case(db)
                pages = [
                    _Page("trivial: GET /accounts/login/", "/accounts/login/", None, 'name="csrfmiddlewaretoken"'),
                    _Page("staff case list", "/cases/", staff, 'href="/cases/'),
                    _Page("case detail", f"/cases/{case_id}/", staff, f"#{case_id}"),
                    _Page("town dashboard", "/dashboard/", town, "ld-overview"),
                    _Page("info: town case list", "/cases/", town, 'href="/cases/',
                          limit=self.opts["info_requests"]),
                    _Page("info: case detail, another case each time",
                          [f"/cases/{pk}/" for pk in self._other_cases(db, case_id)], staff, 'id="timeline-title"'),
                    _Page("info: no-op GET /i18n/setlang/", "/i18n/setlang/", None, None, status=(204, 302)),
                ]
                self.stdout.write(f"Case detail: case #{case_id} with {events} events, seen by committee staff.")
                self._measure(pages)
            finally:
                self._stop(server)

    def _wait_ready(self, server) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited: {(self.tmp / 'gunicorn.log').read_text()[-2000:]}")
            try:
                status, _body, _cookies = self.client.get("/accounts/login/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise CommandError("gunicorn did not answer within 60 s.")

    def _stop(self, server) -> None:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        self.stdout.write(f"gunicorn stopped (exit {server.returncode}).")

    def _measure(self, pages) -> None:
        for page in pages:  # each page must answer as expected before anything is timed
            page.check(*self.client.get(page.path, page.cookie)[:2])
        for _round in range(self.opts["warmup"]):
            for page in pages:
                if page.limit is None or _round < min(page.limit, 3):
                    self.client.get(page.path, page.cookie)
        deadline = time.monotonic() + self.opts["max_seconds"]
        rounds = 0
        # Round-robin, so that every page meets the same conditions (vacuum, caches, other load).
        while rounds < self.opts["requests"] and time.monotonic() < deadline:
            for page in pages:
                if page.limit is not None and len(page.times) >= page.limit:
                    continue
                t = time.perf_counter()
                status, body, _cookies = self.client.get(page.path, page.cookie)
                page.times.append(time.perf_counter() - t)
                page.check(status, body)
            rounds += 1
        self._print(pages, rounds)

    def _print(self, pages, rounds) -> None:
        trivial = pages[0]
        self.stdout.write("")
        self.stdout.write(f"{rounds} sequential requests per page (round-robin, after {self.opts['warmup']} warm-up "
                          f"rounds); one client, loopback. req/s = requests ÷ time spent in them.")
        self.stdout.write(f"{'page':34} {'n':>4} {'median ms':>9} {'p95 ms':>8} {'req/s':>8} {'vs trivial':>10}  target")
        failed = []
        for page in pages:
            ratio = page.throughput / trivial.throughput
            target = ""
            if page.name in TARGETS:
                ok = ratio >= TARGETS[page.name]
                target = f"≥ {TARGETS[page.name]:.0%}: {'met' if ok else 'NOT met'}"
                if page.name == "town dashboard":
                    fast = page.median_ms < DASHBOARD_MEDIAN_MS
                    target += f"; median < {DASHBOARD_MEDIAN_MS:.0f} ms: {'met' if fast else 'NOT met'}"
                    ok = ok and fast
                if not ok:
                    failed.append(page.name)
            self.stdout.write(f"{page.name:34} {len(page.times):4} {page.median_ms:9.1f} {page.p95_ms:8.1f} {page.throughput:8.1f} "
                              f"{ratio:10.1%}  {target}")
        self.stdout.write("Targets not met: " + (", ".join(failed) if failed else "none") + ".")


class _Page:
    """One page to measure. ``path`` may be a list: each request then asks for the next one in turn (the case
    detail of another case each time, so that nothing kept from an earlier request can answer it)."""

    def __init__(self, name, path, cookie, marker, status=(200,), limit=None):
        self.name, self.cookie, self.marker, self.status = name, cookie, marker, status
        self.paths, self._asked = (path if isinstance(path, list) else [path]), 0
        self.limit = limit  # informational pages that are slow are measured fewer times
        self.times = []

    @property
    def path(self) -> str:
        self.last_path = self.paths[self._asked % len(self.paths)]
        self._asked += 1
        return self.last_path

    def check(self, status, body) -> None:
        if status not in self.status or (self.marker and self.marker not in body):
            raise CommandError(f"{self.name}: GET {self.last_path} answered {status} without {self.marker!r}: "
                               f"{body[:300]!r}")

    @property
    def median_ms(self):
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self):
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000

    @property
    def throughput(self):
        return len(self.times) / sum(self.times)


class _Client:
    """HTTP/1.1 to 127.0.0.1 only; one connection per request (gunicorn's sync workers close it anyway)."""

    def __init__(self, port: int):
        self.port = port

    def _request(self, method, path, cookie=None, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            all_headers = {"Accept": "text/html", "Accept-Language": "zh-hans"}
            if cookie:
                all_headers["Cookie"] = cookie
            all_headers.update(headers or {})
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            cookies = SimpleCookie()
            for header in response.msg.get_all("Set-Cookie") or []:
                cookies.load(header)
            return response.status, data, {k: m.value for k, m in cookies.items()}
        finally:
            conn.close()

    def get(self, path, cookie=None):
        return self._request("GET", path, cookie)

    def login(self, username: str, password: str) -> str:
        status, body, cookies = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None or "csrftoken" not in cookies:
            raise CommandError(f"login page answered {status} without a CSRF token")
        jar = {"csrftoken": cookies["csrftoken"]}
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1),
                          "next": "/"})
        status, body, cookies = self._request(
            "POST", "/accounts/login/", "; ".join(f"{k}={v}" for k, v in jar.items()), form,
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{self.port}"})
        if status != 302 or "sessionid" not in cookies:
            raise CommandError(f"login as {username} failed ({status}): {body[:300]!r}")
        jar.update(cookies)
        return "; ".join(f"{k}={v}" for k, v in jar.items())
