"""The recap's numbers against a straightforward computation from the entries themselves, on a
city with a few dozen pegawai in a unit tree (5- and 6-day weeks, a closed unit whose entries
moved after the closing, kehadiran and JP for some): every row, the totals, the summaries of
the units below, every sort order and filter; the page shows the rows in the recap's order
with their details; and the page's statement count does not grow with the pegawai."""

import random
import re
from datetime import date, timedelta

import pytest

from portal import settings
from portal.activities import month_totals
from portal.activities.models import Activity, Holiday
from portal.org.models import Employee, Unit
from portal.reports import closing, dashboard
from portal.reports.models import Attendance
from portal.reports.recap import (
    SORTS,
    Filters,
    Month,
    compute_rows,
    fill_details,
    month_recap,
)
from portal.reports.scope import scope_for
from portal.trainings.models import RECORD_VERIFIED, ExternalRecord
from portal.web.formatting import angka
from tests.conftest import count_queries
from tests.reports.conftest import entry

OCTOBER = Month(2026, 10)
TARGET = 400
STATUSES = ("draf", "diajukan", "disetujui", "disetujui", "perlu_revisi", "ditolak")
NAMES = ("Ahmad", "budi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah")


def _month_of_entries(rng, person, days=14):
    """A few random entries of `person` in October (every status, some minutes cut, some
    deleted), at most three a day at distinct hours."""
    for _ in range(rng.randint(0, days)):
        day = date(2026, 10, rng.randint(1, 31))
        start = rng.choice((7, 10, 13))
        minutes = rng.choice((30, 45, 60, 90, 120, 150))
        status = rng.choice(STATUSES)
        diakui = minutes - 15 if status == "disetujui" and rng.random() < 0.3 else None
        entry(person, day, minutes, status, diakui=diakui, deleted=rng.random() < 0.05, start=start)


@pytest.fixture(params=["marked", "refreshed"])
def busy(city, make_unit, make_employee, request):
    """The city of the reports' fixtures plus two OPDs with bidang below them, 40 more
    pegawai with random Octobers; the PTSP's month closed before its entries moved on."""
    rng = random.Random(20261031)
    settings.put("activities.monthly_target_minutes", TARGET)
    dishub = make_unit(nama="Dinas Perhubungan")
    lalin = make_unit(nama="Bidang Lalu Lintas", parent=dishub, work_days=6)
    kecamatan = make_unit(nama="Kecamatan Ilir Barat", jenis="Kecamatan")
    kelurahan = make_unit(nama="Kelurahan Bukit Lama", parent=kecamatan, jenis="Kelurahan")
    places = [city["bidang"], city["ptsp"], city["dinkes"], dishub, lalin, kecamatan, kelurahan]
    for number in range(40):
        person = make_employee(
            nama=f"{NAMES[number % len(NAMES)]} {'Saputra' if number % 3 else 'saputra'}",
            unit=places[number % len(places)],
            jenis_jabatan="Fungsional" if number % 4 == 0 else "Pelaksana",
        )
        _month_of_entries(rng, person)
        if number % 5 == 0:
            Attendance.create(employee=person, tahun=2026, bulan=10, basis_points=9000 + number)
        if number % 7 == 0:
            ExternalRecord.create(
                employee=person,
                judul="Bimtek",
                penyelenggara="BPSDM",
                tanggal=date(2026, 3, 2),
                jp=number + 1,
                stored_name="x",
                original_name="x.pdf",
                kind="pdf",
                status=RECORD_VERIFIED,
            )
    for person in (city["siti"], city["budi"], city["kabid"]):
        _month_of_entries(rng, person)
    Employee.update(active=False).where(Employee.nama == "Orang Luar").execute()
    if request.param == "refreshed":
        month_totals.refresh()
    before = reference()
    closing.close_month(city["admin"], city["ptsp"], OCTOBER)
    for person in Employee.select().where(Employee.unit.in_([city["ptsp"], city["bidang"]])):
        entry(person, date(2026, 10, 30), 300, "disetujui", start=16)  # after the closing
    if request.param == "refreshed":
        month_totals.refresh()
    after = reference()
    closed_ids = {
        person.id
        for person in Employee.select().where(Employee.unit.in_([city["ptsp"], city["bidang"]]))
    }
    figures = {pk: before[pk] if pk in closed_ids else values for pk, values in after.items()}
    return {**city, "dishub": dishub, "kecamatan": kecamatan, "figures": figures}


