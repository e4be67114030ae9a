"""Demo trainings: some finished (attendance, certificates, feedback), some open and nearly
full, one with a waiting list and atasan approval, one draft. Called by `flask seed-demo`."""

import secrets
from datetime import datetime, time, timedelta

from portal.db import utcnow
from portal.org.models import ROLE_PENYELENGGARA, Unit
from portal.trainings.models import (
    CLOSED,
    DONE,
    DRAFT,
    OFFERED,
    OPEN,
    RECORD_SUBMITTED,
    RECORD_VERIFIED,
    REGISTERED,
    WAITING,
    Attendance,
    ExternalRecord,
    Registration,
    Training,
    TrainingSession,
)
from portal.trainings.rules import local_to_utc

# (judul, jenis, jp, kuota, days from today, sessions, status, needs_approval, fill, tempat)
CATALOGUE = [
    (
        "Bimtek Penyusunan SKP dan Perilaku Kerja",
        "bimtek",
        16,
        40,
        -62,
        2,
        DONE,
        False,
        0.9,
        "Aula Bappeda Lt. 2",
    ),
    (
        "Workshop Tata Naskah Dinas Elektronik (SRIKANDI)",
        "workshop",
        8,
        30,
        -35,
        1,
        DONE,
        False,
        0.95,
        "Ruang Rapat Sekretariat Daerah",
    ),
    (
        "Pelatihan Pelayanan Prima Angkatan I",
        "pelatihan",
        24,
        30,
        -20,
        3,
        DONE,
        False,
        1.0,
        "Gedung Diklat BKPSDM",
    ),
    (
        "Pelatihan Pelayanan Prima Angkatan II",
        "pelatihan",
        24,
        30,
        12,
        3,
        OPEN,
        False,
        0.93,
        "Gedung Diklat BKPSDM",
    ),
    ("e-Learning Manajemen ASN (ASN Corpu)", "e-learning", 10, 150, 9, 1, OPEN, False, 0.4, ""),
    (
        "Coaching Kepemimpinan bagi Pengawas",
        "coaching",
        6,
        8,
        15,
        2,
        OPEN,
        True,
        1.4,
        "Ruang Kepala BKPSDM",
    ),
    ("Bimtek Penyusunan LKjIP 2026", "bimtek", 12, 35, 21, 2, OPEN, False, 0.6, "Aula Inspektorat"),
    (
        "Seminar Literasi Digital dan Keamanan Informasi",
        "seminar",
        4,
        100,
        6,
        1,
        CLOSED,
        False,
        0.8,
        "Auditorium Diskominfo",
    ),
    (
        "Workshop Manajemen Risiko Pembangunan Daerah",
        "workshop",
        8,
        25,
        40,
        1,
        DRAFT,
        False,
        0,
        "Ruang Rapat Bappeda",
    ),
]

NARASUMBER = [
    "Dr. Rahmat Hidayat, M.Si. (BPSDM Provinsi)",
    "Dra. Sri Wahyuni, M.AP. (LAN RI)",
    "Ir. Bambang Sutrisno, M.T. (Kementerian PANRB)",
    "Yuliana Putri, S.Kom., M.Kom. (BSSN)",
]

COMMENTS = [
    "Materi sangat bermanfaat untuk penyusunan SKP tahun depan.",
    "Narasumber menjelaskan dengan jelas, contoh kasusnya relevan.",
    "Waktu praktik kurang, sebaiknya ditambah satu sesi.",
    "Ruangan agak panas, tetapi materinya bagus.",
    "Mohon dibagikan bahan tayang setelah kegiatan.",
]


def _organizer_unit(context):
    organizer = context.get("penyelenggara")
    if organizer is not None:
        ids = organizer.role_units(ROLE_PENYELENGGARA)
        unit = Unit.get_or_none(Unit.id == ids[0]) if ids else None
        if unit is not None:
            return unit
    return context["units"][0]


