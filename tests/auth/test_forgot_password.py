"""Getting back in without an admin: a mailed, signed, single-use 30-minute link when SMTP is
set, otherwise a reset by the atasan (or the Admin OPD); the same answer for any NIP."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.audit.models import AuditLog
from portal.notifications import mail
from portal.org.models import Employee
from tests.conftest import TEST_PASSWORD

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NEW = "sepeda biru ke pasar pagi"


class _FakeSMTP:
    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_message(self, message):
        self.sent.append(message)

    def quit(self):
        pass


@pytest.fixture
def outbox(monkeypatch):
    _FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", _FakeSMTP)
    return _FakeSMTP.sent


@pytest.fixture
def app_config():
    return {"MAIL_SERVER": "smtp.test"}


def _ask(client, identifier, close=True):
    """Ask for a link; `close` ends the response as the server does once it is sent (which is
    when the link is looked up and mailed)."""
    response = client.post("/lupa-kata-sandi", data={"identifier": identifier})
    if close:
        response.get_data()
        response.close()
    return response


def _link(message):
    body = message.get_content()
    return urlsplit_path(re.search(r"https?://\S+", body).group(0))


def urlsplit_path(url):
    return "/" + url.split("/", 3)[3]


def _set(client, link, password=NEW, confirm=None):
    return client.post(link, data={"new": password, "confirm": confirm or password})


def test_a_pegawai_resets_a_forgotten_password_through_the_mailed_link(
    app, client, make_employee, outbox
):
    employee = make_employee(nama="Rina Marlina")
    other = app.test_client()
    other.post("/masuk", data={"identifier": employee.nip, "password": TEST_PASSWORD})
    assert other.get("/profil").status_code == 200
    known = _ask(client, employee.nip)
    unknown = _ask(client, "199001012015011999")
    assert known.status_code == unknown.status_code == 200
    assert "reset-sent" in known.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True).replace(
        "199001012015011999", employee.nip
    )
    assert len(outbox) == 1 and outbox[0]["To"] == employee.email
    link = _link(outbox[0])
    assert client.get(link).status_code == 200
    response = _set(client, link)
    assert response.status_code == 302
    assert other.get("/profil").status_code == 302  # every other session ended
    assert (
        client.post("/masuk", data={"identifier": employee.nip, "password": NEW}).status_code == 302
    )
    client.post("/keluar")
    again = _set(client, link, "teh manis di sore hari")  # single use
    assert again.status_code == 422
    actions = [row.action for row in AuditLog.select().order_by(AuditLog.id)]
    assert "auth.reset_requested" in actions and "auth.password_reset_link" in actions


def test_a_reset_link_expires_after_thirty_minutes(client, make_employee, outbox):
    employee = make_employee()
    with time_machine.travel(START, tick=False) as clock:
        _ask(client, employee.email)
        link = _link(outbox[0])
        clock.shift(timedelta(minutes=31))
        assert client.get(link).status_code == 422
        assert _set(client, link).status_code == 422
    assert Employee.get_by_id(employee.id).password_hash == employee.password_hash


def test_a_forged_link_is_refused(client, make_employee, outbox):
    make_employee()
    assert client.get("/lupa-kata-sandi/abc.def.ghi").status_code == 422


def test_reset_requests_are_rate_limited(client, make_employee, outbox):
    employee = make_employee()
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _ask(client, employee.nip)
        assert len(outbox) == 3  # at most three links an hour per account
        for _ in range(5):
            _ask(client, "199001012015011999")
        assert _ask(client, employee.nip).status_code == 429


@pytest.mark.parametrize("app_config", [{"MAIL_SERVER": ""}])
def test_without_smtp_the_page_says_to_ask_the_atasan_who_can_reset_it(
    client, login_as, make_employee
):
    page = client.get("/lupa-kata-sandi").get_data(as_text=True)
    assert "reset-ask" in page and "atasan" in page
    atasan = make_employee(nama="Budi Santoso")
    sub = make_employee(supervisor=atasan)
    stranger = make_employee()
    login_as(atasan)
    assert client.post(f"/profil/bawahan/{stranger.id}/reset-kata-sandi").status_code == 404
    response = client.post(f"/profil/bawahan/{sub.id}/reset-kata-sandi")
    assert response.status_code == 200
    temporary = re.search(
        r'id="temporary-password">([^<]+)<', response.get_data(as_text=True)
    ).group(1)
    client.post("/keluar")
    response = client.post("/masuk", data={"identifier": sub.nip, "password": temporary})
    assert response.headers["Location"] == "/profil/kata-sandi"
    assert AuditLog.select().where(AuditLog.action == "auth.password_reset_by_atasan").count() == 1


def test_the_login_page_links_to_forgot_password(client):
    assert "/lupa-kata-sandi" in client.get("/masuk").get_data(as_text=True)


def test_the_answer_is_sent_before_the_account_is_looked_up_or_mailed(
    client, make_employee, outbox, query_counter
):
    """The answer must not tell by its timing whether the account exists: making it runs the
    same statements for a real and an unknown NIP, and the link is mailed only afterwards."""
    employee = make_employee()
    with query_counter() as known_queries:
        known = _ask(client, employee.nip, close=False)
        known_text = known.get_data(as_text=True)
    with query_counter() as unknown_queries:
        unknown = _ask(client, "199001012015011999", close=False)
        unknown_text = unknown.get_data(as_text=True)
    assert known.status_code == unknown.status_code == 200
    assert known_text == unknown_text.replace("199001012015011999", employee.nip)
    assert outbox == []  # nothing mailed while the answer was made
    assert not AuditLog.select().where(AuditLog.action == "auth.reset_requested").exists()

    def shapes(counter):
        return [re.sub(r", \[.*\]\)$", ")", query) for query in counter.queries]  # no values

    assert shapes(known_queries) == shapes(unknown_queries)
    unknown.close()
    assert outbox == []
    known.close()  # the server has sent the answer: now the link goes out
    assert len(outbox) == 1 and outbox[0]["To"] == employee.email
    assert AuditLog.select().where(AuditLog.action == "auth.reset_requested").exists()


def test_a_mail_server_that_fails_after_the_answer_changes_nothing_for_the_visitor(
    client, make_employee, monkeypatch, caplog
):
    employee = make_employee()

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(mail.smtplib, "SMTP", refuse)
    response = _ask(client, employee.nip)
    assert response.status_code == 200 and "reset-sent" in response.get_data(as_text=True)
    assert "reset mail to employee" in caplog.text