def reference():
    """{employee id: (working days, days with entries, submitted, approved, waiting, returned)}
    of every active pegawai's October, from the entries one by one."""
    holidays = {row.tanggal for row in Holiday.select()}
    working = {}
    for week in (5, 6):
        days = (date(2026, 10, 1) + timedelta(days=n) for n in range(31))
        working[week] = sum(1 for day in days if day.weekday() < week and day not in holidays)
    result = {}
    for person in Employee.select(Employee, Unit).join(Unit).where(Employee.active == True):  # noqa: E712
        days, submitted, approved, waiting, returned = set(), 0, 0, 0, 0
        for act in Activity.select().where(
            Activity.employee == person.id,
            Activity.tanggal.between(date(2026, 10, 1), date(2026, 10, 31)),
            Activity.deleted_at.is_null(),
        ):
            if act.status != "ditolak":
                days.add(act.tanggal)
            if act.status in ("diajukan", "disetujui"):
                submitted += act.minutes
            if act.status == "disetujui":
                approved += act.menit_diakui if act.menit_diakui is not None else act.minutes
            waiting += act.status == "diajukan"
            returned += act.status == "perlu_revisi"
        week = 6 if person.unit.work_days == 6 else 5
        result[person.id] = (working[week], len(days), submitted, approved, waiting, returned)
    return result


def _capaian(approved):
    return min(100.0, round(approved * 100 / TARGET, 2))


def _key(sort, row):
    """The documented order of each sort, ties by name (by id for the name itself)."""
    name = row.employee.nama.lower()
    return {
        "nama": (name, row.employee.id),
        "unit": (row.employee.unit.path, name),
        "capaian": (_capaian(row.minutes_approved), name),
        "disetujui": (row.minutes_approved, name),
        "menunggu": (row.waiting, name),
    }[sort]


def _summed(rows):
    """(pegawai, average capaian, full, approved, waiting) of rows, in their order."""
    count = len(rows)
    capaian = [_capaian(row.minutes_approved) for row in rows]
    return (
        count,
        round(sum(capaian) / count, 1) if count else 0.0,
        sum(value >= 100 for value in capaian),
        sum(row.minutes_approved for row in rows),
        sum(row.waiting for row in rows),
    )


def _figures_of(summary):
    return (summary.pegawai, summary.capaian, summary.full, summary.approved, summary.waiting)


def test_every_row_matches_the_entries_or_the_closing_snapshot(busy):
    recap = month_recap(scope_for(busy["admin"]), OCTOBER, Filters())
    figures = busy["figures"]
    assert {row.employee.id for row in recap.rows} == set(figures)
    for row in recap.rows:
        expected = figures[row.employee.id]
        got = (
            row.working_days,
            row.days_with_entries,
            row.minutes_submitted,
            row.minutes_approved,
            row.waiting,
            row.returned,
        )
        assert got == expected, row.employee.nama
        assert row.target == TARGET
        assert row.capaian == _capaian(expected[3])
        assert row.closed == (row.employee.unit.path.startswith(busy["ptsp"].path))
    assert any(row.closed for row in recap.rows)
    assert {row.band for row in recap.rows} == {"rendah", "sedang", "baik", "penuh"}


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_each_sort_orders_every_row_and_the_totals_follow(busy, sort, descending):
    recap = month_recap(
        scope_for(busy["admin"]), OCTOBER, Filters(sort=sort, descending=descending)
    )
    keys = [_key(sort, row) for row in recap.rows]
    assert keys == sorted(keys, reverse=descending)
    assert _figures_of(recap.total) == _summed(recap.rows)


