"""Bulk approval of 500 entries in one request: few queries, one event and one audit row per
entry, one notice per pegawai, all in one transaction."""

from datetime import datetime, timedelta
from datetime import time as clock

import pytest

from portal.activities.models import APPROVED, SUBMITTED, Activity, ActivityEvent
from portal.audit.models import AuditLog
from portal.notifications.models import Notification
from tests.reviews.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen")


def _bulk_entries(employees, per_employee):
    rows = []
    for employee in employees:
        for index in range(per_employee):
            day = TODAY - timedelta(days=1 + index // 10)
            start = 7 * 60 + (index % 10) * 45
            rows.append(
                {
                    "employee": employee.id,
                    "tanggal": day,
                    "jam_mulai": clock(start // 60, start % 60),
                    "jam_selesai": clock((start + 40) // 60, (start + 40) % 60),
                    "minutes": 40,
                    "uraian": f"Entri kegiatan {index}",
                    "status": SUBMITTED,
                    "version": 2,
                    "submitted_at": datetime(day.year, day.month, day.day, 10),
                    "created_at": datetime(2026, 11, 1),
                    "updated_at": datetime(2026, 11, 1),
                }
            )
    for start in range(0, len(rows), 100):
        Activity.insert_many(rows[start : start + 100]).execute()


def test_bulk_approval_of_500_entries_in_one_request(
    client, login_as, team, make_employee, query_counter
):
    staff = [
        make_employee(nama=f"Staf BKPSDM {i}", unit=team["unit"], supervisor=team["atasan"])
        for i in range(10)
    ]
    _bulk_entries(staff, 50)
    entries = list(Activity.select(Activity.id, Activity.version))
    assert len(entries) == 500
    login_as(team["atasan"])
    items = ",".join(f"{e.id}:{e.version}" for e in entries)
    with query_counter() as counter:
        response = client.post("/verifikasi/setujui", data={"ids": items, "confirmed": "1"})
    assert response.status_code == 303
    writes = [q for q in counter.queries if q.lstrip("('").upper().startswith(("UPDATE", "INSERT"))]
    assert len(counter.queries) <= 25, len(counter.queries)
    assert len(writes) <= 12
    assert Activity.select().where(Activity.status == APPROVED).count() == 500
    assert Activity.select().where(Activity.menit_diakui == 40).count() == 500
    assert ActivityEvent.select().where(ActivityEvent.action == "approved").count() == 500
    assert AuditLog.select().where(AuditLog.action == "activity.approved").count() == 500
    # Its speed is measured in bench/ (bench/reviews_queue.py), not asserted here: the fixed
    # number of statements above is what keeps it fast at any size.
    assert Notification.select().where(Notification.kind == "activity_approved").count() == 10
