#!/usr/bin/env python3
"""Benchmark harness: the portal under gunicorn (sync workers, loopback only) on seeded data,
beside a bare Flask page and the stack's floor (bench/floor_app.py: the same stack, nothing of
the portal), all served the same way and driven by wrk in interleaved rounds in one run; every
page is reported as ratios to the bare page and to the floor (these machines are noisy; the
absolute numbers mean little). Then the period-end surge (bench/surge.py) on each engine.

    make bench                       # both engines, 2,000 pegawai, a year of entries, surge
    .venv/bin/python bench/run.py --pegawai 200 --activities-days 30 --rounds 2 --seconds 1 \\
        --database sqlite --database mysql://root@127.0.0.1:3306/bench_portal_smoke \\
        --surge-sessions 20 --surge-seconds 10

A MariaDB database must be named bench_portal_*: the harness creates it (dropping one of the
same name) and drops it at the end (--keep-database keeps it). It reports; it never fails the
build. Results: bench/results/latest.md (gitignored).
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from bench import surge  # noqa: E402
from bench.client import Session  # noqa: E402
from bench.client import login as form_login  # noqa: E402
from bench.pages import PAGES  # noqa: E402
from bench.portal_side import BENCH_PASSWORD  # noqa: E402

BARE = "bare"
FLOOR = "floor (signed in)"
ANON_FLOOR = "floor (anonymous)"
FLOOR_USERS = 2000


# --- processes -----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env, *args, check=True):
    return subprocess.run(
        [str(BIN / "flask"), "--app", "portal", *args],
        env=env,
        cwd=ROOT,
        check=check,
        capture_output=True,
        text=True,
    )


def python_step(env, module, command, request=None):
    """Run `python -m module command` with JSON on stdin; its last stdout line as JSON."""
    result = subprocess.run(
        [str(BIN / "python"), "-m", module, command],
        input=json.dumps(request or {}),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(f"  {module} {command} failed:\n{result.stderr[-3000:]}")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_gunicorn(app_spec, port, env, workers, log=None):
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stderr=log,
    )


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def wait_up(port, path="/", timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            Session(port, timeout=5).request("GET", path)
            return True
        except OSError:
            time.sleep(0.3)
    return False


# --- engines -------------------------------------------------------------------------------


class Engine:
    """One database: its URL and environment, seeded data, servers, accounts and results."""

    def __init__(self, spec, workdir):
        self.created_mysql = None
        if spec in ("sqlite", ""):
            self.label = "sqlite"
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        else:
            parsed = urlparse(spec)
            if parsed.scheme not in ("mysql", "mariadb", "mysql+pymysql"):
                raise SystemExit(f"--database: sqlite or mysql://..., not {spec}")
            name = parsed.path.lstrip("/")
            if not name.startswith("bench_portal_"):
                raise SystemExit("--database: a MariaDB database for the bench is bench_portal_*")
            self.label = "mariadb"
            self.url = spec
            self.mysql = parsed
        self.env = {
            **os.environ,
            "PORTAL_ENV": "development",
            "SECRET_KEY": "bench-secret-key-0123456789",
            "DATABASE_URL": self.url,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.timings = {}
        self.accounts = {}
        self.paths = {}
        self.cookies = {}
        self.floor_cookie = None
        self.floor_nip = None
        self.servers = []

    def _mysql_connection(self):
        import pymysql

        return pymysql.connect(
            host=self.mysql.hostname or "127.0.0.1",
            port=self.mysql.port or 3306,
            user=unquote(self.mysql.username or "root"),
            password=unquote(self.mysql.password or ""),
            autocommit=True,
        )

    def create(self):
        if self.label != "mariadb":
            return
        name = self.mysql.path.lstrip("/")
        with self._mysql_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        self.created_mysql = name

    def drop(self):
        if self.created_mysql:
            with self._mysql_connection() as connection, connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{self.created_mysql}`")
            self.created_mysql = None


def available_commands(env):
    out = flask(env, "--help").stdout
    return set(re.findall(r"^  ([a-z][a-z0-9-]+)", out, re.M))


def seed(engine, args):
    """Migrate and seed through the portal's own commands, then the floor's table."""
    env, timings = engine.env, engine.timings
    commands = available_commands(env)
    start = time.perf_counter()
    flask(env, "migrate")
    timings["migrate"] = time.perf_counter() - start
    steps = [("seed-demo", ["seed-demo", "--pegawai", str(args.pegawai)])]
    if args.activities_days:
        steps.append(("seed-activities", ["seed-activities", "--days", str(args.activities_days)]))
    if args.dialogs:
        steps.append(("seed-dialogs", ["seed-dialogs", "--count", str(args.dialogs)]))
    for name, command in steps:
        if name not in commands:
            print(f"  (skip {name}: command not available)")
            continue
        start = time.perf_counter()
        result = flask(env, *command, check=False)
        timings[name] = time.perf_counter() - start
        if result.returncode != 0:
            print(f"  {name} failed:\n{result.stderr[-2000:]}")
    floor = subprocess.run(
        [str(BIN / "python"), "-m", "bench.floor_app", "setup", str(FLOOR_USERS)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    engine.floor_nip = floor.stdout.strip().splitlines()[-1]


# --- measuring -----------------------------------------------------------------------------


def parse_latency(out, label):
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(port, path, cookie, args):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if args.accept_encoding:
        command += ["-H", f"Accept-Encoding: {args.accept_encoding}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": parse_latency(out, "50"),
        "p99": parse_latency(out, "99"),
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def fetch(port, path, cookie, accept_encoding=None):
    session = Session(port, timeout=60)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    try:
        return session.request("GET", path, headers=headers)
    finally:
        session.close()


def sizes(port, path, cookie, accept_encoding):
    """Bytes of the body: as is, gzip -6 of it, and as sent to a client that accepts
    compression (with the Content-Encoding the server chose)."""
    plain = fetch(port, path, cookie)
    raw = len(plain.body)
    compressed = len(gzip.compress(plain.body, 6))
    sent, encoding = raw, ""
    if accept_encoding:
        answer = fetch(port, path, cookie, accept_encoding)
        sent, encoding = len(answer.body), answer.header("Content-Encoding") or ""
    return {"raw": raw, "gzip": compressed, "sent": sent, "encoding": encoding}


ASSET = re.compile(
    r"<link\b[^>]*\bhref=\"(/[^\"]+)\"[^>]*>|<script\b[^>]*\bsrc=\"(/[^\"]+)\"", re.I
)


def assets_of(html):
    """The page's own stylesheets and scripts (what a first visit downloads besides the page)."""
    found = []
    for link, script in ASSET.findall(html):
        path = link or script
        if (script or ".css" in path) and path not in found:
            found.append(path)
    return found