@pytest.mark.parametrize(
    ("who", "unit", "jabatan", "band"),
    [
        ("admin", None, "", ""),
        ("admin", "dishub", "", ""),
        ("admin", "kecamatan", "Fungsional", ""),
        ("admin", None, "", "rendah"),
        ("admin", None, "", "penuh"),
        ("admin", "ptsp", "", "sedang"),
        ("admin_opd", None, "", ""),
        ("admin_opd", None, "Pelaksana", "baik"),
    ],
)
def test_the_unit_summaries_and_totals_match_the_rows_below_each_unit(
    busy, who, unit, jabatan, band
):
    where = busy[unit] if unit else None
    scope = scope_for(busy[who])
    recap = month_recap(scope, OCTOBER, Filters(unit=where, jabatan=jabatan, band=band))
    rows = month_recap(scope, OCTOBER, Filters()).rows
    low, high = settings.get("reports.band_low"), settings.get("reports.band_high")

    def in_band(row):
        capaian = _capaian(row.minutes_approved)
        found = (
            "penuh"
            if capaian >= 100
            else "baik"
            if capaian >= high
            else "sedang"
            if capaian >= low
            else "rendah"
        )
        return not band or found == band

    wanted = [
        row
        for row in rows
        if (where is None or row.employee.unit.path.startswith(where.path))
        and (not jabatan or row.employee.jenis_jabatan == jabatan)
        and in_band(row)
    ]
    assert [row.employee.id for row in recap.rows] == [row.employee.id for row in wanted]
    assert _figures_of(recap.total) == _summed(wanted)
    assert recap.units, "a drill-down level below"
    for summary in recap.units:
        below = [row for row in wanted if row.employee.unit.path.startswith(summary.unit.path)]
        assert _figures_of(summary) == _summed(below), summary.unit.nama
    assert sum(summary.pegawai for summary in recap.units) <= recap.total.pegawai


def test_the_details_of_a_page_are_those_of_the_whole_recap(busy):
    scope = scope_for(busy["admin"])
    whole = month_recap(scope, OCTOBER, Filters())
    lean = month_recap(scope, OCTOBER, Filters(), details=False)
    assert [row.employee.id for row in lean.rows] == [row.employee.id for row in whole.rows]
    assert all(row.jp == 0 and row.kehadiran is None for row in lean.rows)
    for start in range(0, len(lean.rows), 9):
        fill_details(lean.rows[start : start + 9], OCTOBER)
    assert lean.rows == whole.rows
    assert any(row.kehadiran for row in whole.rows)
    assert any(row.jp for row in whole.rows)
    # one pegawai's page (a model object, not a recap Person) reads the same figures
    siti = Employee.get_by_id(busy["siti"].id)
    query = Employee.select(Employee, Unit).join(Unit).where(Employee.id == siti.id)
    (alone,) = compute_rows(list(query), query.select(Employee.id), OCTOBER, whole.rules)
    (same,) = [row for row in whole.rows if row.employee.id == siti.id]
    assert (alone.minutes_approved, alone.capaian, alone.closed, alone.jp) == (
        same.minutes_approved,
        same.capaian,
        same.closed,
        same.jp,
    )


