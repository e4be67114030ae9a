"""The floor: the least any signed-in page of this stack can cost, served beside the portal.

The same stack as the portal and nothing of it: Flask, a Flask-Login cookie session, a Flask-WTF
CSRF token in the page, one indexed Peewee lookup of the user (by primary key), a Jinja layout
with a nav bar and a 50-row table. Connections come from playhouse.pool and are taken only by a
request that runs a query (the anonymous page takes none). Its own table (`bench_floor_user`)
lives in the same bench database as the portal, so both engines are measured the same way.

    GET  /masuk   the anonymous floor: a minimal form page with a CSRF token
    POST /masuk   signs in `nip` (no password: the bench measures pages, not hashing)
    GET  /        the signed-in floor

    DATABASE_URL=... python -m bench.floor_app setup [USERS]   # table + rows (run.py does it)
    gunicorn bench.floor_app:app
"""

import os
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

import MySQLdb
import peewee as pw
from flask import Flask, abort, redirect, render_template, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_wtf import CSRFProtect
from playhouse.pool import PooledSqliteDatabase, _PooledMySQLDatabase

USERS = 2000


class _MySQLClient(pw.MySQLDatabase):
    """The portal's MariaDB driver, mysqlclient (peewee would take PyMySQL)."""

    def _connect(self):
        return MySQLdb.connect(database=self.database, autocommit=True, **self.connect_params)


class FloorMySQLDatabase(_PooledMySQLDatabase, _MySQLClient):
    """playhouse.pool as it comes (a ping when a connection is taken, a rollback when it is
    given back), over the portal's driver."""


def make_database(url):
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)[1:] or ":memory:"
        return PooledSqliteDatabase(
            path,
            pragmas={"journal_mode": "wal", "busy_timeout": 10000, "synchronous": "normal"},
            max_connections=4,
            stale_timeout=300,
            check_same_thread=False,
        )
    if parsed.scheme in ("mysql", "mariadb", "mysql+pymysql"):
        return FloorMySQLDatabase(
            parsed.path.lstrip("/"),
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 3306,
            user=unquote(parsed.username or "root"),
            password=unquote(parsed.password or ""),
            charset="utf8mb4",
            max_connections=4,
            stale_timeout=300,
            **dict(parse_qsl(parsed.query)),
        )
    raise ValueError(f"unknown DATABASE_URL scheme: {parsed.scheme}")


db = make_database(os.environ.get("DATABASE_URL", "sqlite:///:memory:"))


class FloorUser(UserMixin, pw.Model):
    nip = pw.CharField(max_length=18, unique=True)
    nama = pw.CharField(max_length=120)
    jabatan = pw.CharField(max_length=120)

    class Meta:
        database = db
        table_name = "bench_floor_user"


# The 50 rows of the table: built once (the floor measures the stack, not a data layer).
_START = date(2026, 11, 2)
ROWS = [
    {
        "no": n + 1,
        "tanggal": (_START + timedelta(days=n // 4)).strftime("%d-%m-%Y"),
        "jam": f"{7 + n % 8:02d}.{(n * 15) % 60:02d}–{8 + n % 8:02d}.{(n * 15) % 60:02d}",
        "uraian": f"Menyusun laporan pelayanan administrasi kependudukan nomor {n + 1}",
        "status": ("Draf", "Diajukan", "Disetujui", "Perlu Revisi")[n % 4],
    }
    for n in range(50)
]
NAV = ["Beranda", "Kegiatan Harian", "Verifikasi", "SKP", "Pelatihan", "Dialog Publik", "Profil"]

# The same static files as the portal (the layout links them), served by Flask's plain static
# view: no session, no database.
app = Flask(
    __name__,
    template_folder=str(Path(__file__).parent / "templates"),
    static_folder=str(Path(__file__).resolve().parent.parent / "static"),
)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-floor-secret"),
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    SESSION_COOKIE_NAME="floor_session",
    WTF_CSRF_TIME_LIMIT=None,
)
csrf = CSRFProtect(app)
login_manager = LoginManager(app)
login_manager.login_view = "sign_in"


@login_manager.user_loader
def load_user(user_id):
    return FloorUser.get_or_none(FloorUser.id == int(user_id))  # the one indexed lookup


@app.teardown_request
def _release(exc):
    if not db.is_closed():
        db.close()  # back to the pool


@app.get("/masuk")
def sign_in():
    return render_template("floor/masuk.html", nav=NAV)


@app.post("/masuk")
def sign_in_post():
    user = FloorUser.get_or_none(FloorUser.nip == request.form.get("nip", ""))
    if user is None:
        abort(403)
    login_user(user)
    return redirect("/", 303)


@app.get("/")
@login_required
def home():
    return render_template("floor/home.html", nav=NAV, rows=ROWS, user=current_user)


def setup(users=USERS):
    """Create the table and `users` rows (idempotent); print the first NIP."""
    db.connect(reuse_if_open=True)
    db.create_tables([FloorUser], safe=True)
    if not FloorUser.select().exists():
        with db.atomic():
            rows = [
                {"nip": f"19800101{n:010d}", "nama": f"Pegawai Lantai {n}", "jabatan": "Analis"}
                for n in range(users)
            ]
            for start in range(0, len(rows), 500):
                FloorUser.insert_many(rows[start : start + 500]).execute()
    first = FloorUser.select().order_by(FloorUser.id).first()
    db.close()
    print(first.nip)


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        setup(int(sys.argv[2]) if len(sys.argv) > 2 else USERS)
