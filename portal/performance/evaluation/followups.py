"""Tindak lanjut after the predikat are final: the candidates per predikat (Sangat Baik for
rewards; Butuh Perbaikan and below for pembinaan, with the training catalogue), and the records
of what was decided (reward, pembinaan, discipline) with their document number and date. The
portal records decisions; it does not take them. Recorded by the Kepala OPD or an admin OPD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from portal import settings
from portal.audit.services import record
from portal.db import write_transaction
from portal.errors import Conflict, Invalid
from portal.org.models import Employee, Unit
from portal.performance.evaluation.rules import can_calibrate, can_view, require
from portal.performance.models import (
    BUTUH_PERBAIKAN,
    EV_FINAL,
    FOLLOW_UPS,
    KURANG,
    PEMBINAAN,
    REWARDS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    Evaluation,
    EvaluationPeriod,
    FollowUp,
)

LOW = (BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)


def labels() -> dict[str, str]:
    return {
        "piagam": _("Certificate of appreciation (piagam)"),
        "pengembangan_kompetensi": _("Priority for competence development"),
        "tpp_tambahan": _("Additional TPP"),
        "lainnya": _("Other reward"),
        "pembinaan": _("Coaching (pembinaan)"),
        "pelatihan": _("Training"),
        "disiplin": _("Discipline (PP 94/2021)"),
    }


def local_rewards() -> list[str]:
    """What the pemda adds to the rewards (a setting, comma-separated)."""
    raw = str(settings.get("performance.extra_rewards") or "")
    return [item.strip() for item in raw.split(",") if item.strip() not in ("", "-")]


@dataclass
class FollowUpInput:
    jenis: str
    uraian: str
    nomor_dokumen: str
    tanggal_dokumen: date | None


def record_follow_up(actor: Employee, evaluation: Evaluation, data: FollowUpInput) -> FollowUp:
    """The Kepala OPD or admin OPD records a reward or pembinaan decided for a final evaluation."""
    require(can_view(actor, evaluation))
    if not can_calibrate(actor, evaluation.unit_id):
        raise Conflict(_("Only the Kepala OPD or the admin OPD records the follow-up."))
    if evaluation.status != EV_FINAL:
        raise Conflict(_("Follow-up is recorded after the predikat is final."))
    if data.jenis not in FOLLOW_UPS:
        raise Invalid(_("Choose the kind of follow-up."), field="jenis")
    if data.jenis in REWARDS and evaluation.predikat != SANGAT_BAIK:
        raise Invalid(_("Rewards follow a Sangat Baik predikat."), field="jenis")
    if data.jenis in PEMBINAAN and evaluation.predikat not in LOW:
        raise Invalid(_("Pembinaan follows a predikat of Butuh Perbaikan or below."), field="jenis")
    nomor = (data.nomor_dokumen or "").strip()
    if not nomor or len(nomor) > 100:
        raise Invalid(_("Write the document number."), field="nomor_dokumen")
    if data.tanggal_dokumen is None:
        raise Invalid(_("Fill in the document date."), field="tanggal_dokumen")
    uraian = (data.uraian or "").strip()
    if len(uraian) > 2000:
        raise Invalid(_("The text is too long."), field="uraian")
    with write_transaction():
        row = FollowUp.create(
            evaluation=evaluation,
            employee=evaluation.employee_id,
            jenis=data.jenis,
            uraian=uraian,
            nomor_dokumen=nomor,
            tanggal_dokumen=data.tanggal_dokumen,
            recorded_by=actor.id,
        )
        record(
            actor,
            "evaluation.follow_up",
            row,
            after={"jenis": data.jenis, "nomor": nomor, "tanggal": data.tanggal_dokumen},
        )
    return row


@dataclass
class Candidate:
    evaluation: Evaluation
    follow_ups: list[FollowUp]


def candidates(unit: Unit, tahun: int) -> tuple[list[Candidate], list[Candidate]]:
    """(reward candidates, pembinaan candidates): the final evaluations of `tahun` in the unit's
    subtree with Sangat Baik, and with Butuh Perbaikan or below, with what was recorded; two
    queries."""
    rows = list(
        Evaluation.select(Evaluation, EvaluationPeriod, Employee)
        .join(EvaluationPeriod)
        .switch(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(
            Evaluation.unit.in_(Unit.select(Unit.id).where(Unit.path.startswith(unit.path))),
            EvaluationPeriod.tahun == tahun,
            Evaluation.status == EV_FINAL,
            Evaluation.predikat.in_([SANGAT_BAIK, *LOW]),
        )
        .order_by(Employee.nama, EvaluationPeriod.end_date)
    )
    recorded: dict[int, list[FollowUp]] = {}
    for row in FollowUp.select().where(FollowUp.evaluation.in_([e.id for e in rows] or [0])):
        recorded.setdefault(row.evaluation_id, []).append(row)
    rewards = [Candidate(e, recorded.get(e.id, [])) for e in rows if e.predikat == SANGAT_BAIK]
    pembinaan = [Candidate(e, recorded.get(e.id, [])) for e in rows if e.predikat in LOW]
    return rewards, pembinaan
