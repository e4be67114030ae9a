"""The per-IP login limit, with a frozen clock (a small limit for the test)."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.conftest import TEST_PASSWORD

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _post_login(client, identifier, password, **extra):
    return client.post("/masuk", data={"identifier": identifier, "password": password}, **extra)


@pytest.fixture
def app_config():
    return {"RATE_LIMIT_LOGIN_PER_IP": 5}


def test_a_correct_password_from_a_shared_address_is_never_refused_for_others_failures(
    client, make_employee
):
    employee = make_employee()
    with time_machine.travel(START, tick=False):
        for number in range(12):  # colleagues behind the city hall NAT mistype their NIPs
            _post_login(client, f"19900101201501{number:04d}", "salah-salah-salah-salah")
        response = _post_login(client, employee.nip, TEST_PASSWORD)
        assert response.status_code == 302


def test_a_source_guessing_many_accounts_is_refused_and_locked_sooner_per_account(
    client, make_employee
):
    victim = make_employee()
    with time_machine.travel(START, tick=False):
        for number in range(5):
            _post_login(client, f"19900101201501{number:04d}", "salah-salah-salah-salah")
        response = _post_login(client, victim.nip, "salah-salah-salah-salah")
        assert response.status_code == 429
        assert "Terlalu banyak" in response.get_data(as_text=True)
        _post_login(client, victim.nip, "salah-salah-salah-salah")
        third = _post_login(client, victim.nip, "salah-salah-salah-salah")
        assert "dikunci" in third.get_data(as_text=True)
        # The owner, from their own address, is not affected.
        owner = _post_login(
            client, victim.nip, TEST_PASSWORD, environ_base={"REMOTE_ADDR": "10.1.1.1"}
        )
        assert owner.status_code == 302


def test_successful_logins_from_one_nat_never_hit_the_limit(app, make_employee):
    people = [make_employee() for _ in range(8)]
    with time_machine.travel(START, tick=False):
        for employee in people:  # more sign-ins than the limit of 5, all from 127.0.0.1
            client = app.test_client()
            assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302
