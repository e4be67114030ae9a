"""Demo data of the daily log: a few weeks of realistic entries for the demo employees, with
several days Diajukan for the demo atasan's subordinates so the verifier has work, some
approved and returned entries with history, and a couple of routine activities.

`bulk_rows()` is shared with `flask seed-activities` (a year for every active pegawai).
"""

from datetime import UTC, datetime, time, timedelta

from portal.activities.calendar import calendar_for
from portal.activities.entries import check_rhk
from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    SUBMITTED,
    Activity,
    ActivityEvent,
    ActivityTemplate,
    Holiday,
)
from portal.activities.rules import options
from portal.clock import local_now, local_today, timezone
from portal.db import db, utcnow
from portal.errors import Invalid
from portal.performance.pages import approved_rhk_choices

# (uraian, satuan, volume range, minutes range)
TASKS = [
    ("Menyusun draf surat balasan permohonan izin", "surat", (1, 4), (45, 120)),
    ("Verifikasi berkas SPJ kegiatan bidang", "berkas", (3, 15), (60, 150)),
    ("Entri data permohonan perizinan ke aplikasi OSS", "data", (5, 30), (60, 120)),
    ("Rapat koordinasi persiapan monitoring dan evaluasi", "kegiatan", (1, 1), (60, 120)),
    ("Menyusun notulen rapat koordinasi", "dokumen", (1, 2), (30, 75)),
    ("Melayani konsultasi pemohon di loket layanan", "orang", (3, 12), (60, 180)),
    ("Mengarsipkan surat masuk dan surat keluar", "berkas", (10, 40), (30, 90)),
    ("Menyusun laporan realisasi anggaran bulanan", "laporan", (1, 1), (90, 180)),
    ("Memeriksa kelengkapan dokumen pengadaan barang", "dokumen", (2, 8), (60, 120)),
    ("Memperbarui data kepegawaian di SIMPEG", "data", (5, 25), (45, 90)),
    ("Menyiapkan bahan paparan pimpinan", "naskah", (1, 1), (60, 120)),
    ("Apel pagi dan pembagian tugas", "kegiatan", (1, 1), (15, 30)),
    ("Menelaah disposisi dan menyiapkan tindak lanjut", "dokumen", (2, 6), (30, 90)),
    ("Input realisasi kinerja ke aplikasi e-Kinerja", "data", (1, 5), (30, 60)),
    ("Survei lapangan verifikasi lokasi usaha", "lokasi", (1, 3), (120, 210)),
]
RETURN_NOTES = [
    "Lengkapi nomor surat dan nama pemohon pada uraian.",
    "Volume tidak sesuai dengan berkas yang diserahkan, mohon diperbaiki.",
    "Jam kegiatan bertepatan dengan rapat pimpinan, mohon dicek kembali.",
]


