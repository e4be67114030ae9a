"""Demo data of dialog publik: past dialogs with minutes and follow-ups, upcoming ones with
registrations and moderated questions, one postponed, one cancelled, one draft."""

import random
from datetime import time, timedelta
from typing import Any

from portal.db import utcnow
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    DONE,
    DRAFT,
    FU_DONE,
    FU_IN_PROGRESS,
    FU_PLANNED,
    POSTPONED,
    Q_APPROVED,
    Q_MERGED,
    Q_PENDING,
    Q_REJECTED,
    REG_ACTIVE,
    RESULTS,
    Dialog,
    FollowUp,
    Question,
    Registration,
    SurveyResponse,
)
from portal.dialogs.rules import local_to_utc

# (judul, topik, layanan, tempat, hari dari hari ini, jam mulai, status)
DIALOGS = [
    (
        "Forum Konsultasi Publik Rancangan Standar Pelayanan Perizinan Berusaha",
        "Perizinan",
        "Standar Pelayanan Perizinan Berusaha Berbasis Risiko (OSS-RBA)",
        "Aula Mal Pelayanan Publik",
        -45,
        time(9, 0),
        RESULTS,
    ),
    (
        "Dialog Publik Layanan Adminduk Jemput Bola",
        "Kependudukan",
        "Perekaman KTP-el dan penerbitan KK di kelurahan",
        "Kantor Camat Ilir Barat I",
        -20,
        time(13, 30),
        RESULTS,
    ),
    (
        "Forum Konsultasi Publik Standar Pelayanan Puskesmas Rawat Inap",
        "Kesehatan",
        "Standar pelayanan rawat inap dan UGD Puskesmas",
        "Puskesmas Sukajaya",
        -9,
        time(9, 0),
        DONE,
    ),
    (
        "Konsultasi Publik Rancangan Perwali Pengelolaan Sampah Rumah Tangga",
        "Lingkungan Hidup",
        "Rancangan Peraturan Wali Kota tentang pengelolaan sampah",
        "Gedung Serbaguna Kecamatan",
        6,
        time(9, 0),
        ANNOUNCED,
    ),
    (
        "Dialog Publik Penerimaan Peserta Didik Baru (SPMB) SD dan SMP",
        "Pendidikan",
        "Sistem penerimaan murid baru jalur zonasi dan afirmasi",
        "Aula Dinas Pendidikan",
        12,
        time(8, 30),
        ANNOUNCED,
    ),
    (
        "Forum Konsultasi Publik Layanan Angkutan Umum Trans Kota",
        "Perhubungan",
        "Rute dan jadwal bus Trans Kota",
        "",
        18,
        time(14, 0),
        ANNOUNCED,
    ),
    (
        "Dialog Publik Pelayanan Izin Usaha Mikro bagi Pelaku UMKM",
        "Ekonomi dan UMKM",
        "Nomor Induk Berusaha untuk usaha mikro",
        "Balai Kota, Ruang Rapat Parameswara",
        25,
        time(9, 0),
        POSTPONED,
    ),
    (
        "Forum Konsultasi Publik Pajak Bumi dan Bangunan Perdesaan dan Perkotaan",
        "Keuangan Daerah",
        "Penetapan dan keberatan PBB-P2",
        "Kantor Badan Pendapatan Daerah",
        10,
        time(10, 0),
        CANCELLED,
    ),
    (
        "Dialog Publik Rencana Perbaikan Drainase Kelurahan",
        "Infrastruktur",
        "Program perbaikan drainase 2027",
        "Kantor Lurah",
        30,
        time(9, 0),
        DRAFT,
    ),
]

