"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this directory is marked ``e2e``. The browser is launched once per session; each test
gets a fresh context (zh-CN, phone viewport) so cookies never leak between tests. Every page a test
lands on must pass the axe-core check in ``a11y.py`` — the ``page`` fixture fails the test at teardown
if a page was visited but never checked. There is deliberately no skip when Chromium is missing: the
Makefile installs it (``make system-deps``) and a silently skipped browser layer would hide regressions.
"""
import os
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts"


def _is_e2e(item):
    return HERE in Path(str(item.path)).resolve().parents


def pytest_itemcollected(item):
    """Every test in this directory is marked ``e2e`` (early enough for ``-m "not e2e"``)."""
    if _is_e2e(item):
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)  # after pytest-django has sorted the items
def pytest_collection_modifyitems(config, items):
    """Run the browser tests after all others: while the session's browser is open this thread has a
    running asyncio loop and DJANGO_ALLOW_ASYNC_UNSAFE is set (see ``browser``), which must not leak into
    other tests (``manage.py check --deploy`` in a subprocess rejects that variable)."""
    items[:] = [item for item in items if not _is_e2e(item)] + [item for item in items if _is_e2e(item)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (run `make system-deps`).",
                    pytrace=False)
    # Playwright's sync API keeps an asyncio event loop running in this thread; Django's ORM (fixtures,
    # refresh_from_db, the transactional flush after each test) would otherwise raise
    # SynchronousOnlyOperation. Set only while the browser is open, restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile per test: Chinese locale, phone-sized viewport. Reduced motion (Bootstrap then
    drops its 0.15 s colour transitions), so axe never measures a button caught between two colours."""
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
                              reduced_motion="reduce", base_url=live_server.url)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, request, artifacts_dir):
    failure_shot = artifacts_dir / f"failed-{request.node.name}.png"
    failure_shot.unlink(missing_ok=True)
    page = context.new_page()
    navigated, page.axe_checked = [], set()

    def on_navigated(frame):
        if frame == page.main_frame and frame.url.startswith("http"):
            navigated.append(urldefrag(frame.url).url)

    page.on("framenavigated", on_navigated)
    # The Content-Security-Policy refuses inline scripts and styles; Chromium reports each refusal on the console.
    csp_refusals = []
    page.on("console", lambda message: csp_refusals.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    call = getattr(request.node, "_e2e_rep_call", None)
    if call is not None and call.failed:
        page.screenshot(path=str(failure_shot), full_page=True)
        return
    if call is not None and call.passed and csp_refusals:
        pytest.fail("the Content-Security-Policy refused something on a page:\n  " + "\n  ".join(csp_refusals),
                    pytrace=False)
    unchecked = sorted(set(navigated) - page.axe_checked)
    if call is not None and call.passed and unchecked:
        pytest.fail("pages visited without an axe-core check (use visit() or assert_accessible()):\n  "
                    + "\n  ".join(unchecked), pytrace=False)


@pytest.fixture
def outbox(monkeypatch):
    """Notification rows are still written; publishing them to the shared Redis is not part of a browser test.
    The ids queued for e-mail are kept, so that a test can deliver them as the Celery worker would."""
    from communities.services import notifications

    queued = []
    monkeypatch.setattr(notifications, "enqueue_delivery", queued.append)
    return queued
