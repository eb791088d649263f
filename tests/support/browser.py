"""A real browser for the journey tests: Debian's Chromium driven by Playwright.

The application runs in pytest-django's `live_server` (a thread of this process, on a
free loopback port, against the test database). Playwright's sync API keeps an asyncio
loop running in the main thread, so Django's "no ORM calls from async code" guard is
switched off (DJANGO_ALLOW_ASYNC_UNSAFE) exactly while the browser runs, and the browser
lives only as long as the journey module: the other test modules never see either.

Screenshots of every journey go to test-artifacts/journeys/<journey>/NN-step.png, for a
person to look at; the folder is printed at the end of the run (also under pytest-xdist,
where the journeys run in a worker: the summary looks at the folder, not at the worker).
"""

import itertools
import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journeys"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
SESSION_STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for all the journeys of a module."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser journeys need Debian's Chromium at {CHROMIUM}: "
            "apt-get install chromium fonts-noto-cjk (.ci/run does this). "
            "Never `playwright install`: the journeys drive the system browser.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_sessionstart(session):
    session.config.stash[SESSION_STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Print where the screenshots are when this run took any (output written while a
    fixture tears down would be captured and never seen)."""
    started = config.stash.get(SESSION_STARTED, None)
    if started is None or not ARTIFACTS.is_dir():
        return
    if any(folder.stat().st_mtime >= started for folder in ARTIFACTS.iterdir()):
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(f"Screenshots of the browser journeys: {ARTIFACTS}")


class Journey:
    """One person's browser window, with numbered screenshots of the screens that matter."""

    def __init__(self, context, base_url, folder, steps):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.folder = folder
        self.steps = steps  # shared by everyone in the same journey, so the files sort in order
        self.problems = []
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("console", self._console)

    def _console(self, message):
        # The strict CSP must never block anything the pages themselves ask for.
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def open(self, path="/"):
        """Type an address into the location bar (only where a person would)."""
        return self.page.goto(self.base_url + path)

    def shot(self, name, element=None):
        """Save a screenshot (the full page, or one element of it) as NN-name.png; return its path."""
        path = self.folder / f"{next(self.steps):02d}-{name}.png"
        if element is None:
            # A full-page shot stretches the window and puts it back, and Chromium may leave
            # the page's idea of where it is scrolled apart from what is drawn: the next
            # click is then aimed at where the page thinks the button is, and misses it.
            # Scrolling back to where the page was makes the two agree again.
            where = self.page.evaluate("() => [window.scrollX, window.scrollY]")
            self.page.screenshot(path=path, full_page=True)
            self.page.evaluate("([x, y]) => window.scrollTo(x, y)", where)
        else:
            element.screenshot(path=path)
        return path

    def set_today(self, moment):
        """Set the browser's clock (the server's is frozen separately, with time_machine)."""
        self.context.clock.set_fixed_time(moment)

    def sign_in(self, username, password, screenshot=False):
        """Open the site, get sent to the sign-in page, sign in; lands on the home page."""
        self.open("/")
        page = self.page
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        if screenshot:
            self.shot("sign-in")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()

    def sign_out(self):
        self.page.get_by_role("button", name="退出").first.click()
        self.page.wait_for_load_state()


@pytest.fixture
def journey(browser, live_server, request):
    """Factory: journey(name, today=None) opens a fresh browser window (no cookies) for a person.

    `today` (a timezone-aware datetime) fixes the browser's own clock too, so the admin's
    "今天" shortcuts agree with the server's frozen date.
    """
    opened = []
    steps = {}

    def open_journey(name, today=None):
        folder = ARTIFACTS / name
        if folder not in steps:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            steps[folder] = itertools.count(1)
            print(f"Screenshots of {name}: {folder}")
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=VIEWPORT,
            accept_downloads=True,
            reduced_motion="reduce",  # no smooth scrolling: a click lands where it is aimed
        )
        context.set_default_timeout(TIMEOUT_MS)
        if today is not None:
            context.clock.set_fixed_time(today)
        person = Journey(context, live_server.url, folder, steps[folder])
        opened.append(person)
        return person

    yield open_journey
    problems = [problem for person in opened for problem in person.problems]
    for person in opened:
        person.context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def cell_numbers(row):
    """The integers in a table row's figure cells (<td class="cell-number">)."""
    return [int(text) for text in row.locator("td.cell-number").all_inner_texts()]
