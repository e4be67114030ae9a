#!/usr/bin/env python3
"""The city's recap export as the job consumer runs it: time and peak memory (resident set) of
one XLSX (or CSV/PDF) export of a whole month for the admin, in a fresh process, on an already
seeded database; plus the query count of the recap page for 1 unit and for the whole city.

    DATABASE_URL=sqlite:////tmp/bench20k.sqlite3 flask --app portal migrate
    DATABASE_URL=... flask --app portal seed-demo --pegawai 20000
    DATABASE_URL=... flask --app portal seed-activities --days 40 --per-day 3
    .venv/bin/python bench/export_bench.py --database sqlite:////tmp/bench20k.sqlite3 \\
        --month 2026-11 --kind xlsx

Reports; never fails the build. The numbers go to bench/REPORT.md by hand.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--kind", default="xlsx", choices=["xlsx", "csv", "pdf"])
    parser.add_argument("--export-dir", default="/tmp/portal-bench-exports")
    args = parser.parse_args()

    from portal import create_app
    from portal.db import db
    from portal.jobs import request_scope
    from portal.org.models import ROLE_ADMIN, Employee, RoleAssignment
    from portal.reports import exports
    from portal.reports.models import ExportJob

    app = create_app({"DATABASE_URL": args.database, "EXPORT_DIR": args.export_dir})
    with app.app_context():
        db.connect(reuse_if_open=True)
        admin = (
            Employee.select()
            .join(RoleAssignment, on=(RoleAssignment.employee == Employee.id))
            .where(RoleAssignment.role == ROLE_ADMIN)
            .first()
        )
        pegawai = Employee.select().where(Employee.active == True).count()  # noqa: E712
        job = ExportJob.create(
            token=f"bench-{time.time_ns()}",
            owner=admin.id,
            kind=args.kind,
            params=json.dumps({"bulan": args.month}),
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        with request_scope():
            exports.run_export(job.id)
        seconds = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        job = ExportJob.get_by_id(job.id)
        path = Path(args.export_dir) / f"{job.token}.{job.kind}"
        print(
            json.dumps(
                {
                    "pegawai": pegawai,
                    "kind": args.kind,
                    "status": job.status,
                    "rows": job.done,
                    "seconds": round(seconds, 1),
                    "peak_rss_mb": round(peak / 1024, 1),
                    "rss_before_mb": round(before / 1024, 1),
                    "file_mb": round(path.stat().st_size / 2**20, 2) if path.exists() else None,
                    "error": job.error,
                }
            )
        )
        path.unlink(missing_ok=True)
        job.delete_instance()


if __name__ == "__main__":
    main()
