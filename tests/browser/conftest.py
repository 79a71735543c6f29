"""Playwright for Python driving the system's chromium against pytest-django's live server.

No browser is ever downloaded: the tests use the chromium the system provides (`TAWASUL_CHROMIUM`, default
`/usr/bin/chromium`). With TAWASUL_REQUIRE_SERVICES=1 (CI, `make test-all`) a missing chromium fails the
tests instead of skipping them, so CI cannot go green without running them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.clearance.conftest import at_clearance  # noqa: F401 - shared with browser tests
from tests.institution_space.conftest import space  # noqa: F401 - shared with browser tests

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need a SQLite test database in a file, not shared memory.

    With shared memory, the live server's request threads and the test share one connection, and the admin's
    concurrent requests (saving, editing-session pings) collide with "database table is locked". A file gives
    each thread its own connection and SQLite's busy timeout serialises the writes.
    """
    if not any(item.get_closest_marker("browser") for item in items):
        return
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        name = Path(tempfile.gettempdir()) / f"tawasul-browser-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
        database.setdefault("OPTIONS", {})["timeout"] = 30


def _unavailable(reason: str) -> None:
    if os.environ.get("TAWASUL_REQUIRE_SERVICES") == "1":
        pytest.fail(f"Browser unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    configured = os.environ.get("TAWASUL_CHROMIUM", "/usr/bin/chromium")
    return configured if os.path.exists(configured) else shutil.which("chromium")


@pytest.fixture
def browser() -> Iterator[object]:
    """One chromium per test. Not session-wide: while Playwright's loop runs in the test thread, Django's
    connection handler resolves connections per context, so later tests would lose the serialized-rollback
    snapshot held by the original connection."""
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium is not installed (set TAWASUL_CHROMIUM or install Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (Python) is not installed")
    # Playwright's sync API keeps an event loop in the test thread while it is open; the ORM calls made
    # between browser steps are still synchronous, so Django's async-safety guard does not apply to them.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        # ORM calls made while Playwright's loop ran (between browser steps) opened connections of their own
        # context; left open, they keep the PostgreSQL test database from being dropped at the end of the session.
        connections.close_all()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser_context(browser, live_server) -> Iterator[Callable[..., object]]:
    """Opens a fresh browser context (own cookies, own language) per person taking part in a test."""
    contexts = []

    def open_context(locale: str = "en") -> object:
        context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(2 * TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
