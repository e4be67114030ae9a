"""Numbers in query strings are bounded in trainings, dialogs and the audit log: a negative, zero
or 40-digit year, unit or page is clamped or refused (404/422), never a 500."""

import pytest

HOSTILE = [
    "-1",
    "0",
    "2147483648",
    "9999999999999999999999999999999999999999",
    "1e9",
    "x",
    "\u00b2",
    " 7",
]

# every page of these domains that reads a number from its query string, with those names
PAGES = [
    ("/pelatihan/", ["unit"]),
    ("/pelatihan/jp-saya", ["tahun"]),
    ("/pelatihan/rekap-jp", ["tahun", "unit"]),
    ("/dialog-publik", ["unit", "page"]),
    ("/admin/log-audit", ["page"]),
]


@pytest.mark.parametrize(("path", "names"), PAGES)
def test_hostile_numbers_in_query_strings_never_break_a_page(client, login_as, org, path, names):
    login_as(org["admin"])
    for name in names:
        for value in HOSTILE:
            response = client.get(path, query_string={name: value})
            assert response.status_code in (200, 404, 422), (path, name, value)


def test_a_year_out_of_range_is_clamped_on_the_jp_pages(client, login_as, org):
    login_as(org["admin"])
    page = client.get("/pelatihan/rekap-jp?tahun=-1").get_data(as_text=True)
    assert "2000" in page
    page = client.get("/pelatihan/jp-saya?tahun=" + "9" * 40).get_data(as_text=True)
    assert "2100" in page


def test_every_query_number_in_these_domains_is_in_the_sweep():
    """A new `request.args` number in trainings or dialogs must be added to PAGES above."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "portal"
    found = set()
    for package in ("trainings", "dialogs"):
        for source in (root / package).glob("*.py"):
            text = source.read_text()
            found |= set(re.findall(r"args\.get\(\"(\w+)\"[^)]*type=int", text))
            found |= set(re.findall(r"int\((?:request\.)?args\.get\(\"(\w+)\"", text))
    swept = {name for _path, names in PAGES for name in names}
    assert found <= swept, found - swept