def first_load(target, cookie, args, cache):
    """Bytes a first visit transfers: the page and its CSS and JS as sent (cookie included, as
    a browser sends it); each asset's headers are kept for the report."""
    page = fetch(target["port"], target["path"], cookie)
    total = target["size"]["sent"]
    for path in assets_of(page.text):
        key = (target["port"], path)
        if key not in cache:
            answer = fetch(target["port"], path, cookie, args.accept_encoding)
            cache[key] = {
                "path": path,
                "status": answer.status,
                "sent": len(answer.body),
                "encoding": answer.header("Content-Encoding") or "",
                "cache_control": answer.header("Cache-Control") or "",
                "set_cookie": bool(answer.header("Set-Cookie")),
                "app": target["app"],
            }
        total += cache[key]["sent"]
    return total


def sign_in(engine, port):
    """Fresh cookies for every role (and the floor's user)."""
    for role, nip in engine.accounts.items():
        session, status = form_login(port["portal"], nip, BENCH_PASSWORD)
        engine.cookies[role] = session.cookie if session else None
        if not session:
            print(f"  [{engine.label}] login of {role} {nip} answered {status}")
    session, status = form_login(port["floor"], engine.floor_nip, "-", field="nip")
    engine.floor_cookie = session.cookie if session else None
    if not session:
        print(f"  [{engine.label}] floor login answered {status}")


def discover_paths(port, env=None):
    """Paths that depend on the data: the first dialog linked from the public list, the first
    unit on /layanan, and a complaint's tracking page (its code is never linked publicly: the
    portal's command prints one)."""
    html = fetch(port, "/dialog-publik", None).text
    found = {}
    units = re.findall(r'href="(/layanan/unit/[0-9]+)"', fetch(port, "/layanan", None).text)
    if units:
        found["service_unit"] = units[0]
    if env is not None:
        result = flask(env, "complaint-sample-code", check=False)
        code = result.stdout.strip().splitlines()[-1:] if result.returncode == 0 else []
        if code and code[0].startswith("ADU-"):
            found["complaint_track"] = f"/pengaduan/lacak/{code[0]}"
    for href in re.findall(r'href="(/dialog-publik/[^"?#]+)"', html):
        if not href.endswith((".ics", ".atom", "/kelola")) and href.count("/") >= 2:
            found["dialog_detail"] = href
            break
    return found


