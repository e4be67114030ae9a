"""flask seed-dialogs: many published dialogs at once (the benchmark's data set)."""

import random
from datetime import timedelta

import click
import peewee as pw

from portal.db import db, utcnow
from portal.dialogs.demo import DIALOGS, FOLLOW_UPS, NOTULEN, QUESTIONS
from portal.dialogs.models import (
    ANNOUNCED,
    FU_PLANNED,
    Q_APPROVED,
    RESULTS,
    Dialog,
    FollowUp,
    Question,
)
from portal.org.models import Unit


@click.command("seed-dialogs")
@click.option("--count", default=1000, show_default=True, help="How many published dialogs.")
@click.option("--seed", "seed_value", default=7, show_default=True)
def seed_dialogs_command(count, seed_value):
    """Add COUNT published dialogs (half past with minutes and follow-ups, half upcoming), each
    with approved questions."""
    rng = random.Random(seed_value)
    db.connect(reuse_if_open=True)
    units = list(Unit.select().where(Unit.active == True))  # noqa: E712
    if not units:
        unit = Unit.create(
            kode="DISKOMINFO", nama="Dinas Komunikasi dan Informatika", jenis="Dinas"
        )
        unit.path = f"/{unit.id}/"
        unit.save()
        units = [unit]
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    batch = 200
    created_ids = []
    for offset in range(0, count, batch):
        rows = []
        for number in range(offset, min(offset + batch, count)):
            judul, topik, layanan, tempat, *_ = DIALOGS[number % len(DIALOGS)]
            past = number % 2 == 0
            starts = now + timedelta(
                days=rng.randint(-365, -1) if past else rng.randint(1, 180),
                hours=rng.randint(-4, 4),
            )
            rows.append(
                {
                    "judul": f"{judul} #{number + 1}",
                    "topik": topik,
                    "layanan": layanan,
                    "deskripsi": f"{layanan}. Masyarakat diundang memberi masukan.",
                    "unit": rng.choice(units).id,
                    "tempat": tempat or "Balai Kota",
                    "alamat": "Jl. Jenderal Sudirman No. 12",
                    "online_url": "",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "kuota": rng.choice([50, 100, None]),
                    "unsur_peserta": "Tokoh masyarakat",
                    "status": RESULTS if past else ANNOUNCED,
                    "announced_at": starts - timedelta(days=14),
                    "notulen": NOTULEN if past else "",
                    "hadir_total": 60 if past else None,
                    "hadir_masyarakat": 35 if past else None,
                    "registered_count": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with db.atomic():
            first_id = Dialog.select(db_max_id()).scalar() or 0
            Dialog.insert_many(rows).execute()
            ids = [
                row.id
                for row in Dialog.select(Dialog.id, Dialog.status)
                .where(Dialog.id > first_id)
                .order_by(Dialog.id)
            ]
            questions, follow_ups = [], []
            for dialog_id, row in zip(ids, rows, strict=False):
                for text, _status in QUESTIONS[:3]:
                    questions.append(
                        {
                            "dialog": dialog_id,
                            "nama": rng.choice(["Budi", "Siti", "Andi"]),
                            "anonim": False,
                            "teks": text,
                            "status": Q_APPROVED,
                            "support_count": rng.randint(0, 30),
                            "reject_reason": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                if row["status"] == RESULTS:
                    for index, (uraian, _fu, _note) in enumerate(FOLLOW_UPS[:2]):
                        follow_ups.append(
                            {
                                "dialog": dialog_id,
                                "uraian": uraian,
                                "owner_unit": row["unit"],
                                "due_date": (
                                    row["starts_at"] + timedelta(days=30 * (index + 1))
                                ).date(),
                                "status": FU_PLANNED,
                                "progress_note": "",
                                "created_at": now,
                                "updated_at": now,
                            }
                        )
            Question.insert_many(questions).execute()
            if follow_ups:
                FollowUp.insert_many(follow_ups).execute()
            created_ids.extend(ids)
    click.echo(f"{len(created_ids)} dialog publik dibuat.")
    if created_ids:
        click.echo(f"Daftar: /dialog-publik/  Contoh detail: /dialog-publik/{created_ids[-1]}")


def db_max_id() -> pw.Function:
    return pw.fn.MAX(Dialog.id)


COMMANDS = [seed_dialogs_command]
