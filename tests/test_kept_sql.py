"""portal.db.kept: a hot SELECT's text compiled once per key, its rows as the query gives them."""

from datetime import date, time

import pytest

from portal.activities.models import Activity
from portal.db import check_kept_statements, kept
from portal.org.models import Employee, Unit
from tests.conftest import count_queries

DAY = date(2026, 11, 23)


@pytest.fixture
def entries(app, make_employee):
    pegawai = make_employee(nama="Sari Wulandari")
    other = make_employee(nama="Budi Santoso", unit=pegawai.unit)
    for who, start in ((pegawai, 8), (pegawai, 10), (other, 9)):
        Activity.create(
            employee=who,
            tanggal=DAY,
            jam_mulai=time(start, 0),
            jam_selesai=time(start + 1, 0),
            minutes=60,
            uraian=f"Menyusun laporan pukul {start}",
        )
    return pegawai, other


def _day(employee):
    return (
        Activity.select(Activity, Employee)
        .join(Employee, on=(Activity.employee == Employee.id))
        .where(Activity.employee == employee.id, Activity.tanggal == DAY)
        .order_by(Activity.jam_mulai)
    )


def test_kept_rows_are_the_query_rows_converted(entries):
    pegawai, _other = entries
    plain = list(_day(pegawai))
    rows = list(kept(_day(pegawai), "test.day", pegawai.id))
    again = list(kept(_day(pegawai), "test.day", pegawai.id))
    for got in (rows, again):
        assert [(r.id, r.tanggal, r.jam_mulai) for r in got] == [
            (r.id, r.tanggal, r.jam_mulai) for r in plain
        ]
        assert got[0].tanggal == DAY and got[0].jam_mulai == time(8, 0)  # converted, not text
        assert got[0].employee.nama == "Sari Wulandari"  # the joined model, as the query gives


def test_kept_tuples_and_one_statement_per_use(entries):
    pegawai, _other = entries
    query = Unit.select(Unit.id, Unit.nama).where(Unit.id == pegawai.unit_id).tuples()
    with count_queries() as counted:
        rows = list(kept(query, "test.unit", pegawai.unit_id))
    assert rows == [(pegawai.unit_id, pegawai.unit.nama)]
    assert len(counted.queries) == 1


def test_a_key_that_misses_a_value_fails_the_tests(entries):
    pegawai, other = entries
    list(kept(_day(pegawai), "test.day_without_id"))
    with pytest.raises(AssertionError, match="misses a value"):
        list(kept(_day(other), "test.day_without_id"))


def test_outside_the_tests_the_text_is_compiled_once(entries, monkeypatch):
    pegawai, _other = entries
    compiled = []
    check_kept_statements(False)
    try:
        for _ in range(3):
            query = _day(pegawai)
            original = query.sql
            monkeypatch.setattr(
                query, "sql", lambda original=original: compiled.append(1) or original()
            )
            assert len(list(kept(query, "test.day_once", pegawai.id))) == 2
    finally:
        check_kept_statements(True)
    assert len(compiled) == 1