def targets_of(engine, args):
    """The engine's measured pages: the two floors, then PAGES (resolved, checked)."""
    ports = engine.ports
    targets = [
        {"name": ANON_FLOOR, "path": "/masuk", "who": None, "app": "floor"},
        {"name": FLOOR, "path": "/", "who": "floor", "app": "floor"},
    ]
    for name, path, who in PAGES:
        if args.only and name not in args.only:
            continue
        if "{" in path:
            key = path.strip("{}")
            if key not in engine.paths:
                print(f"  [{engine.label}] skip {name}: no {key}")
                continue
            path = engine.paths[key]
        if who and who not in engine.accounts:
            print(f"  [{engine.label}] skip {name}: no {who} account")
            continue
        targets.append({"name": name, "path": path, "who": who, "app": "portal"})
    kept = []
    for target in targets:
        port = ports[target["app"]]
        status = fetch(port, target["path"], cookie_of(engine, target)).status
        if status != 200:
            print(f"  [{engine.label}] skip {target['name']}: {target['path']} answered {status}")
            continue
        target["port"] = port
        target["engine"] = engine.label
        kept.append(target)
    return kept


def cookie_of(engine, target):
    if target["who"] == "floor":
        return engine.floor_cookie
    return engine.cookies.get(target["who"]) if target["who"] else None


def count_queries(engine, targets):
    for app in ("portal", "floor"):
        mine = [t for t in targets if t["app"] == app]
        request = {
            "app": app,
            "targets": [
                {"name": t["name"], "path": t["path"], "cookie": cookie_of(engine, t)} for t in mine
            ],
        }
        result = python_step(engine.env, "bench.portal_side", "count", request) or {}
        for target in mine:
            counted = result.get(target["name"], {})
            target["queries"] = counted.get("queries") if counted.get("status") == 200 else None


def median(values):
    values = [v for v in values if v == v]  # without NaN
    return statistics.median(values) if values else float("nan")


def summarise(target):
    rounds = target.get("rounds", [])
    rps = [r["rps"] for r in rounds]
    target["rps"] = median(rps)
    target["p50"] = median([r["p50"] for r in rounds])
    target["p99"] = median([r["p99"] for r in rounds])
    target["spread"] = (max(rps) - min(rps)) / target["rps"] if rps and target["rps"] else 0.0
    target["errors"] = sum(r["errors"] for r in rounds)


# --- the surge -----------------------------------------------------------------------------


def run_surge(engine, args, workdir):
    prep = python_step(
        engine.env,
        "bench.portal_side",
        "surge-prep",
        {"sessions": args.surge_sessions, "atasan_share": args.surge_atasan_share},
    )
    if not prep or not prep["accounts"]:
        return {"skipped": "no people for the surge"}
    port = free_port()
    log_path = workdir / f"surge-{engine.label}.log"
    with open(log_path, "wb") as log:
        server = start_gunicorn("portal:create_app()", port, engine.env, args.surge_workers, log)
        try:
            if not wait_up(port, "/sehat"):
                return {"skipped": "server did not start"}
            token = f"Surge{int(time.time())}{engine.label[:2]}"
            result = surge.run(
                port,
                prep["accounts"],
                prep["date"],
                args.surge_seconds,
                args.surge_think,
                BENCH_PASSWORD,
                token,
            )
        finally:
            stop(server)
    text = log_path.read_text(errors="replace")
    # SQLite's lock error, and MariaDB's (a deadlock or a lock wait that ran out).
    result["log_locked"] = sum(
        text.count(needle)
        for needle in ("database is locked", "Deadlock found", "Lock wait timeout exceeded")
    )
    result["log_tracebacks"] = text.count("Traceback (most recent call last)")
    result["log_worker_timeouts"] = text.count("WORKER TIMEOUT")
    result["log_tail"] = "\n".join(
        line for line in text.splitlines()[-2000:] if "Error" in line or "TIMEOUT" in line
    )[-1500:]
    beliefs = result.pop("beliefs")
    result["acknowledged"] = {k: len(v) for k, v in beliefs.items()}
    check = python_step(
        engine.env,
        "bench.portal_side",
        "surge-verify",
        {
            "token": token,
            "created": beliefs["created"],
            "submitted": beliefs["submitted"],
            "approved": beliefs["approved"],
        },
    )
    result["check"] = check or {}
    result["date"] = prep["date"]
    result["set_aside"] = prep["set_aside"]
    lost = (check or {}).get("missing", 0) + (check or {}).get("not_submitted", 0)
    lost += (check or {}).get("not_approved", 0)
    result["lost_writes"] = lost if check else None
    result["errors"] = (
        result["server_errors"]
        + result["network_errors"]
        + result["unexpected_4xx"]
        + max(result["locked_in_body"], result["log_locked"])
        + (lost if check else 0)
        + len(result["login_errors"])
    )
    return result


