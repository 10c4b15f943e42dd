"""A real `userql serve` and the machine's own Chromium, driven by Playwright (sync API).

The run gets one server (the console script of this virtualenv, in a temporary working
folder, so its SQLite database is `userql.db` there) and each test module one browser.
Each test gets an emptied database and a new browser context, so no cookie survives a
test.

Chromium is Debian's package (`apt-get install chromium`), never a downloaded browser;
where it is missing the suite is skipped, except under CI=true, where that is a failure.

When a test fails, every page of its browser context is saved as a PNG in
$USERQL_TEST_ARTIFACTS (default: <temp dir>/userql-browser-artifacts), and the report
names the files and quotes the end of the server's log.

The browser is module-scoped on purpose: while Playwright's sync API is open it marks its
own event loop as running in this thread, and the async tests of other modules could not
run their loop until it is closed.
"""

import os
import re
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import create_engine, text

from servers import Server, running_server, server_environment
from userql.persistence.models import metadata

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine has no internet; ask for nothing
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(
    os.environ.get("USERQL_TEST_ARTIFACTS")
    or Path(tempfile.gettempdir()) / "userql-browser-artifacts"
)

CONTEXT = pytest.StashKey[BrowserContext]()
SERVICE = pytest.StashKey["Service"]()


@dataclass(frozen=True)
class Service:
    """A running `userql serve` and the SQLite file behind it."""

    server: Server
    database: Path

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def operator(self, statement: str, **parameters: Any) -> None:
        """Runs SQL on the service's database, as an operator would behind its back."""
        engine = create_engine(f"sqlite:///{self.database}")
        try:
            with engine.begin() as connection:
                connection.execute(text(statement), parameters)
        finally:
            engine.dispose()

    def empty(self) -> None:
        """Deletes every user, session and login failure."""
        engine = create_engine(f"sqlite:///{self.database}")
        try:
            with engine.begin() as connection:
                for table in reversed(metadata.sorted_tables):
                    connection.execute(table.delete())
        finally:
            engine.dispose()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.server.output().splitlines()[-lines:])


@pytest.fixture(scope="session")
def running_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """`userql serve` on a free local port, with no configuration but cheap hashing and a
    non-Secure cookie; stopped when the run ends."""
    workdir = tmp_path_factory.mktemp("userql-serve")
    with running_server(cwd=workdir, env=server_environment()) as server:
        service = Service(server=server, database=workdir / "userql.db")
        assert service.database.is_file(), "with no configuration the database is ./userql.db"
        yield service


@pytest.fixture
def service(running_service: Service, request: pytest.FixtureRequest) -> Service:
    """The module's server, its database emptied for this test."""
    running_service.empty()
    request.node.stash[SERVICE] = running_service
    return running_service


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with nothing that would call out to the internet."""
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if IN_CI:
            pytest.fail(message + " (CI=true: the browser suite must run)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(
    chromium: Browser, service: Service, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) whose relative URLs go to the service."""
    browser_context = chromium.new_context(
        base_url=service.base_url, viewport={"width": 1100, "height": 900}
    )
    request.node.stash[CONTEXT] = browser_context
    try:
        yield browser_context
    finally:
        browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab of the test's context; the test fails if a script on it throws."""
    tab = context.new_page()
    script_errors: list[str] = []
    tab.on("pageerror", lambda error: script_errors.append(str(error)))
    yield tab
    assert not script_errors, f"uncaught errors in the page: {script_errors}"


def _save_screenshots(item: pytest.Item) -> list[str]:
    browser_context = item.stash.get(CONTEXT, None)
    if browser_context is None:
        return []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    saved = []
    for number, tab in enumerate(browser_context.pages):
        path = ARTIFACTS / f"{stem}-{number}.png"
        try:
            tab.screenshot(path=path, full_page=True)
        except PlaywrightError as error:
            saved.append(f"{tab.url}: no screenshot ({error.message})")
        else:
            saved.append(f"{tab.url}: {path}")
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On a failed test body: screenshots of its pages and the server's recent log."""
    report = yield
    if report.when == "call" and report.failed:
        if screenshots := _save_screenshots(item):
            report.sections.append(("browser screenshots", "\n".join(screenshots)))
        if (running := item.stash.get(SERVICE, None)) is not None:
            report.sections.append(("userql serve log (end)", running.log_tail()))
    return report
