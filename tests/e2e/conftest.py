"""End-to-end journeys: the real app (the `planner` server in a subprocess, a fresh SQLite database built by
the migrations, demo data, mail into a real aiosmtpd server) driven by Debian's Chromium through Playwright.

Skipped, with the reason shown, where /usr/bin/chromium is missing; `.ci/run` installs it, so CI always runs
them. Screenshots of key pages go to test-artifacts/e2e/ for a person to review.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from planner import PROJECT_ROOT
from tests.mail_server import start_smtp_server

CHROMIUM = Path(os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "e2e"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
DEMO_PASSWORD = "demo-password-2026"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"browser journeys need Chromium at {CHROMIUM} "
                                                        "(apt-get install chromium; .ci/run does it)"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, base_url: str, smtp, process, instance: Path, env: dict | None = None):
        self.base_url, self.smtp, self.process, self.instance = base_url, smtp, process, instance
        self.env = env or {}  # the server's environment, e.g. for `planner outbox send` (run_planner)

    def url(self, path: str) -> str:
        return self.base_url + path


def run_planner(args, env):
    script = Path(sys.executable).with_name("planner")
    result = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"planner {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("e2e-instance")
    controller, handler = start_smtp_server()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key != "PLANNER_TEST_DATABASE_URL"}
    env.update({
        "PLANNER_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'e2e.sqlite3'}",
        "MAIL_SERVER": controller.hostname, "MAIL_PORT": str(controller.port),
        "PLANNER_ARGON2_TIME_COST": "1", "PLANNER_ARGON2_MEMORY_KIB": "1024",
        "PLANNER_PUBLIC_BASE_URL": base_url,  # links in the mail lead back to this server
    })
    for args in (["db", "upgrade", "heads"], ["seed"], ["demo"]):
        run_planner(args, env)
    log = (instance / "server.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("planner")), "run", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base_url + "/login", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the planner did not start: {(instance / 'server.log').read_text()}") from None
            time.sleep(0.2)
    yield LiveServer(base_url, handler, process, instance, env)
    process.terminate()
    process.wait(timeout=10)
    controller.stop()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "name") saves a full-page screenshot under test-artifacts/e2e/<test>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return _shot


def log_in(page, live_server, email: str, password: str = DEMO_PASSWORD):
    page.goto(live_server.url("/login"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def from_the_top(page) -> None:
    """Put the keyboard's starting point before the page's first control, as on a fresh page load: a blur alone
    leaves it where the focus was."""
    page.evaluate("""() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
      start.addEventListener('blur', () => start.remove(), {once: true});
      window.scrollTo(0, 0);
    }""")


def open_menu(page, group: str, link: str):
    """Follow a link from a group of the navigation bar (the groups are dropdowns)."""
    page.wait_for_load_state("load")  # the toggle needs Bootstrap's script (see nav_link)
    page.locator("#mainnav").get_by_role("button", name=group, exact=True).click()
    page.locator("#mainnav").get_by_role("link", name=link, exact=True).click()
    page.wait_for_load_state("networkidle")


def nav_link(page, name: str):
    """The entry of the main navigation, opening its drop-down group first when it sits in one. Waits for the
    page's scripts first: a toggle clicked before Bootstrap has run does nothing (seen under load, right after
    a form's redirect, when the flash message was already visible)."""
    nav = page.get_by_role("navigation", name="Main navigation")
    link = nav.get_by_role("link", name=name, exact=True)
    page.wait_for_load_state("load")
    if not link.is_visible():
        hidden = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        nav.locator(".dropdown", has=hidden).get_by_role("button").click()
    return link


def log_out(page):
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
