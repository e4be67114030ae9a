"""flask seed-activities: a year of entries for every active pegawai (benchmarks);
flask import-holidays FILE: add next year's holidays from a CSV (tanggal,jenis,keterangan)."""

import csv
import random
import time as clock
from datetime import date, timedelta

import click

from portal.activities import calendar, demo, month_totals
from portal.activities.models import Activity
from portal.clock import local_today
from portal.db import analyze, db
from portal.org.models import Employee, Unit


@click.command("seed-activities")
@click.option("--days", default=365, show_default=True, help="Calendar days back from today.")
@click.option("--per-day", default=4, show_default=True, help="Entries per working day.")
@click.option("--chunk", default=2000, show_default=True, help="Rows per INSERT.")
@click.option("--seed", "seed_value", default=2026, show_default=True)
def seed_activities_command(days, per_day, chunk, seed_value):
    """Bulk-create approved entries on every working day for all active pegawai (fast inserts
    in chunks, no history rows): data for the benchmark, not for people to read."""
    db.connect(reuse_if_open=True)
    rng = random.Random(seed_value)
    today = local_today()
    start = today - timedelta(days=days)
    holidays = calendar.holidays_between(start, today)
    employees = list(
        Employee.select(Employee.id, Employee.unit).where(Employee.active == True)  # noqa: E712
    )
    six_day_units = {u.id for u in Unit.select(Unit.id).where(Unit.work_days == 6)}
    day_list = [today - timedelta(days=n) for n in range(days, 0, -1)]  # up to yesterday
    five = [d for d in day_list if d.weekday() < 5 and d not in holidays]
    six = [d for d in day_list if d.weekday() < 6 and d not in holidays]
    # Cheap realism: a pool of day plans reused at random (the benchmark cares about row
    # counts and index shapes, not the variety of uraian).
    plans = demo.day_plans(rng, per_day)
    began = clock.perf_counter()
    total = 0
    buffer = []
    fields = demo.BULK_FIELDS

    columns = ", ".join(f.column_name for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f"INSERT INTO {Activity._meta.table_name} ({columns}) VALUES ({marks})"

    def flush():
        # executemany on the driver's cursor: the speed of a plain bulk insert, without
        # peewee converting every value in Python.
        nonlocal total
        if buffer:
            cursor = db.cursor()
            cursor.executemany(sql, [tuple(str(v) for v in row) for row in buffer])
            total += len(buffer)
            buffer.clear()

    groups = [employees[i : i + 200] for i in range(0, len(employees), 200)]
    with click.progressbar(groups, label="Mengisi kegiatan") as bar:
        for group in bar:
            with db.atomic():  # one transaction per 200 pegawai
                for employee in group:
                    days_of = six if employee.unit_id in six_day_units else five
                    buffer.extend(demo.bulk_rows(rng, employee.id, days_of, plans))
                    while len(buffer) >= chunk:
                        rest = buffer[chunk:]
                        del buffer[chunk:]
                        flush()
                        buffer.extend(rest)
                flush()
    month_totals.rebuild(start, today)  # bulk rows skip the lifecycle: their totals at once
    analyze()  # the planner's statistics of what was just loaded
    seconds = clock.perf_counter() - began
    click.echo(f"{total:,} kegiatan untuk {len(employees):,} pegawai dalam {seconds:.1f} detik.")


@click.command("import-holidays")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_holidays_command(path):
    """Add holidays from a CSV with columns tanggal,jenis,keterangan (existing dates are kept)."""
    db.connect(reuse_if_open=True)
    with open(path, encoding="utf-8") as handle:
        rows = [
            (date.fromisoformat(row["tanggal"]), row["jenis"], row["keterangan"])
            for row in csv.DictReader(handle)
        ]
    added = calendar.import_holidays(rows)
    click.echo(f"{added} hari libur ditambahkan.")


COMMANDS = [seed_activities_command, import_holidays_command]