# --- report --------------------------------------------------------------------------------


def fmt(value, digits=1):
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def kb(n):
    return f"{n / 1024:.1f}"


def report(args, engines, bare, surges):
    out = [
        f"# Benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"gunicorn {args.workers} sync workers on 127.0.0.1; wrk {args.threads} thread x "
        f"{args.connections} connections; {args.rounds} interleaved rounds x {args.seconds} s "
        f"per page (figures: the median of the rounds; spread = (max - min) / median of req/s); "
        f"wrk sends Accept-Encoding: {args.accept_encoding or '(none)'}. {args.pegawai} pegawai, "
        f"{args.activities_days} days of entries, {args.dialogs} dialogs. Queries: SQL "
        f"statements of one request (in-process, after a warm-up request). Bytes: the body as "
        f"is, gzip -6 of it, and as sent when the client accepts compression.",
    ]
    if bare["rps"] == bare["rps"]:
        out += [
            "",
            f"Bare Flask page: {fmt(bare['rps'])} req/s, p50 {fmt(bare['p50'], 2)} ms, "
            f"p99 {fmt(bare['p99'], 2)} ms, spread {fmt(bare['spread'] * 100, 0)}%.",
        ]
    for engine in engines:
        if not engine.targets:
            continue
        seeding = ", ".join(f"{k} {v:.1f} s" for k, v in engine.timings.items())
        out += [
            "",
            f"## {engine.label}",
            "",
            f"Seeding: {seeding}. Accounts: "
            + ", ".join(f"{role} {nip}" for role, nip in engine.accounts.items())
            + ".",
            "",
            "| page | path | who | req/s | spread | p50 ms | p99 ms | errors | queries | "
            "KB raw | KB gzip | KB sent | KB first load | ÷ bare | ÷ floor |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        floor = {t["name"]: t for t in engine.targets if t["app"] == "floor"}
        for target in engine.targets:
            if target["app"] == "floor":
                base = None
            else:
                base = floor.get(FLOOR if target["who"] else ANON_FLOOR)
            size = target["size"]
            sent = kb(size["sent"]) + (f" ({size['encoding']})" if size["encoding"] else "")
            to_floor = target["rps"] / base["rps"] if base and base["rps"] else None
            out.append(
                f"| {target['name']} | `{target['path']}` | {target['who'] or 'anonymous'} | "
                f"{fmt(target['rps'])} | {fmt(target['spread'] * 100, 0)}% | "
                f"{fmt(target['p50'], 2)} | {fmt(target['p99'], 2)} | {target['errors']} | "
                f"{target.get('queries') if target.get('queries') is not None else '–'} | "
                f"{kb(size['raw'])} | {kb(size['gzip'])} | {sent} | "
                f"{kb(target['first_load'])} | "
                f"{fmt(target['rps'] / bare['rps'] if bare['rps'] else None, 3)} | "
                f"{fmt(to_floor, 3)} |"
            )
    shown = next((e for e in engines if getattr(e, "assets", None)), None)
    if shown:
        out += [
            "",
            f"The portal's static files ({shown.label}; asked for with the session cookie, as a "
            "browser does; KB first load above = the page and these, as sent):",
            "",
            "| file | status | KB sent | Content-Encoding | Cache-Control | sets a cookie |",
            "|---|---:|---:|---|---|---|",
        ]
        for asset in shown.assets.values():
            if asset["app"] != "portal":
                continue
            out.append(
                f"| `{asset['path']}` | {asset['status']} | {kb(asset['sent'])} | "
                f"{asset['encoding'] or '–'} | {asset['cache_control'] or '–'} | "
                f"{'yes' if asset['set_cookie'] else 'no'} |"
            )
    if len(engines) > 1:
        first, second = sorted(engines, key=lambda e: e.label != "sqlite")[:2]
        out += [
            "",
            f"## {second.label} ÷ {first.label} (the same run)",
            "",
            f"| page | {first.label} req/s | {second.label} req/s | {second.label} ÷ "
            f"{first.label} | {first.label} p50 ms | {second.label} p50 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        theirs = {t["name"]: t for t in second.targets}
        for target in first.targets:
            other = theirs.get(target["name"])
            if not other:
                continue
            ratio = other["rps"] / target["rps"] if target["rps"] else None
            out.append(
                f"| {target['name']} | {fmt(target['rps'])} | {fmt(other['rps'])} | "
                f"{fmt(ratio, 3)} | {fmt(target['p50'], 2)} | {fmt(other['p50'], 2)} |"
            )
    if surges:
        out += [
            "",
            "## Period-end surge",
            "",
            f"{args.surge_sessions} sessions (about {args.surge_atasan_share:.0%} atasan "
            f"approving, the others pegawai adding two entries and submitting their day, over "
            f"and over) for {args.surge_seconds} s on gunicorn {args.surge_workers} sync "
            f"workers, think time {args.surge_think} s (0.5–1.5x) between a session's "
            f"requests; logins before the clock starts. Errors = 5xx + network errors and "
            f'time-outs + unexpected 4xx + locks ("database is locked"; on MariaDB a '
            f"deadlock or lock wait time-out) + lost writes + failed logins; 409/422 are "
            f"the rules' answers (an overlap, the day's maximum).",
            "",
            "| engine | signed in | requests | req/s | p50 ms | p99 ms | errors | 5xx | "
            "network | 4xx | locked | lost writes | rules 409/422 | surge entries saved / "
            "submitted / approved |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for label, result in surges:
            if "skipped" in result:
                out.append(f"| {label} | skipped: {result['skipped']} |" + " |" * 12)
                continue
            ack = result["acknowledged"]
            out.append(
                f"| {label} | {result['signed_in']}/{result['sessions']} "
                f"({result['atasan']} atasan) | {result['requests']} | "
                f"{fmt(result['throughput'])} | {fmt(result['p50_ms'])} | "
                f"{fmt(result['p99_ms'])} | **{result['errors']}** | {result['server_errors']} | "
                f"{result['network_errors']} | {result['unexpected_4xx']} | "
                f"{max(result['locked_in_body'], result['log_locked'])} | "
                f"{fmt(result['lost_writes'], 0)} | {result['rule_answers']} | "
                f"{ack['created']} / {ack['submitted']} / "
                f"{result['check'].get('approved_checked', '–')} |"
            )
        for label, result in surges:
            if "skipped" in result:
                continue
            out += [
                "",
                f"{label}, per action (surge date {result['date']}; "
                f"{result['set_aside']} seeded entries of that date set aside; logins took "
                f"{fmt(result['login_seconds'])} s; database check: "
                f"{json.dumps(result['check'], default=str)}):",
                "",
            ]
            for action, data in result["actions"].items():
                out.append(
                    f"- {action}: {data['count']} requests, p50 {fmt(data['p50_ms'])} ms, "
                    f"p99 {fmt(data['p99_ms'])} ms, statuses {data['statuses']}"
                )
            if result["login_errors"]:
                out.append(f"- login errors: {result['login_errors'][:5]}")
            if result["log_tail"]:
                out += ["", "```", result["log_tail"], "```"]
    return "\n".join(out) + "\n"


# --- main ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pegawai", type=int, default=2000)
    parser.add_argument("--activities-days", type=int, default=365)
    parser.add_argument("--dialogs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per page and round")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--accept-encoding",
        default="gzip, deflate, br",
        help="what wrk sends, as browsers do ('' for none)",
    )
    parser.add_argument(
        "--database",
        action="append",
        help="sqlite (a temp file) or mysql://root@127.0.0.1:3306/bench_portal_NAME; twice for "
        "both engines in one run (default: sqlite)",
    )
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--only", nargs="*", help="page names to run")
    parser.add_argument("--no-pages", action="store_true", help="only the surge")
    parser.add_argument("--no-surge", action="store_true")
    parser.add_argument("--surge-sessions", type=int, default=200)
    parser.add_argument("--surge-seconds", type=int, default=60)
    parser.add_argument("--surge-workers", type=int, default=4)
    parser.add_argument("--surge-think", type=float, default=1.0, help="seconds, mean")
    parser.add_argument("--surge-atasan-share", type=float, default=0.1)
    args = parser.parse_args()
    if not args.no_pages and not shutil.which("wrk"):
        print("wrk is not installed (make bench installs Debian's): the pages are skipped.")
        args.no_pages = True

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    engines = [Engine(spec, workdir) for spec in (args.database or ["sqlite"])]
    if len({e.label for e in engines}) != len(engines):
        raise SystemExit("--database: one of each engine")
    servers = []
    surges = []
    bare = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "spread": 0.0}
    try:
        for engine in engines:
            print(f"[{engine.label}] seeding {args.pegawai} pegawai into {engine.url} ...")
            engine.create()
            seed(engine, args)
            print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in engine.timings.items()))
            picked = python_step(engine.env, "bench.portal_side", "accounts") or {}
            engine.accounts = picked.get("accounts", {})
            print(f"  accounts: {engine.accounts}")
        if not args.no_pages:
            bare_port = free_port()
            servers.append(
                start_gunicorn("bench.bare_app:app", bare_port, engines[0].env, args.workers)
            )
            for engine in engines:
                engine.ports = {"portal": free_port(), "floor": free_port()}
                for app, spec in (
                    ("portal", "portal:create_app()"),
                    ("floor", "bench.floor_app:app"),
                ):
                    servers.append(
                        start_gunicorn(spec, engine.ports[app], engine.env, args.workers)
                    )
            up = wait_up(bare_port) and all(
                wait_up(e.ports["portal"], "/sehat") and wait_up(e.ports["floor"], "/masuk")
                for e in engines
            )
            if not up:
                print("servers did not start")
                return 0
            for engine in engines:
                sign_in(engine, engine.ports)
                engine.paths = discover_paths(engine.ports["portal"], engine.env)
                engine.targets = targets_of(engine, args)
                count_queries(engine, engine.targets)
                engine.assets = {}
                for target in engine.targets:
                    cookie = cookie_of(engine, target)
                    target["size"] = sizes(
                        target["port"], target["path"], cookie, args.accept_encoding
                    )
                    target["first_load"] = first_load(target, cookie, args, engine.assets)
            bare_target = {"name": BARE, "path": "/", "port": bare_port, "who": None, "rounds": []}
            # Interleave: each page's engines side by side; every other round backwards.
            order = [bare_target]
            longest = max(len(e.targets) for e in engines)
            for index in range(longest):
                for engine in engines:
                    if index < len(engine.targets):
                        order.append(engine.targets[index])
            for number in range(args.rounds):
                if number:
                    for engine in engines:
                        sign_in(engine, engine.ports)
                print(f"round {number + 1}/{args.rounds}")
                for target in order if number % 2 == 0 else list(reversed(order)):
                    engine = next((e for e in engines if e.label == target.get("engine")), None)
                    cookie = cookie_of(engine, target) if engine else None
                    result = wrk(target["port"], target["path"], cookie, args)
                    # wrk counts only 4xx/5xx as errors: a session that ended (a redirect to
                    # /masuk) would pass unseen, so the page is asked for once more.
                    after = fetch(target["port"], target["path"], cookie).status
                    if after != 200:
                        result["errors"] += 1
                        print(f"  {target['name']}: {target['path']} now answers {after}")
                    target.setdefault("rounds", []).append(result)
                    print(
                        f"  {target.get('engine', ''):8} {target['name']:20} "
                        f"{result['rps']:8.1f} req/s  p50 {result['p50']:7.2f} ms  "
                        f"p99 {result['p99']:7.2f} ms  errors {result['errors']}"
                    )
            for target in order:
                summarise(target)
            bare = bare_target
            for server in servers:
                stop(server)
            servers = []
        else:
            for engine in engines:
                engine.targets = []
        if not args.no_surge:
            for engine in engines:
                print(
                    f"[{engine.label}] surge: {args.surge_sessions} sessions x "
                    f"{args.surge_seconds} s on {args.surge_workers} workers ..."
                )
                result = run_surge(engine, args, workdir)
                surges.append((engine.label, result))
                if "skipped" not in result:
                    print(
                        f"  {result['throughput']:.1f} req/s, p50 {result['p50_ms']:.0f} ms, "
                        f"p99 {result['p99_ms']:.0f} ms, errors {result['errors']}"
                    )
    finally:
        for server in servers:
            stop(server)
        if not args.keep_database:
            for engine in engines:
                engine.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    text = report(args, engines, bare, surges)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(text)
    print()
    print(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # it reports; it never fails the build
        import traceback

        traceback.print_exc()
        print("bench: stopped by the error above; nothing more to report.")
        sys.exit(0)