NAMES = [
    "Ahmad Fauzi",
    "Siti Aminah",
    "Budi Hartono",
    "Dewi Kartika",
    "Rahmat Hidayat",
    "Nur Aisyah",
    "Yusuf Maulana",
    "Rina Marlina",
    "Agus Salim",
    "Fitri Handayani",
    "Hendra Gunawan",
    "Lestari Wulandari",
    "Muhammad Rizki",
    "Sri Rahayu",
    "Andi Pratama",
]
ORGANISATIONS = [
    "",
    "",
    "Ketua RT 05",
    "Forum Anak Kota",
    "Komunitas Disabilitas",
    "HIPMI",
    "LPM Kelurahan",
    "Karang Taruna",
    "Asosiasi UMKM",
]
QUESTIONS = [
    ("Berapa lama waktu penyelesaian layanan ini setelah berkas lengkap?", Q_APPROVED),
    (
        "Apakah ada biaya yang harus dibayar? Mohon dicantumkan jelas di papan informasi.",
        Q_APPROVED,
    ),
    ("Mohon disediakan loket prioritas untuk lansia dan penyandang disabilitas.", Q_APPROVED),
    ("Bagaimana jika berkas ditolak, apakah ada pemberitahuan lewat WhatsApp?", Q_PENDING),
    ("Berapa lama prosesnya?", Q_MERGED),
    ("Promo pinjaman online cepat cair hubungi nomor ini", Q_REJECTED),
]
FOLLOW_UPS = [
    (
        "Menambah satu loket layanan pada hari Senin dan Jumat.",
        FU_DONE,
        "Loket 5 dibuka sejak Senin lalu.",
    ),
    (
        "Menerbitkan maklumat pelayanan dan papan informasi biaya nol rupiah.",
        FU_IN_PROGRESS,
        "Maklumat sedang dicetak.",
    ),
    ("Menyediakan kanal pengaduan WhatsApp yang dijawab maksimal 1x24 jam.", FU_PLANNED, ""),
]
NOTULEN = (
    "Forum dibuka oleh Kepala Dinas. Peserta menyampaikan masukan tentang waktu layanan, biaya, "
    "dan kemudahan akses bagi lansia serta penyandang disabilitas.\n\n"
    "Kesepakatan:\n1. Waktu penyelesaian layanan dicantumkan di papan informasi.\n"
    "2. Loket tambahan dibuka pada hari ramai.\n3. Kanal pengaduan daring disediakan."
)


def _organizer_unit(context, rng):
    organizer = context.get("penyelenggara")
    if organizer is not None:
        ids = [uid for uid in organizer.role_units("penyelenggara") if uid]
        if ids:
            return (
                next(u for u in context["units"] if u.id == ids[0])
                if any(u.id == ids[0] for u in context["units"])
                else organizer.unit
            )
        return organizer.unit
    return rng.choice(context["units"])


# The unit that would organise each topic, by a word of its name (else the demo organiser's).
TOPIC_UNITS = {
    "Perizinan": ("Penanaman Modal", "Perizinan"),
    "Kependudukan": ("Kependudukan", "Kecamatan"),
    "Kesehatan": ("Puskesmas", "Kesehatan"),
    "Lingkungan Hidup": ("Lingkungan",),
    "Pendidikan": ("Pendidikan",),
    "Perhubungan": ("Perhubungan",),
    "Ekonomi dan UMKM": ("Koperasi", "Perdagangan", "Penanaman Modal"),
    "Keuangan Daerah": ("Pendapatan", "Keuangan"),
    "Infrastruktur": ("Pekerjaan Umum", "Kelurahan"),
}


def _unit_for(topic, units, fallback):
    for word in TOPIC_UNITS.get(topic, ()):
        for unit in units:
            if word.lower() in unit.nama.lower():
                return unit
    return fallback


