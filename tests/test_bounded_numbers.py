"""Numbers in URLs are bounded: a huge, zero or negative id is a 404 on every route, never a
500 (SQLite overflows past 2**63; MySQL's INT past 2**31)."""

import pytest
from werkzeug.routing import IntegerConverter

HOSTILE = ["99999999999999999999999999999999999999", "2147483648", "0", "-1"]


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        names = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if names:
            yield rule, names


def test_every_route_with_a_number_refuses_out_of_range_values(
    app, client, login_as, make_employee
):
    admin = make_employee(roles=[("admin", None)])
    login_as(admin)
    rules = list(_int_rules(app))
    assert len(rules) > 30  # the sweep really covers the portal's routes
    for rule, names in rules:
        for value in HOSTILE:
            path = rule.rule
            for name in names:
                path = path.replace(f"<int:{name}>", value)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method)
                # 405 where the text fell through to another rule of the same shape
                assert response.status_code in (404, 405), (method, path, response.status_code)


@pytest.mark.parametrize("value", ["1", "2147483647"])
def test_numbers_in_range_still_route(app, value):
    adapter = app.url_map.bind("localhost")
    _endpoint, args = adapter.match(f"/dialog-publik/{value}")
    assert args == {"dialog_id": int(value)}
