#!/usr/bin/env python3
"""Benchmark harness: the portal under gunicorn (sync workers, loopback only) on seeded data,
each named page driven by wrk for a few seconds, reported beside a bare Flask page served the
same way in the same run, as ratios (these machines are noisy; absolute numbers mean little).

    make bench                      # defaults: 2,000 pegawai, 5 s per page
    .venv/bin/python bench/run.py --pegawai 20000 --seconds 10 --activities-days 365

It reports; it never fails the build. Results: bench/results/latest.md (gitignored).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from bench.pages import PAGES  # noqa: E402

BENCH_PASSWORD = "bench-kata-sandi-2026"


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


def available_commands(env):
    out = flask(env, "--help").stdout
    return set(re.findall(r"^  ([a-z][a-z0-9-]+)", out, re.M))


def seed(env, args):
    commands = available_commands(env)
    timings = {}
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
    return timings


def pick_accounts(env):
    """Choose one account per role and give it a known password (in-process, on the bench DB)."""
    code = f"""
import json
from portal import create_app
from portal.db import db
from portal.auth.passwords import hash_password
from portal.org.models import Employee, RoleAssignment
import peewee as pw
app = create_app()
with app.app_context():
    db.connect(reuse_if_open=True)
    Sub = Employee.alias()
    atasan = (Employee.select(Employee, pw.fn.COUNT(Sub.id).alias('n'))
              .join(Sub, on=(Sub.supervisor == Employee.id))
              .group_by(Employee.id).order_by(pw.fn.COUNT(Sub.id).desc()).first())
    pegawai = Employee.select().where(Employee.supervisor == atasan.id).first() if atasan else None
    admin = (Employee.select().join(RoleAssignment)
             .where(RoleAssignment.role == 'admin').first())
    found = {{}}
    hashed = hash_password({BENCH_PASSWORD!r})
    for role, row in (('atasan', atasan), ('pegawai', pegawai), ('admin', admin)):
        if row is not None:
            Employee.update(password_hash=hashed, must_change_password=False, failed_logins=0,
                            locked_until=None).where(Employee.id == row.id).execute()
            found[role] = row.nip
    extra = {{}}
    print(json.dumps({{'accounts': found, 'paths': extra}}))
"""
    result = subprocess.run(
        [str(BIN / "python"), "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return {"accounts": {}, "paths": {}}
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_gunicorn(app_spec, port, env, workers):
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
    )


def wait_up(port, path="/", timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _cookies(response, jar):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def login(port, nip):
    """Sign in through the real form (CSRF token included); return the Cookie header."""
    jar = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/masuk")
    response = connection.getresponse()
    html = response.read().decode()
    _cookies(response, jar)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    body = urlencode(
        {
            "identifier": nip,
            "password": BENCH_PASSWORD,
            "csrf_token": token.group(1) if token else "",
            "next": "/",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Referer": f"http://127.0.0.1:{port}/masuk",
    }
    connection.request("POST", "/masuk", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302:
        print(f"  login of {nip} answered {response.status}")
        return None
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def discover_paths(port):
    """Paths that depend on the data: the first dialog linked from the public list."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/dialog-publik")
    response = connection.getresponse()
    html = response.read().decode(errors="replace")
    found = {}
    for href in re.findall(r'href="(/dialog-publik/[^"?#]+)"', html):
        if not href.endswith((".ics", ".atom", "/kelola")) and href.count("/") >= 2:
            found["dialog_detail"] = href
            break
    return found


def status_of(port, path, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    return response.status


def wrk(port, path, cookie, seconds, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label):
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pegawai", type=int, default=2000)
    parser.add_argument("--activities-days", type=int, default=0)
    parser.add_argument("--dialogs", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="", help="DATABASE_URL (default: a temp SQLite)")
    parser.add_argument("--only", nargs="*", help="page names to run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured.")
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "SECRET_KEY": "bench-secret-key-0123456789",
        "DATABASE_URL": args.database or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    print(f"Seeding {args.pegawai} pegawai into {env['DATABASE_URL']} ...")
    timings = seed(env, args)
    print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    picked = pick_accounts(env)
    portal_port, bare_port = free_port(), free_port()
    servers = [
        start_gunicorn("portal:create_app()", portal_port, env, args.workers),
        start_gunicorn("bench.bare_app:app", bare_port, env, args.workers),
    ]
    rows = []
    try:
        if not (wait_up(portal_port, "/sehat") and wait_up(bare_port)):
            print("servers did not start")
            return 0
        cookies = {None: None}
        for role, nip in picked["accounts"].items():
            cookies[role] = login(portal_port, nip)
        picked["paths"].update(discover_paths(portal_port))
        bare = wrk(bare_port, "/", None, args.seconds, args.connections)
        rows.append(("bare Flask page (baseline)", "/", bare, bare))
        for name, path, who in PAGES:
            if args.only and name not in args.only:
                continue
            if "{" in path:
                key = path.strip("{}")
                if key not in picked["paths"]:
                    print(f"  skip {name}: no {key}")
                    continue
                path = picked["paths"][key]
            cookie = cookies.get(who)
            if who and not cookie:
                print(f"  skip {name}: no {who} account")
                continue
            status = status_of(portal_port, path, cookie)
            if status != 200:
                print(f"  skip {name}: {path} answered {status}")
                continue
            result = wrk(portal_port, path, cookie, args.seconds, args.connections)
            rows.append((name, path, result, bare))
            print(
                f"  {name:18} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms"
                f"  ratio {result['rps'] / bare['rps']:.3f}"
            )
        bare_end = wrk(bare_port, "/", None, args.seconds, args.connections)
        rows.append(("bare Flask page (again, at the end)", "/", bare_end, bare))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)

    lines = [
        f"# Benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"gunicorn {args.workers} sync workers on 127.0.0.1, wrk 1 thread x {args.connections} "
        f"connections x {args.seconds} s per page; {args.pegawai} pegawai "
        f"(activities days: {args.activities_days}, dialogs: {args.dialogs}); "
        f"database {env['DATABASE_URL'].split(':')[0]}. Seeding: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()),
        "",
        "| page | path | req/s | p50 ms | p99 ms | throughput ratio to bare | p50 ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, path, result, base in rows:
        lines.append(
            f"| {name} | `{path}` | {result['rps']:.1f} | {result['p50']:.2f} | "
            f"{result['p99']:.2f} | {result['rps'] / base['rps']:.3f} | "
            f"{result['p50'] / base['p50']:.1f}x |"
        )
    report = "\n".join(lines) + "\n"
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report)
    print()
    print(report)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