def seed(rng, context):
    today = context["today"]
    unit = _organizer_unit(context)
    employees = [e for e in context["employees"] if e.active]
    pegawai = context.get("pegawai")
    now = utcnow()
    for index, (judul, jenis, jp, kuota, offset, days, status, approval, fill, tempat) in enumerate(
        CATALOGUE
    ):
        first_day = today + timedelta(days=offset)
        sessions = []
        for day in range(days):
            start = local_to_utc(datetime.combine(first_day + timedelta(days=day), time(8, 0)))
            sessions.append((start, start + timedelta(hours=4 if jp < 8 else 7)))
        training = Training.create(
            judul=judul,
            deskripsi=(
                f"{judul} untuk meningkatkan kompetensi ASN di lingkungan "
                f"Pemerintah Kota. Peserta membawa laptop dan data kerja masing-masing."
            ),
            jenis=jenis,
            unit=unit,
            penyelenggara="BKPSDM",
            narasumber=NARASUMBER[index % len(NARASUMBER)],
            tempat=tempat,
            link_daring="https://asn-unggul.lan.go.id" if jenis == "e-learning" else "",
            jp=jp,
            kuota=kuota,
            registration_opens_at=sessions[0][0] - timedelta(days=30),
            registration_closes_at=sessions[0][0] - timedelta(days=1),
            needs_approval=approval,
            status=status,
            starts_at=sessions[0][0],
            ends_at=sessions[-1][1],
            created_by=context.get("penyelenggara"),
        )
        session_rows = [
            TrainingSession.create(training=training, starts_at=s, ends_at=e, topik=f"Hari {n}")
            for n, (s, e) in enumerate(sessions, start=1)
        ]
        if status == DRAFT:
            continue
        count = min(int(kuota * fill), len(employees))
        chosen = rng.sample(employees, count)
        if pegawai is not None and index in (0, 3) and pegawai not in chosen:
            chosen[0] = pegawai
        for position, employee in enumerate(chosen):
            seated = position < kuota
            reg = Registration.create(
                training=training,
                employee=employee,
                status=REGISTERED if seated else WAITING,
                queued_at=None
                if seated
                else (now - timedelta(hours=count - position)).replace(microsecond=0),
            )
            if status != DONE:
                continue
            present = [rng.random() < 0.93 for _ in session_rows]
            Attendance.insert_many(
                [
                    {"registration": reg.id, "session": s.id, "present": p}
                    for s, p in zip(session_rows, present, strict=True)
                ]
            ).execute()
            if all(present):
                reg.completed = True
                reg.jp_credited = jp
                reg.certificate_number = f"SERT-{first_day.year}-{training.id:04d}-{reg.id:05d}"
                reg.verification_code = secrets.token_hex(8)
                reg.certificate_issued_at = sessions[-1][1]
                if rng.random() < 0.7:
                    reg.rating = rng.choice([3, 4, 4, 5, 5])
                    reg.comment = rng.choice(COMMENTS) if rng.random() < 0.5 else None
                reg.save()
        if approval:
            waiting = (
                Registration.select()
                .where(Registration.training == training.id, Registration.status == WAITING)
                .order_by(Registration.queued_at)
                .first()
            )
            if waiting is not None and rng.random() < 1:
                first = (
                    Registration.select()
                    .where(Registration.training == training.id, Registration.status == REGISTERED)
                    .first()
                )
                first.status = "dibatalkan"
                first.save()
                waiting.status = OFFERED
                waiting.offer_expires_at = now + timedelta(hours=20)
                waiting.save()
    if pegawai is not None:
        ExternalRecord.create(
            employee=pegawai,
            judul="Pelatihan Dasar Analisis Kebijakan",
            penyelenggara="BPSDM Provinsi",
            tanggal=today - timedelta(days=50),
            jp=6,
            stored_name="demo-tanpa-berkas",
            original_name="sertifikat-analisis-kebijakan.pdf",
            kind="pdf",
            status=RECORD_VERIFIED,
            verified_by=context.get("admin"),
            verified_at=now - timedelta(days=45),
        )
        ExternalRecord.create(
            employee=pegawai,
            judul="Webinar Reformasi Birokrasi Tematik",
            penyelenggara="Kementerian PANRB",
            tanggal=today - timedelta(days=5),
            jp=2,
            stored_name="demo-tanpa-berkas",
            original_name="sertifikat-webinar-rb.pdf",
            kind="pdf",
            status=RECORD_SUBMITTED,
        )
