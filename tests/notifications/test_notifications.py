"""The notification centre: bell count, list, mark read, mark all read, the access rules, the
bell polling that does not keep a session alive, and e-mail through a local SMTP server."""

import socketserver
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.notifications import mail, services
from portal.notifications.models import Notification

HX = {"HX-Request": "true"}


@pytest.fixture
def people(app, make_employee):
    return make_employee(nama="Siti Aminah"), make_employee(nama="Joko Susilo")


def _notice(recipient, text="Kegiatan Anda disetujui.", link="/verifikasi/kegiatan/1", **extra):
    return Notification.create(
        recipient=recipient, kind="activity_approved", message=text, link=link, **extra
    )


def test_bell_in_the_header_shows_the_unread_count(client, login_as, people):
    siti, joko = people
    _notice(siti)
    _notice(siti, "Kegiatan dikembalikan.")
    _notice(joko)
    login_as(siti)
    html = client.get("/notifikasi").get_data(as_text=True)
    assert 'hx-trigger="every 60s"' in html and 'hx-get="/notifikasi/lonceng"' in html
    assert 'Notifikasi</span> <span class="badge' in html  # the label, then the count
    fragment = client.get("/notifikasi/lonceng", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<a class="nav-link notification-bell')
    assert ">2<" in fragment and "belum dibaca" in fragment
    assert 'id="flash"' not in fragment  # polling never clears nor consumes flash messages


def test_list_mark_read_and_mark_all_read(client, login_as, people):
    siti, joko = people
    first = _notice(siti)
    _notice(siti, "Kedua")
    other = _notice(joko)
    login_as(siti)
    html = client.get("/notifikasi").get_data(as_text=True)
    assert "Kegiatan Anda disetujui." in html and "2 notifikasi belum dibaca." in html
    response = client.post(f"/notifikasi/{first.id}/baca", headers=HX)
    assert response.status_code == 200 and "1 notifikasi belum dibaca." in response.get_data(True)
    assert client.post(f"/notifikasi/{other.id}/baca").status_code == 404
    assert client.post(f"/notifikasi/{other.id}/buka").status_code == 404
    response = client.post("/notifikasi/baca-semua")
    assert response.status_code == 303
    assert services.unread_count(siti) == 0
    assert services.unread_count(joko) == 1


def test_opening_a_notice_marks_it_read_and_follows_only_local_links(client, login_as, people):
    siti, _joko = people
    local = _notice(siti)
    evil = _notice(siti, link="https://evil.example/x")
    login_as(siti)
    response = client.post(f"/notifikasi/{local.id}/buka")
    assert response.status_code == 303 and response.headers["Location"] == local.link
    assert Notification.get_by_id(local.id).read_at is not None
    response = client.post(f"/notifikasi/{evil.id}/buka")
    assert response.headers["Location"] == "/notifikasi"


@pytest.mark.parametrize("url", ["/notifikasi", "/notifikasi/lonceng"])
def test_anonymous_visitors_are_sent_to_login(client, url):
    assert client.get(url).status_code == 302
    assert client.get(url, headers=HX).status_code == 401


def test_bell_polling_does_not_keep_an_idle_session_alive(app, client, login_as, people):
    siti, _joko = people
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        login_as(siti)
        assert client.get("/notifikasi").status_code == 200
        for _ in range(40):  # 40 minutes of polling, no clicks
            traveller.shift(timedelta(seconds=60))
            response = client.get("/notifikasi/lonceng", headers=HX)
            if response.status_code != 200:
                break
        assert response.status_code == 401  # the idle timeout (30 min) ended the session
        assert response.headers["HX-Redirect"].startswith("/masuk")


def test_active_user_session_is_kept_by_real_requests(client, login_as, people):
    siti, _joko = people
    with time_machine.travel(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), tick=False) as traveller:
        login_as(siti)
        for _ in range(4):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/notifikasi").status_code == 200


def test_notify_deduplicates_per_recipient_and_key(people):
    siti, _joko = people
    assert services.notify(siti, "reminder", "Satu", dedupe_key="k1") is not None
    assert services.notify(siti, "reminder", "Dua", dedupe_key="k1") is None
    assert services.unread_count(siti) == 1


# --- e-mail --------------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 localhost test SMTP\r\n")
        data_mode, lines = False, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if data_mode:
                if line in (b".\r\n", b".\n"):
                    self.server.messages.append(b"".join(lines).decode("utf-8", "replace"))
                    lines, data_mode = [], False
                    self.wfile.write(b"250 OK queued\r\n")
                else:
                    lines.append(line)
                continue
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 localhost\r\n")
            elif command == b"DATA":
                data_mode = True
                self.wfile.write(b"354 go ahead\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class _SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


@pytest.fixture
def smtp_server():
    server = _SMTPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_notices_are_emailed_once_through_smtp(app, smtp_server, people, runner):
    siti, joko = people
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.server_address[1],
        PORTAL_BASE_URL="https://kinerja.sukamaju.go.id",
    )
    _notice(siti, "Kegiatan Anda tanggal Senin, 23 November 2026 disetujui.")
    _notice(joko, "Dua kegiatan dikembalikan untuk revisi.")
    result = runner.invoke(args=["send-notification-emails"])
    assert result.exit_code == 0, result.output
    assert "2 e-mail terkirim." in result.output
    assert len(smtp_server.messages) == 2
    message = next(m for m in smtp_server.messages if siti.email in m)
    assert "https://kinerja.sukamaju.go.id/verifikasi/kegiatan/1" in message
    assert mail.deliver_pending() == 0  # nothing twice
    assert len(smtp_server.messages) == 2


def test_without_mail_server_nothing_is_sent(app, people):
    siti, _joko = people
    app.config["MAIL_SERVER"] = ""
    _notice(siti)
    assert mail.deliver_pending() == 0
    assert Notification.get().emailed_at is None
