"""Bench of verifikasi: the queue page (20 subordinates x 50 waiting entries) and a 500-entry
bulk approval, as ratios to the bare page (the same atasan's empty queue).

    .venv/bin/python bench/reviews_queue.py
"""

import logging
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from portal import create_app
from portal.db import db, make_database


def _timed(client, method, url, runs, **kwargs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = getattr(client, method)(url, **kwargs)
        samples.append(time.perf_counter() - started)
        assert response.status_code in (200, 303), response.status_code
    return statistics.median(samples)


def main():
    from portal.activities.models import SUBMITTED, Activity
    from portal.models import MODELS
    from portal.org.models import Employee, Unit

    workdir = Path(tempfile.mkdtemp())
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    database = make_database(url)
    with database.bind_ctx(MODELS):
        database.create_tables(MODELS)
    database.close()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DATABASE_URL": url}
    )
    with app.app_context():
        db.connect()
        unit = Unit.create(kode="BKPSDM", nama="BKPSDM", jenis="Badan", path="/1/")
        atasan = Employee.create(nip="198001012005011001", nama="Atasan Bench", unit=unit)
        today = date.today()
        rows = []
        for index in range(20):
            staff = Employee.create(
                nip=f"1990010120150110{index:02d}",
                nama=f"Staf {index:02d}",
                unit=unit,
                supervisor=atasan,
            )
            for n in range(50):
                day = today - timedelta(days=1 + n // 5)
                start = 7 * 60 + (n % 5) * 60
                rows.append(
                    {
                        "employee": staff.id,
                        "tanggal": day,
                        "jam_mulai": clock(start // 60, start % 60),
                        "jam_selesai": clock((start + 50) // 60, (start + 50) % 60),
                        "minutes": 50,
                        "uraian": f"Kegiatan pelayanan administrasi nomor {n}",
                        "status": SUBMITTED,
                        "version": 2,
                        "submitted_at": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=n),
                    }
                )
        for start in range(0, len(rows), 100):
            Activity.insert_many(rows[start : start + 100]).execute()
        empty = Employee.create(nip="198001012005011099", nama="Atasan Kosong", unit=unit)
        Employee.create(nip="199001012015011099", nama="Staf Kosong", unit=unit, supervisor=empty)
        client = app.test_client()

        def login(employee):
            from flask import g

            g.pop("_login_user", None)
            with client.session_transaction() as session:
                session["_user_id"] = employee.get_id()

        login(empty)
        bare = _timed(client, "get", "/verifikasi", 20)
        login(atasan)
        queue = _timed(client, "get", "/verifikasi", 10)
        logger = logging.getLogger("peewee")
        counted = []
        handler = logging.Handler()
        handler.emit = lambda record: counted.append(record)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        from flask import g

        g.pop("_login_user", None)
        client.get("/verifikasi")
        logger.removeHandler(handler)
        shown = list(
            Activity.select(Activity.id, Activity.version)
            .where(Activity.status == SUBMITTED)
            .order_by(Activity.tanggal, Activity.jam_mulai, Activity.id)
            .limit(500)
        )
        items = ",".join(f"{a.id}:{a.version}" for a in shown)
        g.pop("_login_user", None)
        started = time.perf_counter()
        response = client.post("/verifikasi/setujui", data={"ids": items, "confirmed": "1"})
        bulk = time.perf_counter() - started
        assert response.status_code == 303
        approved = Activity.select().where(Activity.status == "disetujui").count()
        print(f"bare page (empty queue):          {bare * 1000:7.1f} ms")
        ratio = queue / bare
        print(
            f"queue 20 x 50 (500 shown): {queue * 1000:7.1f} ms = {ratio:.1f}x bare, "
            f"{len(counted)} queries"
        )
        print(
            f"bulk approval of 500 entries:     {bulk * 1000:7.1f} ms  = {bulk / bare:.1f}x bare"
            f" ({approved} approved)"
        )


if __name__ == "__main__":
    main()