def _day_plan(rng, tanggal, start=time(7, 30), end_minute=16 * 60):
    """A realistic day: 4-6 consecutive tasks from 07.30 with short breaks."""
    minute = start.hour * 60 + start.minute
    tasks = rng.sample(TASKS, rng.randint(4, 6))
    plan = []
    for uraian, satuan, volumes, minutes in tasks:
        length = rng.randrange(minutes[0], minutes[1] + 1, 15) if minutes[1] > 15 else minutes[0]
        if minute + length > end_minute:
            break
        lokasi = "DL" if "lapangan" in uraian else rng.choice(["WFO"] * 9 + ["WFH"])
        plan.append(
            (
                time(minute // 60, minute % 60),
                time((minute + length) // 60, (minute + length) % 60),
                length,
                uraian,
                rng.randint(*volumes),
                satuan,
                lokasi,
            )
        )
        minute += length + rng.choice([0, 0, 15])
        if 12 * 60 <= minute < 13 * 60:  # istirahat
            minute = 13 * 60
    return plan


def _working_days(today, count, holidays):
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def _serves(rng, employee, tanggal, served, opts):
    """An RHK for a demo entry (three in four entries, when the pegawai has any), or None."""
    if not served or rng.random() < 0.25:
        return None
    rhk_id = rng.choice(served)
    try:
        check_rhk(employee, tanggal, rhk_id, opts)
    except Invalid:
        return None
    return rhk_id


def seed(rng, context):
    """A few weeks of entries for the demo employees (idempotent-safe: runs on an empty DB)."""
    today = context.get("today") or local_today()
    employees = list(context.get("employees") or [])
    atasan = context.get("atasan")
    pegawai = context.get("pegawai")
    demo = [e for e in (pegawai, atasan) if e is not None]
    subordinates = [e for e in employees if atasan is not None and e.supervisor_id == atasan.id]
    # Only pegawai with an atasan: somebody must have decided their older entries.
    others = [e for e in employees if e not in demo and e not in subordinates and e.supervisor_id]
    chosen = list(
        {e.id: e for e in demo + subordinates + rng.sample(others, min(len(others), 30))}.values()
    )  # each pegawai once: seeding one twice would overlap their own entries
    holidays = {row.tanggal for row in Holiday.select(Holiday.tanggal)}
    now = local_now()
    latest_today = min(now.time(), time(16)) if now.date() == today else time(16)
    days = _working_days(today, 15, holidays)
    opts = options()
    with db.atomic():
        for employee in chosen:
            waiting_for_atasan = atasan is not None and employee.supervisor_id == atasan.id
            # Most entries of a pegawai with an approved SKP (seeded by the performance demo)
            # serve one of its RHK; the service's own rule checks each link.
            served = [rhk_id for rhk_id, _label in approved_rhk_choices(employee, today)]
            for tanggal in days:
                age = (today - tanggal).days
                for start, end, minutes, uraian, volume, satuan, lokasi in _day_plan(rng, tanggal):
                    rhk_id = _serves(rng, employee, tanggal, served, opts)
                    if tanggal == today:
                        if end > latest_today:  # never in the future
                            continue
                        status = DRAFT
                    elif not employee.supervisor_id or (
                        age <= 5 and (waiting_for_atasan or employee == pegawai)
                    ):
                        status = SUBMITTED
                    elif rng.random() < 0.06:
                        status = NEEDS_REVISION
                    else:
                        status = APPROVED
                    decided = status in (APPROVED, NEEDS_REVISION)
                    decided_by = employee.supervisor_id if decided else None
                    note = rng.choice(RETURN_NOTES) if status == NEEDS_REVISION else None
                    stamp = datetime.combine(tanggal, end) - timedelta(hours=7)
                    activity = Activity.create(
                        employee=employee,
                        tanggal=tanggal,
                        jam_mulai=start,
                        jam_selesai=end,
                        minutes=minutes,
                        uraian=uraian,
                        volume=volume,
                        satuan=satuan,
                        lokasi=lokasi,
                        status=status,
                        version={DRAFT: 1, SUBMITTED: 2}.get(status, 3),
                        submitted_at=stamp + timedelta(hours=1) if status != DRAFT else None,
                        decided_by=decided_by if decided_by else None,
                        decided_at=stamp + timedelta(days=1) if decided_by else None,
                        menit_diakui=minutes if status == APPROVED else None,
                        decision_note=note,
                        rhk=rhk_id,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                    events = [("created", None, DRAFT, employee.id, stamp, None)]
                    if status != DRAFT:
                        events.append(
                            (
                                "submitted",
                                DRAFT,
                                SUBMITTED,
                                employee.id,
                                stamp + timedelta(hours=1),
                                None,
                            )
                        )
                    if decided_by:
                        action = "approved" if status == APPROVED else "returned"
                        events.append(
                            (action, SUBMITTED, status, decided_by, stamp + timedelta(days=1), note)
                        )
                    ActivityEvent.insert_many(
                        [
                            {
                                "activity": activity.id,
                                "action": a,
                                "from_status": f,
                                "to_status": to,
                                "actor": actor,
                                "note": n,
                                "created_at": at,
                                "updated_at": at,
                            }
                            for a, f, to, actor, at, n in events
                        ]
                    ).execute()
        for employee in demo:
            for uraian, satuan, minutes in [
                ("Apel pagi dan pembagian tugas", "kegiatan", 30),
                ("Mengarsipkan surat masuk dan surat keluar", "berkas", 60),
            ]:
                ActivityTemplate.create(
                    employee=employee, uraian=uraian, satuan=satuan, minutes=minutes
                )


def day_plans(rng, per_day, count=64):
    """A pool of realistic day plans to draw from (building one per row would dominate)."""
    return [_day_plan(rng, None)[:per_day] for _ in range(count)]


def bulk_rows(rng, employee_id, days, plans):
    """Rows (tuples of BULK_FIELDS): one plan from `plans` on each of `days` for one pegawai."""
    rows = []
    stamp = utcnow()
    for tanggal in days:
        for start, end, minutes, uraian, volume, satuan, lokasi in rng.choice(plans):
            rows.append(
                (
                    employee_id,
                    tanggal,
                    start,
                    end,
                    minutes,
                    uraian,
                    volume,
                    satuan,
                    lokasi,
                    APPROVED,
                    3,
                    stamp,
                    minutes,
                    stamp,
                    stamp,
                )
            )
    return rows


BULK_FIELDS = [
    Activity.employee,
    Activity.tanggal,
    Activity.jam_mulai,
    Activity.jam_selesai,
    Activity.minutes,
    Activity.uraian,
    Activity.volume,
    Activity.satuan,
    Activity.lokasi,
    Activity.status,
    Activity.version,
    Activity.submitted_at,
    Activity.menit_diakui,
    Activity.created_at,
    Activity.updated_at,
]


SUBMITTED_TASKS = [
    ("Memverifikasi berkas usulan kenaikan pangkat", 2, "berkas"),
    ("Menyusun rekap daftar hadir pegawai bulanan", 1, "laporan"),
    ("Menginput data SKP pegawai ke aplikasi e-Kinerja", 12, "data"),
    ("Mengikuti rapat koordinasi persiapan apel besar", 1, "kegiatan"),
    ("Melayani konsultasi administrasi cuti pegawai", 4, "orang"),
    ("Menyusun draf nota dinas permintaan data", 1, "dokumen"),
    ("Mengarsipkan surat masuk dan surat keluar", 25, "surat"),
    ("Memperbarui data pada SIASN", 8, "data"),
]


def _utc(day, hour):
    local = datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone())
    return local.astimezone(UTC).replace(tzinfo=None)


def ensure_submitted_week(rng, team, today):
    """A working week of Diajukan entries for up to 6 of `team` when none of them has any (the
    reviews demo needs a queue)."""
    if Activity.select().where(Activity.employee.in_([e.id for e in team])).exists():
        return
    calendar = calendar_for(today, back_days=30)
    days = calendar.working_days(today - timedelta(days=14), today - timedelta(days=1))[-5:]
    for employee in team[:6]:
        for day in days:
            start = 8 * 60
            for _ in range(rng.randint(2, 3)):
                uraian, volume, satuan = rng.choice(SUBMITTED_TASKS)
                minutes = rng.choice([60, 90, 120])
                end = start + minutes
                Activity.create(
                    employee=employee,
                    tanggal=day,
                    jam_mulai=time(start // 60, start % 60),
                    jam_selesai=time(end // 60, end % 60),
                    minutes=minutes,
                    uraian=uraian,
                    volume=volume,
                    satuan=satuan,
                    lokasi=rng.choice(["WFO", "WFO", "DL"]),
                    status=SUBMITTED,
                    version=2,
                    submitted_at=_utc(day, 16),
                )
                start = end + 15
