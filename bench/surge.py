"""The period-end surge: a month's last afternoon. Many signed-in sessions at once for a fixed
time, pegawai adding entries to their day and submitting it while their atasan approve what
arrives, each session a thread with its own cookie jar, real logins and the CSRF token taken
from the page, htmx requests as the browser sends them (the answer is the day panel or the
queue). Closed loop with a think time between a session's requests.

It counts what must be zero: 5xx answers, network errors and time-outs, "database is locked"
anywhere, unexpected 4xx (a CSRF or permission refusal), and lost writes (what the clients
were told was saved, compared with the database afterwards by run.py). Answers the rules
give (an overlap, the day's maximum: 409/422) are counted apart; they are not errors.

Bounded: at most MAX_SESSIONS sessions and MAX_SECONDS seconds; every thread stops by itself.
"""

import math
import random
import statistics
import threading
import time

from bench.client import Session, csrf_token

MAX_SESSIONS = 1000
MAX_SECONDS = 600
HTMX = {"HX-Request": "true", "HX-Target": "day-panel"}
FIRST_SLOT = 6 * 60  # entries of 5 minutes from 06.00 (216 slots before midnight)
SLOT_MINUTES = 5
RULE_ANSWERS = (409, 422)
LOCKED = b"database is locked"


class Recorder:
    """Every request of one session: (action, status or None, seconds, started_at, note)."""

    def __init__(self):
        self.rows = []

    def add(self, action, status, seconds, started, note=""):
        self.rows.append((action, status, seconds, started, note))


def _do(session, recorder, action, method, path, form=None, headers=None):
    started = time.perf_counter()
    try:
        response = session.request(method, path, form=form, headers=headers)
    except Exception as error:  # network error or time-out: the server's failure to answer
        recorder.add(action, None, time.perf_counter() - started, started, type(error).__name__)
        return None
    note = "locked" if LOCKED in response.body else ""
    recorder.add(action, response.status, response.seconds, started, note)
    return response


def _pause(rng, think, deadline, start=False):
    """A think time of 0.5-1.5x `think` (0-1x at the start: sessions do not all begin at the
    same instant), never past the deadline."""
    if think > 0:
        low, high = (0.0, think) if start else (0.5 * think, 1.5 * think)
        time.sleep(min(rng.uniform(low, high), max(0.0, deadline - time.time())))


def _clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def pegawai(session, number, ctx, recorder, beliefs):
    """View the day, add two entries, submit the day; again until the deadline."""
    rng = random.Random(number)
    day, token, deadline = ctx["date"], ctx["token"], ctx["deadline"]
    slot, written, pending = 0, 0, []
    csrf = ctx["csrf"][number]
    _pause(rng, ctx["think"], deadline, start=True)
    while time.time() < deadline:
        page = _do(session, recorder, "view day", "GET", f"/kegiatan?tanggal={day}")
        if page is not None and page.status == 200:
            csrf = csrf_token(page.text) or csrf
        for _ in range(2):
            _pause(rng, ctx["think"], deadline)
            if time.time() >= deadline:
                return
            start = FIRST_SLOT + slot * SLOT_MINUTES
            if start + SLOT_MINUTES > 24 * 60 - 1:
                break
            text = f"{token} s{number} e{written}"
            form = {
                "csrf_token": csrf,
                "tanggal": day,
                "jam_mulai": _clock(start),
                "jam_selesai": _clock(start + SLOT_MINUTES),
                "uraian": text,
                "volume": "1",
                "satuan": "kegiatan",
                "lokasi": "WFO",
                "version": "",
            }
            answer = _do(session, recorder, "add entry", "POST", "/kegiatan/tambah", form, HTMX)
            written += 1
            slot += 1
            if answer is None:
                beliefs["unknown"].append(text)
            elif answer.status == 200:
                beliefs["created"].append(text)
                pending.append(text)
        _pause(rng, ctx["think"], deadline)
        if time.time() >= deadline:
            return
        if pending:
            form = {"csrf_token": csrf, "tanggal": day}
            answer = _do(session, recorder, "submit day", "POST", "/kegiatan/ajukan", form, HTMX)
            if answer is not None and answer.status == 200:
                beliefs["submitted"].extend(pending)
                pending = []
        _pause(rng, ctx["think"], deadline)


def _waiting_items(html):
    """The queue's "approve everything shown" value ('id:version,...'), or ''."""
    marker = 'name="ids" value="'
    at = html.find(marker)
    if at < 0:
        return ""
    end = html.find('"', at + len(marker))
    return html[at + len(marker) : end]


def atasan(session, number, ctx, recorder, beliefs):
    """Open the queue; approve everything shown; again until the deadline."""
    rng = random.Random(10_000 + number)
    deadline = ctx["deadline"]
    csrf = ctx["csrf"][number]
    _pause(rng, ctx["think"], deadline, start=True)
    while time.time() < deadline:
        page = _do(session, recorder, "view queue", "GET", "/verifikasi")
        items = ""
        if page is not None and page.status == 200:
            csrf = csrf_token(page.text) or csrf
            items = _waiting_items(page.text)
        _pause(rng, ctx["think"], deadline)
        if items and time.time() < deadline:
            form = {"csrf_token": csrf, "ids": items, "confirmed": "1"}
            headers = {"HX-Request": "true", "HX-Target": "queue"}
            answer = _do(session, recorder, "approve", "POST", "/verifikasi/setujui", form, headers)
            if answer is not None and answer.status == 200:
                beliefs["approved"].extend(int(part.split(":")[0]) for part in items.split(","))
            _pause(rng, ctx["think"], deadline)


