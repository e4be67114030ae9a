"""Browser tests: the portal on a live server (127.0.0.1, temp database) driven by Playwright in
Debian's Chromium (/usr/bin/chromium; never `playwright install`). Screenshots are written to
tests/browser/screenshots/ (gitignored) for people to look at.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


def _new_page(browser, live_server, javascript=True, phone=False):
    options = {
        "base_url": live_server.url,
        "java_script_enabled": javascript,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
    }
    if phone:
        options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    else:
        options.update(viewport={"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.set_default_timeout(10000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return page


@pytest.fixture
def page(browser, live_server):
    page = _new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def page_nojs(browser, live_server):
    page = _new_page(browser, live_server, javascript=False)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser, live_server):
    page = _new_page(browser, live_server, phone=True)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(javascript=True, phone=False): another independent browser context."""
    pages = []

    def _make(**options):
        page = _new_page(browser, live_server, **options)
        pages.append(page)
        return page

    yield _make
    for page in pages:
        page.context.close()


def screenshot(page, name):
    """Save a full-page screenshot to tests/browser/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, name=""):
    """Run axe-core (served from static/vendor) and fail on serious or critical violations."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"axe violations on {name or page.url}:\n" + "\n".join(bad)


def sign_in(page, identifier, password):
    page.goto("/masuk")
    page.get_by_label("NIP atau e-mail").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
