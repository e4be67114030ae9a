"""The per-IP login limit, with a frozen clock (a small limit for the test)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.conftest import TEST_PASSWORD

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _post_login(client, identifier, password):
    return client.post("/masuk", data={"identifier": identifier, "password": password})


@pytest.fixture
def app_config():
    return {"RATE_LIMIT_LOGIN_PER_IP": 5}


def test_per_ip_limit_answers_429_in_indonesian_until_the_window_passes(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            _post_login(client, "199001012015011999", "salah-salah-salah-salah")
        response = _post_login(client, employee.nip, TEST_PASSWORD)
        assert response.status_code == 429
        assert "Terlalu banyak" in response.get_data(as_text=True)
        clock.shift(timedelta(minutes=15))
        assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302


def test_successful_logins_from_one_nat_never_hit_the_limit(app, make_employee):
    people = [make_employee() for _ in range(8)]
    with time_machine.travel(START, tick=False):
        for employee in people:  # more sign-ins than the limit of 5, all from 127.0.0.1
            client = app.test_client()
            assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302