def test_the_dashboard_counts_each_opds_pegawai_and_full_loggers_as_the_entries_say(
    busy, make_employee
):
    # two pegawai log every working day of their week (a 5-day and a 6-day unit)
    holidays = {row.tanggal for row in Holiday.select()}
    full = {}
    for name, unit in (("Penuh Lima", busy["kecamatan"]), ("Penuh Enam", busy["dinkes"])):
        person = make_employee(nama=name, unit=unit)
        week = unit.work_days
        for number in range(1, 32):
            day = date(2026, 10, number)
            if day.weekday() < week and day not in holidays:
                entry(person, day, 30, "diajukan", start=6)
        full[person.id] = unit
    board = dashboard.build(busy["admin"], OCTOBER)
    people = list(
        Employee.select(Employee, Unit).join(Unit).where(Employee.active == True)  # noqa: E712
    )
    for opd in board.opds:
        mine = [p for p in people if p.unit.path.startswith(opd.unit.path)]
        assert opd.pegawai == len(mine), opd.unit.nama
        logged = 0
        for person in mine:
            days = {
                act.tanggal
                for act in Activity.select().where(
                    Activity.employee == person.id,
                    Activity.tanggal.between(date(2026, 10, 1), date(2026, 10, 31)),
                    Activity.deleted_at.is_null(),
                    Activity.status != "ditolak",
                )
            }
            week = 6 if person.unit.work_days == 6 else 5
            wanted = {
                date(2026, 10, n)
                for n in range(1, 32)
                if date(2026, 10, n).weekday() < week and date(2026, 10, n) not in holidays
            }
            logged += wanted <= days
        assert opd.logged_every_day == logged, opd.unit.nama
    assert sum(opd.logged_every_day for opd in board.opds) >= len(full)


def _shown(html):
    """The ids of the pegawai rows of a recap page, in order."""
    return [int(pk) for pk in re.findall(r'href="/laporan/pegawai/(\d+)\?bulan=', html)]


def test_the_pages_show_the_recap_in_order_with_each_rows_details(client, login_as, busy):
    settings.put("reports.page_size", 10)
    login_as(busy["admin"])
    recap = month_recap(scope_for(busy["admin"]), OCTOBER, Filters(sort="capaian"))
    by_id = {row.employee.id: row for row in recap.rows}
    seen = []
    for number in range(1, 10):
        html = client.get(f"/laporan/?bulan=2026-10&urut=capaian&page={number}").get_data(
            as_text=True
        )
        ids = _shown(html)
        if not ids or (seen and ids == seen[-len(ids) :]):
            break  # past the last page the last one is shown again
        seen.extend(ids)
        for pk in ids:
            row = by_id[pk]
            cells = html.split(f'href="/laporan/pegawai/{pk}?bulan=')[1].split("</tr>")[0]
            assert f'<td class="text-end">{angka(row.jp)}</td>' in cells
            if row.kehadiran is not None:
                assert f'<td class="text-end">{angka(row.kehadiran / 100)}%</td>' in cells
            assert f"= {angka(row.tpp_total)}%" in cells
    assert seen == [row.employee.id for row in recap.rows]


def _pegawai(make_employee, units, count, start):
    for number in range(start, start + count):
        person = make_employee(nama=f"Staf {number:03d}", unit=units[number % len(units)])
        entry(person, date(2026, 10, 5), 60, "disetujui")
        entry(person, date(2026, 10, 6), 30, "diajukan")
        Attendance.create(employee=person, tahun=2026, bulan=10, basis_points=9500)


@pytest.mark.parametrize(
    "query",
    [
        "bulan=2026-10",
        "bulan=2026-10&page=2",
        "bulan=2026-10&urut=unit&arah=turun",
        "bulan=2026-10&capaian=rendah&urut=capaian",
        "bulan=2026-10&jabatan=Pelaksana",
    ],
)
def test_the_city_recap_runs_the_same_statements_for_few_and_many_pegawai(
    client, login_as, make_employee, city, query
):
    settings.put("reports.page_size", 10)
    login_as(city["admin"])
    units = [city["bidang"], city["dinkes"], city["ptsp"]]
    url = f"/laporan/?{query}"
    counts = []
    for start, count in ((0, 12), (12, 45)):
        _pegawai(make_employee, units, count, start)
        client.get(url)
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.queries))
    assert counts[0] == counts[1], counts
