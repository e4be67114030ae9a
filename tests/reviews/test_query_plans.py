"""With the planner's statistics (migration 022, the nightly `refresh_statistics`), SQLite reads
a verifier's queue and decision through the (employee, status) and (employee, date) indexes,
not every entry of one status in the city. Realistic data: twelve pegawai with sixty days of
entries each beside a city of others; the statements are the ones the pages run, taken from
peewee's log."""

from datetime import datetime, time, timedelta

import pytest

from portal import jobs
from portal.activities.models import APPROVED, SUBMITTED, Activity
from portal.db import db
from tests.conftest import ON_MYSQL, count_queries
from tests.reviews.conftest import TODAY

pytestmark = [
    pytest.mark.usefixtures("frozen"),
    pytest.mark.skipif(ON_MYSQL, reason="SQLite's planner (MariaDB keeps its own statistics)"),
]


@pytest.fixture
def city(team, make_employee):
    """The team's atasan with twelve pegawai, 60 days x 3 entries each (approved, the last
    day's waiting), and 60 other pegawai with the same: about 13,000 entries."""
    staff = [make_employee(supervisor=team["atasan"], unit=team["pegawai"].unit) for _ in range(12)]
    others = [make_employee(unit=team["pegawai"].unit) for _ in range(60)]
    rows = []
    for person in [*staff, *others]:
        for back in range(60):
            day = TODAY - timedelta(days=back)
            for hour in (8, 10, 13):
                rows.append(
                    {
                        "employee": person.id,
                        "tanggal": day,
                        "jam_mulai": time(hour),
                        "jam_selesai": time(hour + 1),
                        "minutes": 60,
                        "uraian": "Menyusun laporan",
                        "volume": 1,
                        "satuan": "laporan",
                        "status": SUBMITTED if back == 0 else APPROVED,
                        "version": 2,
                        "submitted_at": datetime(day.year, day.month, day.day, 9),
                    }
                )
    with db.atomic():
        for start in range(0, len(rows), 500):
            Activity.insert_many(rows[start : start + 500]).execute()
    return {**team, "staff": staff}


def _plans(client, method, url, **kwargs):
    """[(sql, plan text)] of the entries' SELECTs of one request."""
    with count_queries() as log:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.status_code
    plans = []
    for sql, params in log.statements:
        if sql.startswith("SELECT") and 'FROM "activity"' in sql:
            rows = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            plans.append((sql, " | ".join(row[-1] for row in rows)))
    return plans


def _plan_of(plans, marker):
    found = [plan for sql, plan in plans if marker in sql]
    assert len(found) == 1, (marker, plans)
    return found[0]


def test_the_queue_and_a_decision_read_by_pegawai_and_date(app, client, login_as, city):
    jobs.refresh_statistics.call_local()  # what the nightly job (and migration 022) do
    login_as(city["atasan"])
    # The queue's day totals: the shown pegawai's shown days, through (employee, date).
    plans = _plans(client, "get", "/verifikasi")
    assert "activity_employee_id_tanggal" in _plan_of(plans, '"t1"."tanggal" IN (')
    # The waiting entries: the team's, per pegawai (employee, status), not the city's.
    queue_page = _plan_of(plans, 'ORDER BY "t1"."tanggal", "t1"."jam_mulai", "t1"."id" LIMIT')
    assert "activity_employee_id_status (employee_id=? AND status=?)" in queue_page
    page = client.get("/verifikasi").get_data(as_text=True)
    ids = page.split('name="ids" value="', 1)[1].split('"', 1)[0]
    assert ids.count(",") >= 12  # the twelve pegawai's waiting day
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": token, "ids": ids, "confirmed": "1"}
    plans = _plans(
        client,
        "post",
        "/verifikasi/setujui",
        data=form,
        headers={"HX-Request": "true", "HX-Target": "queue"},
    )
    # The notices' window of this verifier's approvals: not every approved entry in the city.
    assert "status_submitted_at" not in _plan_of(plans, '"t1"."decided_by_id" = ?')
    assert Activity.select().where(Activity.status == SUBMITTED).count() == 60 * 3  # others'