def _percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def run(port, accounts, day, seconds, think, password, token, login_threads=8, timeout=30):
    """Sign everyone in (bounded, not timed), then run the surge for `seconds`; a summary dict
    with the clients' beliefs for the database check."""
    accounts = accounts[:MAX_SESSIONS]
    seconds = min(seconds, MAX_SECONDS)
    sessions, csrf, login_errors = {}, {}, []
    late = {"closed": False}
    gate = threading.Semaphore(login_threads)
    lock = threading.Lock()
    start_pages = {"atasan": "/verifikasi", "pegawai": f"/kegiatan?tanggal={day}"}

    def sign_in(number, account):
        with gate:
            session = Session(port, timeout=timeout)
            try:
                page = session.request("GET", "/masuk")
                form = {
                    "identifier": account["nip"],
                    "password": password,
                    "csrf_token": csrf_token(page.text),
                    "next": "/",
                }
                answer = session.request("POST", "/masuk", form=form)
                if answer.status not in (302, 303):
                    raise RuntimeError(f"login answered {answer.status}")
                first = session.request("GET", start_pages[account["role"]])
                if first.status != 200:
                    raise RuntimeError(f"{start_pages[account['role']]} answered {first.status}")
            except Exception as error:
                with lock:
                    login_errors.append(f"{account['nip']}: {error}")
                return
            with lock:
                if late["closed"]:  # signed in after the others had started: not counted
                    session.close()
                    return
                sessions[number] = session
                csrf[number] = csrf_token(first.text)

    began = time.time()
    threads = [
        threading.Thread(target=sign_in, args=(n, a), daemon=True) for n, a in enumerate(accounts)
    ]
    for thread in threads:
        thread.start()
    login_deadline = time.time() + max(120, len(accounts))
    for thread in threads:
        thread.join(timeout=max(0.1, login_deadline - time.time()))
    with lock:
        late["closed"] = True
        signed_in = dict(sessions)
        tokens = dict(csrf)
    login_seconds = time.time() - began

    ctx = {"date": day, "token": token, "think": think, "csrf": tokens}
    beliefs = {"created": [], "submitted": [], "approved": [], "unknown": []}
    recorders = {n: Recorder() for n in signed_in}
    workers = []
    for number, session in signed_in.items():
        role = accounts[number]["role"]
        target = atasan if role == "atasan" else pegawai
        mine = {"created": [], "submitted": [], "approved": [], "unknown": []}
        beliefs.setdefault("_per_session", []).append(mine)
        workers.append(
            threading.Thread(
                target=target,
                args=(session, number, ctx, recorders[number], mine),
                daemon=True,
            )
        )
    t0 = time.perf_counter()
    ctx["deadline"] = time.time() + seconds
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=max(1.0, ctx["deadline"] - time.time()) + timeout + 5)
    elapsed = time.perf_counter() - t0
    stuck = sum(thread.is_alive() for thread in workers)
    for session in signed_in.values():
        session.close()
    for mine in beliefs.pop("_per_session", []):
        for key, values in mine.items():
            beliefs[key].extend(values)

    rows = [row for recorder in recorders.values() for row in list(recorder.rows)]
    done = [row for row in rows if row[1] is not None]
    latencies = [row[2] for row in done]
    by_action = {}
    for action, status, spent, _started, _note in rows:
        entry = by_action.setdefault(action, {"count": 0, "latencies": [], "statuses": {}})
        entry["count"] += 1
        entry["statuses"][str(status)] = entry["statuses"].get(str(status), 0) + 1
        if status is not None:
            entry["latencies"].append(spent)
    actions = {
        name: {
            "count": entry["count"],
            "p50_ms": _percentile(entry["latencies"], 0.5) * 1000,
            "p99_ms": _percentile(entry["latencies"], 0.99) * 1000,
            "statuses": entry["statuses"],
        }
        for name, entry in sorted(by_action.items())
    }
    return {
        "sessions": len(accounts),
        "signed_in": len(signed_in),
        "atasan": sum(1 for n in signed_in if accounts[n]["role"] == "atasan"),
        "login_seconds": login_seconds,
        "login_errors": login_errors,
        "seconds": elapsed,
        "requests": len(rows),
        "throughput": len(done) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(latencies, 0.5) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "server_errors": sum(1 for row in done if row[1] >= 500),
        "network_errors": sum(1 for row in rows if row[1] is None),
        "unexpected_4xx": sum(
            1 for row in done if 400 <= row[1] < 500 and row[1] not in RULE_ANSWERS
        ),
        "rule_answers": sum(1 for row in done if row[1] in RULE_ANSWERS),
        "locked_in_body": sum(1 for row in rows if row[4] == "locked"),
        "stuck_threads": stuck,
        "actions": actions,
        "beliefs": beliefs,
    }