def seed(rng: random.Random, context: dict[str, Any]) -> None:
    units = context["units"]
    if not units:
        return
    today = context["today"]
    organizer = context.get("penyelenggara")
    home_unit = _organizer_unit(context, rng)
    now = utcnow()
    for index, (judul, topik, layanan, tempat, days, start, status) in enumerate(DIALOGS):
        unit = _unit_for(topik, units, home_unit)
        day = today + timedelta(days=days)
        starts = local_to_utc(day, start)
        ends = starts + timedelta(hours=2, minutes=30)
        announced = None if status == DRAFT else min(now, starts) - timedelta(days=14)
        dialog = Dialog.create(
            judul=judul,
            topik=topik,
            layanan=layanan,
            deskripsi=(
                f"{layanan}. Masyarakat, pelaku usaha, akademisi, media dan organisasi "
                "masyarakat diundang memberi masukan agar layanan lebih mudah, cepat "
                "dan jelas."
            ),
            unit=unit,
            tempat=tempat,
            alamat="Jl. Jenderal Sudirman No. 12" if tempat else "",
            online_url="" if tempat and index % 2 else "https://zoom.us/j/81234567890",
            starts_at=starts,
            ends_at=ends,
            kuota=rng.choice([50, 80, 100, None]),
            unsur_peserta="Tokoh masyarakat, RT/RW, pelaku usaha, akademisi, media, "
            "organisasi penyandang disabilitas",
            status=status,
            announced_at=announced,
            created_by=organizer,
            notice={
                POSTPONED: "Ditunda karena bertepatan dengan kegiatan nasional; jadwal baru "
                "akan diumumkan.",
                CANCELLED: "Dibatalkan; materi akan dibahas dalam forum gabungan bulan depan.",
            }.get(status, ""),
            notulen=NOTULEN if status == RESULTS else "",
            hadir_total=rng.randint(40, 90) if status in (DONE, RESULTS) else None,
            hadir_masyarakat=rng.randint(20, 39) if status in (DONE, RESULTS) else None,
            results_published_at=ends + timedelta(days=2) if status == RESULTS else None,
        )
        if status == DRAFT:
            continue
        count = rng.randint(8, 14)
        for number, nama in enumerate(rng.sample(NAMES, count)):
            Registration.create(
                dialog=dialog,
                nama=nama,
                organisasi=rng.choice(ORGANISATIONS),
                kontak=f"0812{rng.randint(10000000, 99999999)}",
                kontak_normal=f"62812{dialog.id:04d}{number:04d}",
                code=f"DP-D{dialog.id:03d}{number:04d}",
                status=REG_ACTIVE,
                consent_at=announced,
            )
        dialog.registered_count = count
        dialog.save()
        first = None
        for text, q_status in QUESTIONS:
            if status in (DONE, RESULTS) and q_status == Q_PENDING:
                q_status = Q_APPROVED
            question = Question.create(
                dialog=dialog,
                nama=rng.choice(NAMES),
                anonim=rng.random() < 0.2,
                teks=text,
                status=q_status,
                merged_into=first if q_status == Q_MERGED else None,
                reject_reason="Promosi, tidak terkait layanan" if q_status == Q_REJECTED else "",
                moderated_by=organizer if q_status != Q_PENDING else None,
                moderated_at=announced if q_status != Q_PENDING else None,
                support_count=rng.randint(0, 25) if q_status == Q_APPROVED else 0,
            )
            if question.anonim:
                question.nama = ""
                question.save()
            first = first or question
        if status in (DONE, RESULTS):
            for number in range(rng.randint(12, 30)):
                ratings = {
                    f"u{n}": rng.choices([2, 3, 4], weights=[1, 5, 4])[0] for n in range(1, 10)
                }
                SurveyResponse.create(
                    dialog=dialog, voter=f"demo-{dialog.id}-{number}", saran="", **ratings
                )
            for offset, (uraian, fu_status, note) in enumerate(FOLLOW_UPS):
                FollowUp.create(
                    dialog=dialog,
                    uraian=uraian,
                    owner_unit=unit,
                    due_date=day + timedelta(days=30 * (offset + 1)),
                    status=fu_status,
                    progress_note=note,
                    updated_by=organizer,
                )
