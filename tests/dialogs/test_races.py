"""Real parallel HTTP requests against a threaded server: the quota is never oversold and one
contact registers once (SQLite and MariaDB; each request has its own connection)."""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from portal.dialogs import moderation, public
from portal.dialogs.models import Dialog, Question, QuestionSupport, Registration


@pytest.fixture
def server(app):
    app.config["DIALOG_POSTS_PER_IP"] = 10000
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=5)


def _post(port, path, data, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode(data)
    connection.request(
        "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    )
    status = connection.getresponse().status
    connection.close()
    return status


def _parallel(count, function):
    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(function, range(count)))


def test_parallel_registrations_never_oversell_the_quota(server, make_dialog):
    dialog = make_dialog(kuota=30)

    def register(number):
        data = {"nama": f"Warga {number}", "kontak": f"0812000{number:05d}", "setuju": "y"}
        return _post(server, f"/dialog-publik/{dialog.id}/daftar", data)

    statuses = _parallel(80, register)
    assert statuses.count(303) == 30, statuses
    assert statuses.count(422) == 50
    assert Registration.select().where(Registration.dialog == dialog.id).count() == 30
    assert Dialog.get_by_id(dialog.id).registered_count == 30


def test_parallel_duplicate_registrations_keep_one(server, make_dialog):
    dialog = make_dialog()

    def register(number):
        contact = "0812 3456 7890" if number % 2 else "+62-812-3456-7890"
        data = {"nama": f"Budi {number}", "kontak": contact, "setuju": "y"}
        return _post(server, f"/dialog-publik/{dialog.id}/daftar", data)

    statuses = _parallel(20, register)
    assert statuses.count(303) == 1 and statuses.count(422) == 19, statuses
    assert Registration.select().count() == 1
    assert Dialog.get_by_id(dialog.id).registered_count == 1


def test_parallel_supports_from_one_browser_count_once(server, make_dialog, organizer):
    dialog = make_dialog()
    question = public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya", False))
    moderation.approve_question(organizer, question)
    path = f"/dialog-publik/{dialog.id}/pertanyaan/{question.id}/dukung"

    def support(number):
        return _post(
            server, path, {}, {"Cookie": "dp_pendukung=satu-peramban", "HX-Request": "true"}
        )

    statuses = _parallel(20, support)
    assert statuses.count(200) == 1 and statuses.count(409) == 19, statuses
    assert QuestionSupport.select().count() == 1
    assert Question.get_by_id(question.id).support_count == 1
