"""Signing in: lockout, per-IP limit, sessions, `next`, CSRF, forced password change."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine

from portal import create_app
from portal.audit.models import AuditLog
from portal.auth import services
from portal.auth.safe_next import safe_next
from portal.org import editing
from portal.org.models import Employee
from tests.conftest import BASE_CONFIG, TEST_PASSWORD

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _post_login(client, identifier, password, **extra):
    return client.post("/masuk", data={"identifier": identifier, "password": password, **extra})


def test_pegawai_signs_in_by_nip_or_email(client, make_employee):
    employee = make_employee()
    response = _post_login(client, employee.nip, TEST_PASSWORD)
    assert response.status_code == 302
    client.post("/keluar")
    response = _post_login(client, employee.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_employee):
    employee = make_employee()
    wrong = _post_login(client, employee.nip, "bukan-kata-sandinya-sama-sekali")
    unknown = _post_login(client, "199001012015011999", "bukan-kata-sandinya-sama-sekali")
    assert wrong.status_code == unknown.status_code == 422
    message = "NIP/e-mail atau kata sandi salah."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_ten_failures_lock_the_account_for_fifteen_minutes(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(9):
            assert _post_login(client, employee.nip, "salah-salah-salah-salah").status_code == 422
        response = _post_login(client, employee.nip, "salah-salah-salah-salah")
        locked_text = response.get_data(as_text=True)
        assert "dikunci" in locked_text
        # The right password now gets exactly the same answer.
        right = _post_login(client, employee.nip, TEST_PASSWORD)
        assert right.status_code == 422
        assert "dikunci" in right.get_data(as_text=True)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 422
        clock.shift(timedelta(seconds=2))
        assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302
    assert Employee.get_by_id(employee.id).failed_logins == 0
    assert AuditLog.select().where(AuditLog.action == "auth.locked").count() == 1


def _post_from(client, address, identifier, password):
    return client.post(
        "/masuk",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_locked_account_answers_exactly_like_a_locked_unknown_nip(
    client, make_employee, monkeypatch
):
    employee = make_employee()
    unknown = "199001012015011999"
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            _post_login(client, employee.nip, "salah-salah-salah-salah")
            _post_login(client, unknown, "salah-salah-salah-salah")
        hashed = []
        real_verify = services.verify_password
        monkeypatch.setattr(
            services, "verify_password", lambda *a: hashed.append(1) or real_verify(*a)
        )
        known = _post_login(client, employee.nip, "salah-salah-salah-salah")
        stranger = _post_login(client, unknown, "salah-salah-salah-salah")
    assert known.status_code == stranger.status_code == 422
    assert _alert(known) == _alert(stranger)
    assert "dikunci" in _alert(known)
    assert len(hashed) == 2  # the password is hashed even while locked, known or not


def _alert(response):
    text = response.get_data(as_text=True)
    start = text.index("dikunci") - 60 if "dikunci" in text else text.index("salah") - 60
    return text[start : start + 200]


def test_a_stranger_cannot_lock_a_colleague_out_and_the_owner_is_told(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False):
        for _ in range(12):
            _post_from(client, "10.0.0.66", employee.nip, "salah-salah-salah-salah")
        assert "dikunci" in _alert(_post_from(client, "10.0.0.66", employee.nip, TEST_PASSWORD))
        response = _post_from(client, "10.0.0.5", employee.nip, TEST_PASSWORD)
        assert response.status_code == 302
        notices = client.get("/notifikasi").get_data(as_text=True)
    assert "10 kali" in notices


def test_repeated_locks_from_one_source_last_longer(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(10):
            _post_login(client, employee.nip, "salah-salah-salah-salah")
        clock.shift(timedelta(minutes=16))
        for _ in range(10):
            _post_login(client, employee.nip, "salah-salah-salah-salah")
        clock.shift(timedelta(minutes=16))
        assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 422
        clock.shift(timedelta(minutes=15))
        assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, make_employee):
    employee = make_employee()
    for _ in range(9):
        _post_login(client, employee.nip, "salah-salah-salah-salah")
    assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302
    client.post("/keluar")
    for _ in range(9):
        _post_login(client, employee.nip, "salah-salah-salah-salah")
    assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 302


def test_inactive_account_cannot_sign_in(client, make_employee):
    employee = make_employee(active=False)
    assert _post_login(client, employee.nip, TEST_PASSWORD).status_code == 422


def test_login_starts_a_new_session(client, make_employee):
    employee = make_employee()
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    _post_login(client, employee.nip, TEST_PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == employee.get_id()


def _second_client(app, employee):
    other = app.test_client()
    _post_login(other, employee.nip, TEST_PASSWORD)
    assert other.get("/profil").status_code == 200
    return other


def test_logout_ends_every_session_of_the_account(app, client, make_employee):
    employee = make_employee()
    other = _second_client(app, employee)
    _post_login(client, employee.nip, TEST_PASSWORD)
    client.post("/keluar")
    assert other.get("/profil").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, make_employee):
    employee = make_employee(nama="Rina Marlina")
    other = _second_client(app, employee)
    _post_login(client, employee.nip, TEST_PASSWORD)
    response = client.post(
        "/profil/kata-sandi",
        data={
            "current": TEST_PASSWORD,
            "new": "teh manis di sore hari",
            "confirm": "teh manis di sore hari",
        },
    )
    assert response.status_code == 302
    assert client.get("/profil").status_code == 200
    assert other.get("/profil").status_code == 302
    client.post("/keluar")
    assert _post_login(client, employee.nip, "teh manis di sore hari").status_code == 302


def test_deactivation_ends_sessions(app, make_employee):
    admin = make_employee(roles=[("admin", None)])
    employee = make_employee()
    other = _second_client(app, employee)
    editing.set_active(admin, employee, False)
    assert other.get("/profil").status_code == 302


def test_admin_end_sessions_and_reset_force_a_new_password(app, client, make_employee):
    admin = make_employee(roles=[("admin", None)])
    employee = make_employee()
    other = _second_client(app, employee)
    services.end_sessions_by_admin(admin, employee)
    assert other.get("/profil").status_code == 302
    temporary = services.reset_password(admin, Employee.get_by_id(employee.id))
    response = _post_login(client, employee.nip, temporary)
    assert response.headers["Location"] == "/profil/kata-sandi"
    assert client.get("/profil").headers["Location"] == "/profil/kata-sandi"
    response = client.post(
        "/profil/kata-sandi",
        data={
            "current": temporary,
            "new": "sepeda biru ke pasar pagi",
            "confirm": "sepeda biru ke pasar pagi",
        },
    )
    assert response.status_code == 302
    assert client.get("/profil").status_code == 200
    actions = [row.action for row in AuditLog.select().order_by(AuditLog.id)]
    assert actions[-3:] == ["auth.end_sessions", "auth.password_reset", "auth.password_change"]


def test_idle_session_ends_after_thirty_minutes(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        _post_login(client, employee.nip, TEST_PASSWORD)
        clock.shift(timedelta(minutes=29))
        assert client.get("/profil").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/profil").status_code == 302


HOSTILE = [
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java%0ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%09/evil.example",
    "/\t/evil.example",
    "/%0d%0aSet-Cookie:x=1",
    " //evil.example",
    "evil.example",
    "ftp://evil.example",
    "//evil.example@portal",
    "/ /evil.example",
    "http://127.0.0.1:5000@evil.example",
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_next_never_leads_outside_the_portal(client, make_employee, target):
    assert safe_next(target) == "/" or safe_next(target).startswith("/")
    assert not safe_next(target).startswith("//")
    employee = make_employee()
    response = _post_login(client, employee.nip, TEST_PASSWORD, next=target)
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    resolved = urlsplit(urljoin("http://portal.local/masuk", location.replace("\\", "/")))
    assert resolved.netloc == "portal.local" and resolved.scheme == "http"


def test_local_next_is_kept(client, make_employee):
    employee = make_employee()
    response = _post_login(client, employee.nip, TEST_PASSWORD, next="/profil?tab=1")
    assert response.headers["Location"] == "/profil?tab=1"


def test_login_without_csrf_token_is_refused(database_url, make_employee):
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    with app.app_context():
        from portal.db import db

        db.connect(reuse_if_open=True)
        employee = make_employee()
    response = _post_login(client, employee.nip, TEST_PASSWORD)
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_session_ends_after_ten_hours_even_when_active(client, make_employee):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        _post_login(client, employee.nip, TEST_PASSWORD)
        for _ in range(20):  # 20 x 29 minutes = 9 h 40 min of steady use
            clock.shift(timedelta(minutes=29))
            assert client.get("/profil").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/profil").status_code == 302


def test_admin_actions_without_csrf_token_are_refused(database_url, make_unit, make_employee):
    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        from portal.db import db

        db.connect(reuse_if_open=True)
        admin = make_employee(roles=[("admin", None)])
        target = make_employee()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    for path in (
        f"/admin/pegawai/{target.id}/status",
        f"/admin/pegawai/{target.id}/reset-sandi",
        "/keluar",
        "/profil/kata-sandi",
    ):
        assert client.post(path, data={"aktif": "0"}).status_code == 400, path
    with app.app_context():
        from portal.db import db

        db.connect(reuse_if_open=True)
        assert Employee.get_by_id(target.id).active is True


def test_language_preference_switches_the_interface_to_english(client, login_as, make_employee):
    employee = make_employee()
    login_as(employee)
    assert "Bawahan" in client.get("/profil").get_data(as_text=True)
    assert client.post("/profil/bahasa", data={"language": "en"}).status_code == 303
    assert "Subordinates" in client.get("/profil").get_data(as_text=True)
    assert client.post("/profil/bahasa", data={"language": "xx"}).status_code == 303
    assert Employee.get_by_id(employee.id).language == "en"


def test_the_nip_field_opens_a_text_keyboard_on_phones(client):
    html = client.get("/masuk").get_data(as_text=True)
    field = html[html.index('name="identifier"') - 300 : html.index('name="identifier"') + 300]
    assert 'inputmode="text"' in field
    assert 'autocomplete="username"' in field
    assert 'type="text"' in field
