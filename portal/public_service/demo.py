"""Demo data of the public service: complaints to the PTSP office over the last two months in
every status (answered on time and late, published with consent, rated, rejected, in progress,
overdue, not yet routed), all made through the services."""

import random
from datetime import date, timedelta
from typing import Any

from portal.activities.calendar import add_working_days, is_working_day
from portal.org.models import Employee, Unit
from portal.public_service import filing, handling, indicators, skm
from portal.public_service.models import CATEGORIES

TEXTS = [
    (
        "Perizinan",
        "Pengajuan PBG sudah tiga minggu belum ada kabar, status di aplikasi tidak berubah.",
    ),
    (
        "Perizinan",
        "Antrean di Mal Pelayanan Publik sangat panjang, nomor antrean habis pukul 09.00.",
    ),
    ("Perizinan", "NIB sudah terbit tetapi izin usaha mikro belum bisa diunduh dari OSS."),
    (
        "Sikap Petugas",
        "Petugas loket 3 kurang ramah dan tidak menjelaskan persyaratan dengan jelas.",
    ),
    ("Perizinan", "Persyaratan SLF berbeda antara situs web dan yang diminta petugas di loket."),
    ("Lainnya", "Parkir di depan kantor pelayanan penuh, mohon disediakan tempat parkir motor."),
    ("Perizinan", "Izin reklame yang saya ajukan ditolak tanpa alasan yang jelas di aplikasi."),
    ("Perizinan", "Mohon informasi biaya retribusi PBG untuk rumah tinggal satu lantai."),
]
ANSWERS = [
    "Terima kasih atas laporannya. Berkas Anda sudah kami verifikasi dan izin telah terbit.",
    "Mohon maaf atas ketidaknyamanan. Kami menambah loket dan kuota antrean mulai pekan ini.",
    "Dokumen sudah dapat diunduh; kendala sinkronisasi data OSS telah diperbaiki.",
    "Petugas yang bersangkutan telah dibina dan kami menambah papan informasi persyaratan.",
]


def _ptsp(context: dict[str, Any]) -> Unit:
    units = context["units"]
    return next((u for u in units if "Penanaman Modal" in u.nama), units[0])


def _working_days_back(today: date, count: int, unit: Unit) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if is_working_day(day, unit):
            days.append(day)
    return days


def seed(rng: random.Random, context: dict[str, Any]) -> None:
    unit = _ptsp(context)
    admin = context.get("admin")
    if admin is None:
        return
    handlers = list(
        Employee.in_units([unit]).where(Employee.active == True).order_by(Employee.id).limit(4)  # noqa: E712
    )
    if not handlers:
        return
    today = context["today"]
    past = _working_days_back(today, 40, unit)  # newest first
    texts = TEXTS * 3

    def file(number: int, day: date, consent: bool = True, routed: bool = True) -> Any:
        kategori, teks = texts[number]
        return filing.file_complaint(
            filing.ComplaintInput(
                kategori=kategori if kategori in CATEGORIES else "Lainnya",
                unit_id=unit.id if routed else None,
                teks=teks,
                kontak=f"08123{rng.randint(1000000, 9999999)}",
                nama=rng.choice(["", "Warga", "Pelapor"]),
                consent_publish=consent,
            ),
            today=day,
        )

    # Answered, over the weeks: response times of 1-7 working days, some late, most published.
    for number in range(12):
        filed = past[39 - number * 3]
        complaint = file(number, filed, consent=number % 4 != 3)
        complaint = handling.verify(admin, complaint)
        complaint = handling.assign(admin, complaint, rng.choice(handlers).id)
        answered = add_working_days(filed, 1 + (number * 5) % 7, unit)
        complaint = handling.answer(
            complaint.assignee,
            complaint,
            ANSWERS[number % len(ANSWERS)],
            today=min(answered, today),
        )
        if complaint.consent_publish and number % 3 != 2:
            handling.publish(admin, complaint, f"Warga melaporkan: {texts[number][1][:80]}")
        if number % 2 == 0:
            filing.rate(complaint.kode, rng.choice([3, 4, 4, 5]), "")
    rejected = file(12, past[12])
    handling.reject(admin, rejected, "Bukan kewenangan DPMPTSP; diteruskan ke Satpol PP.")
    late = file(13, past[9])  # in progress and past its deadline
    handling.assign(admin, handling.verify(admin, late), handlers[0].id)
    in_progress = file(14, past[1])
    handling.assign(admin, handling.verify(admin, in_progress), handlers[-1].id)
    handling.verify(admin, file(15, past[0]))  # verified, waiting for a pegawai
    file(16, today)  # just received
    file(17, today, routed=False)  # the citizen did not know the office
    _indicators(rng, admin, unit, today)
    _survey(rng, admin, unit, today)


def _survey(rng: random.Random, admin: Any, unit: Unit, today: date) -> None:
    """The PTSP's permit desk with enough SKM answers this period to show a band."""
    service = skm.create_service(admin, unit.id, "Perizinan Berusaha (PBG dan SLF)", 400)
    ikm = indicators.create_indicator(
        admin,
        indicators.IndicatorInput(unit.id, "Indeks Kepuasan Masyarakat", "nilai", "naik", "ikm"),
    )
    indicators.set_target(admin, ikm, today.year, "82")
    profiles = [
        skm.Profile("30-39", "L", "D4/S1", "Wirausaha"),
        skm.Profile("40-49", "P", "SMA", "Swasta"),
        skm.Profile("20-29", "P", "D1-D3", "Pelajar/Mahasiswa"),
        skm.Profile("50-59", "L", "SMA", "Wirausaha"),
    ]
    for number in range(60):
        answers = {f"u{n}": rng.choice([3, 3, 4, 4, 4, 2 if n == 3 else 3]) for n in range(1, 10)}
        skm.submit(service, skm.new_token(), answers, profiles[number % 4], "", today)


def _indicators(rng: random.Random, admin: Any, unit: Unit, today: date) -> None:
    """The PTSP's permit time over the last twelve months (improving towards the target), and
    the two indicators the portal computes from the complaints."""
    permit = indicators.create_indicator(
        admin,
        indicators.IndicatorInput(
            unit.id, "Waktu penyelesaian izin usaha", "hari", "turun", "manual"
        ),
    )
    for year in (today.year - 1, today.year):
        indicators.set_target(admin, permit, year, "5")
    year, month = today.year, today.month
    for back in range(12):
        value = 4.2 + back * 0.35 + rng.random() * 0.6
        indicators.record_value(admin, permit, year, month, f"{value:.1f}", today)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    speed = indicators.create_indicator(
        admin,
        indicators.IndicatorInput(
            unit.id, "Kecepatan respons pengaduan", "hari kerja", "turun", "waktu_respons"
        ),
    )
    indicators.set_target(admin, speed, today.year, "3")
    done = indicators.create_indicator(
        admin,
        indicators.IndicatorInput(
            unit.id, "Pengaduan terselesaikan", "persen", "naik", "penyelesaian"
        ),
    )
    indicators.set_target(admin, done, today.year, "90")
