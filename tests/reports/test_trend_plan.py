"""The dashboard's trend (the approved minutes of twelve months) reads the monthly totals'
(tahun, bulan, employee, minutes_approved) index alone (migration 024), not one row per pegawai
and month. SQLite's plan, on the statement the page runs (peewee's log)."""

import pytest

from portal.activities.models import MonthTotal
from portal.db import db
from tests.conftest import ON_MYSQL, count_queries

pytestmark = pytest.mark.skipif(ON_MYSQL, reason="SQLite's planner")


def test_the_trend_reads_the_covering_index(app, client, login_as, city, make_employee):
    people = [city["siti"], city["dewi"], *(make_employee(unit=city["bidang"]) for _ in range(40))]
    rows = [
        {"employee": person.id, "tahun": tahun, "bulan": bulan, "minutes_approved": 600 + bulan}
        for person in people
        for tahun, bulan in [(2025, b) for b in range(1, 13)] + [(2026, b) for b in range(1, 12)]
    ]
    with db.atomic():
        for start in range(0, len(rows), 200):
            MonthTotal.insert_many(rows[start : start + 200]).execute()
    db.execute_sql("ANALYZE")
    login_as(city["admin"])
    with count_queries() as log:
        assert client.get("/laporan/dasbor?bulan=2026-11").status_code == 200
    [(sql, params)] = [
        (sql, params)
        for sql, params in log.statements
        if 'SUM("t1"."minutes_approved")' in sql and 'FROM "month_total"' in sql
    ]
    plan = " | ".join(row[-1] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "COVERING INDEX month_total_tahun_bulan_employee_id_minutes_approved" in plan, plan
