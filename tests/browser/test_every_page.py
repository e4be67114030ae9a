"""Every page of the demo city in real Chromium, at 360 and 1280 px: each demo role signs in and
every page it can reach by following links (found by a crawl with the test client, one page per
route) is axe-clean (no serious or critical violation) and never wider than the screen. The
public pages are swept the same way for a signed-out citizen.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from portal.auth.commands import run_seed
from portal.org import seed
from tests.browser.conftest import _new_page, screenshot, sign_in

DEMO_PASSWORD = "kinerja-demo-2026"
MAX_PAGES = 120
# Links that are not pages: files, documents for download, feeds, signing out.
NOT_A_PAGE = re.compile(
    r"(berkas|unduh|\.pdf|\.csv|\.xlsx|\.ics|/ics|/feed|/ekspor|/export|/keluar|/static/|"
    r"/rss|/templat)",
    re.IGNORECASE,
)
# Pages the sweep screenshots for people to look at (endpoint -> name).
LOOK_AT = {
    "reviews.queue",
    "activities_admin.holidays",
    "admin.audit_log",
    "dialogs.manage_detail",
    "activities.day",
    "web.home",
}


# The header's menu on a wide screen: one line (the links' centres within a few pixels) and no
# link whose text is cut.
HEADER_CHECK = """() => {
  const links = [...document.querySelectorAll("header .d-xl-flex .nav-link")]
    .filter((link) => link.offsetParent !== null);
  const centres = links.map((link) => {
    const box = link.getBoundingClientRect();
    return box.top + box.height / 2;
  });
  return {
    spread: links.length ? Math.max(...centres) - Math.min(...centres) : 0,
    cut: links.filter((link) => link.scrollWidth > link.clientWidth + 1)
      .map((link) => link.textContent.trim()),
  };
}"""
# Pages each role must reach (the crawl really walked the menu).
MUST_REACH = {
    "pegawai": {"activities.day", "activities.week", "activities.month", "trainings.index"},
    "atasan": {"reviews.queue", "reviews.acting"},
    "penyelenggara": {"dialogs.manage", "dialogs.manage_detail"},
    "admin_opd": {"performance.tree_page", "performance.iku"},
    "admin": {"activities_admin.holidays", "admin.audit_log", "admin.employees"},
    "public": {"dialogs.index", "dialogs.detail", "auth.login"},
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(attributes["href"])


def _links(html):
    parser = _Links()
    parser.feed(html)
    return parser.links


def _endpoint(app, path):
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def crawl(app, client, start):
    """{endpoint: first URL} of the HTML pages reachable from `start` through same-site links."""
    found = {}
    queue = [start]
    seen = set()
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        endpoint = _endpoint(app, url)
        if endpoint is None or endpoint in found or endpoint == "static":
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found[endpoint] = url
        for href in _links(response.text):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if NOT_A_PAGE.search(href) or href in seen:
                continue
            queue.append(href)
    return found


def _problems(page, url, width):
    """What is wrong with `url` at `width` px: axe's serious/critical violations and overflow."""
    response = page.goto(url)
    problems = []
    if response is None or response.status >= 400:
        return [f"{url} @{width}: HTTP {response.status if response else '?'}"]
    page.emulate_media(reduced_motion="reduce")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        problems.append(f"{url} @{width}: page is {overflow} px wide")
    if width >= 1280:
        header = page.evaluate(HEADER_CHECK)
        if header["spread"] > 12 or header["cut"]:
            problems.append(f"{url} @{width}: the menu wraps or cuts {header}")
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
            problems.append(f"{url} @{width}: {violation['id']} ({violation['impact']}) {targets}")
    return problems


@pytest.fixture
def demo_city(app):
    run_seed(150, 2026, echo=lambda *args, **kwargs: None, with_progress=False)
    return dict(seed.demo_accounts(app.config["PEMDA_SHORT"]))


def _sweep(app, browser, live_server, pages, account, label):
    problems = []
    for phone, width in ((True, 360), (False, 1280)):
        page = _new_page(browser, live_server, phone=phone)
        try:
            if account is not None:
                sign_in(page, account.nip, DEMO_PASSWORD)
                page.wait_for_load_state()
                if urlsplit(page.url).path == "/masuk":
                    screenshot(page, f"every-{label}-signin-{width}")
                    pytest.fail(f"{label} could not sign in at {width} px")
            for endpoint, url in pages.items():
                problems += _problems(page, url, width)
                if endpoint in LOOK_AT:
                    screenshot(page, f"every-{label}-{endpoint}-{width}")
        finally:
            page.context.close()
    return problems


@pytest.mark.parametrize("role", ["pegawai", "atasan", "penyelenggara", "admin_opd", "admin"])
def test_every_page_of_each_demo_role_is_accessible_and_fits(
    app, browser, live_server, demo_city, role
):
    account = demo_city[role]
    client = app.test_client()
    client.post("/masuk", data={"identifier": account.nip, "password": DEMO_PASSWORD})
    pages = crawl(app, client, "/")
    assert MUST_REACH[role] <= set(pages), sorted(pages)
    problems = _sweep(app, browser, live_server, pages, account, role)
    assert problems == [], f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(
        problems
    )


def test_every_public_page_is_accessible_and_fits(app, browser, live_server, demo_city):
    client = app.test_client()
    pages = crawl(app, client, "/dialog-publik")
    pages.update(crawl(app, client, "/masuk"))
    assert MUST_REACH["public"] <= set(pages), sorted(pages)
    problems = _sweep(app, browser, live_server, pages, None, "public")
    assert problems == [], f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(
        problems
    )
