"""The national rules of the evaluation (PermenPANRB 6/2022, PerBKN 3/2023) as pure functions,
the labels, and the `can_...` predicates of every evaluation action. Deny by default; whoever
may not see an evaluation gets 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from portal.clock import local_today, to_local
from portal.errors import NotFound
from portal.org import services as org
from portal.org.models import Employee
from portal.performance.models import (
    BAIK,
    BUTUH_PERBAIKAN,
    DI_ATAS,
    DI_BAWAH,
    EV_DRAFT,
    EV_FINAL,
    EV_OPEN,
    EV_SUBMITTED,
    KURANG,
    OBJ_ACCEPTED,
    OBJ_FILED,
    OBJ_REFUSED,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SESUAI,
    Evaluation,
    Objection,
)
from portal.performance.rules import identities

OBJECTION_DAYS = 14  # calendar days after the predikat is given [N]
ISTIMEWA = "istimewa"
ORG_PREDIKAT = [ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG]

# hasil -> perilaku -> predikat: the national 3x3 matrix.
MATRIX = {
    DI_ATAS: {DI_BAWAH: KURANG, SESUAI: BAIK, DI_ATAS: SANGAT_BAIK},
    SESUAI: {DI_BAWAH: KURANG, SESUAI: BAIK, DI_ATAS: BAIK},
    DI_BAWAH: {DI_BAWAH: SANGAT_KURANG, SESUAI: BUTUH_PERBAIKAN, DI_ATAS: BUTUH_PERBAIKAN},
}


def predikat_of(hasil: str | None, perilaku: str | None) -> str | None:
    """The predikat the matrix gives for the two ratings (None while one is missing)."""
    return MATRIX.get(hasil or "", {}).get(perilaku or "")


def rating_labels() -> dict[str, str]:
    return {
        DI_ATAS: _("Above expectations"),
        SESUAI: _("As expected"),
        DI_BAWAH: _("Below expectations"),
    }


def predikat_labels() -> dict[str, str]:
    return {
        SANGAT_BAIK: _("Very good"),
        BAIK: _("Good"),
        BUTUH_PERBAIKAN: _("Needs improvement"),
        KURANG: _("Poor/Misconduct"),
        SANGAT_KURANG: _("Very poor"),
    }


def org_predikat_labels() -> dict[str, str]:
    return {ISTIMEWA: _("Outstanding"), **predikat_labels()}


def status_labels() -> dict[str, str]:
    return {
        EV_DRAFT: _("Realisasi in progress"),
        EV_SUBMITTED: _("Awaiting rating"),
        EV_FINAL: _("Final"),
    }


def objection_labels() -> dict[str, str]:
    return {
        OBJ_FILED: _("Objection awaiting decision"),
        OBJ_REFUSED: _("Objection refused"),
        OBJ_ACCEPTED: _("Objection accepted"),
    }


PREDIKAT_TONES = {
    SANGAT_BAIK: "success",
    BAIK: "primary",
    BUTUH_PERBAIKAN: "warning",
    KURANG: "danger",
    SANGAT_KURANG: "danger",
}


# --- the distribution curve ---------------------------------------------------------------------


def _share(count: int, total: int) -> Decimal:
    return (Decimal(count * 100) / Decimal(total)).quantize(Decimal("0.1")) if total else Decimal(0)


def distribution_problems(counts: dict[str, int], org_predikat: str | None) -> list[str]:
    """Each rule of the curve for the unit's organisation predikat that `counts` (predikat ->
    number of pegawai) breaks, in Indonesian; empty when it fits (or nobody is rated)."""
    total = sum(counts.values())
    if not total or org_predikat is None:
        return []
    n = {
        key: counts.get(key, 0)
        for key in (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
    }

    def at_most(count: int, percent: int) -> bool:
        return count * 100 <= percent * total

    def at_least(count: int, percent: int) -> bool:
        return count * 100 >= percent * total

    labels = predikat_labels()
    found: list[str] = []

    def most(key: str, percent: int) -> None:
        if not at_most(n[key], percent):
            found.append(
                _(
                    "At most %(percent)s%% may be %(predikat)s; there are %(share)s%%.",
                    percent=percent,
                    predikat=labels[key],
                    share=_share(n[key], total),
                )
            )

    def least(count: int, percent: int, what: str) -> None:
        if not at_least(count, percent):
            found.append(
                _(
                    "At least %(percent)s%% must be %(predikat)s; there are %(share)s%%.",
                    percent=percent,
                    predikat=what,
                    share=_share(count, total),
                )
            )

    if org_predikat == ISTIMEWA:
        most(SANGAT_BAIK, 70)
    elif org_predikat == BAIK:
        most(BAIK, 70)
        if n[BUTUH_PERBAIKAN] + n[KURANG] < 1:
            found.append(
                _(
                    "At least one pegawai must be %(a)s or %(b)s.",
                    a=labels[BUTUH_PERBAIKAN],
                    b=labels[KURANG],
                )
            )
    elif org_predikat == BUTUH_PERBAIKAN:
        least(n[BUTUH_PERBAIKAN], 60, labels[BUTUH_PERBAIKAN])
        most(SANGAT_BAIK, 10)
    elif org_predikat == KURANG:
        least(n[KURANG], 60, labels[KURANG])
        least(n[BUTUH_PERBAIKAN], 10, labels[BUTUH_PERBAIKAN])
        most(SANGAT_BAIK, 10)
    elif org_predikat == SANGAT_KURANG:
        least(n[SANGAT_KURANG], 60, labels[SANGAT_KURANG])
        least(
            n[KURANG] + n[BUTUH_PERBAIKAN],
            10,
            _("%(a)s or %(b)s", a=labels[KURANG], b=labels[BUTUH_PERBAIKAN]),
        )
        if n[SANGAT_BAIK]:
            found.append(_("No pegawai may be %(predikat)s.", predikat=labels[SANGAT_BAIK]))
    return found


# --- angka kredit (PerBKN 3/2023) ---------------------------------------------------------------

AK_PERCENT = {SANGAT_BAIK: 150, BAIK: 100, BUTUH_PERBAIKAN: 75, KURANG: 50, SANGAT_KURANG: 25}
JENJANG_COEFFICIENT = {
    "Pemula": Decimal("3.75"),
    "Terampil": Decimal("5"),
    "Mahir": Decimal("12.5"),
    "Penyelia": Decimal("25"),
    "Ahli Pertama": Decimal("12.5"),
    "Ahli Muda": Decimal("25"),
    "Ahli Madya": Decimal("37.5"),
    "Ahli Utama": Decimal("50"),
}


def jenjang_of(jabatan: str) -> str | None:
    """The jenjang of a jabatan fungsional named in its title ("Analis Kebijakan Ahli Muda")."""
    lowered = (jabatan or "").lower()
    for name in sorted(JENJANG_COEFFICIENT, key=len, reverse=True):
        if name.lower() in lowered:
            return name
    return None


def angka_kredit(predikat: str | None, jenjang: str | None, months: int) -> Decimal | None:
    """AK = percentage of the predikat x the jenjang's yearly coefficient x months / 12, to two
    decimals (Ahli Pertama, Sangat Baik, 12 months = 18.75)."""
    if predikat not in AK_PERCENT or jenjang not in JENJANG_COEFFICIENT:
        return None
    value = (
        Decimal(AK_PERCENT[predikat]) / 100 * JENJANG_COEFFICIENT[jenjang] * Decimal(months) / 12
    )
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- who may do what -------------------------------------------------------------------------


def is_penilai(actor: Employee, evaluation: Evaluation) -> bool:
    """The evaluation's pejabat penilai (or their Plt/Plh today); without one, the unit's admin."""
    if evaluation.employee_id == actor.id:
        return False
    if evaluation.penilai_id is None:
        return bool(org.can_admin_unit(actor, evaluation.unit_id))
    return evaluation.penilai_id in identities(actor)


def can_view(actor: Employee, evaluation: Evaluation, objection: Objection | None = None) -> bool:
    """The pegawai, the penilai (or Plt/Plh), the pegawai's current atasan, the decider of a
    keberatan, the Kepala OPD, an admin OPD of the unit tree, an admin."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if evaluation.employee_id == actor.id or is_penilai(actor, evaluation):
        return True
    ids = identities(actor)
    if evaluation.employee.supervisor_id in ids:
        return True
    if objection is not None and objection.decider_id in ids:
        return True
    return can_calibrate(actor, evaluation.unit_id)


def can_fill(actor: Employee, evaluation: Evaluation) -> bool:
    """The pegawai writes realisasi while the evaluation is a draft."""
    return evaluation.employee_id == actor.id and evaluation.status == EV_DRAFT


def can_rate(actor: Employee, evaluation: Evaluation) -> bool:
    """The penilai rates until the predikat is set (Tetapkan)."""
    return evaluation.status in EV_OPEN and is_penilai(actor, evaluation)


def objection_deadline(evaluation: Evaluation) -> date | None:
    """The last local day a keberatan may be filed: 14 calendar days after the predikat."""
    if evaluation.finalized_at is None:
        return None
    return to_local(evaluation.finalized_at).date() + timedelta(days=OBJECTION_DAYS)


def can_object(actor: Employee, evaluation: Evaluation, objection: Objection | None) -> bool:
    deadline = objection_deadline(evaluation)
    return (
        evaluation.employee_id == actor.id
        and evaluation.status == EV_FINAL
        and objection is None
        and deadline is not None
        and local_today() <= deadline
    )


def can_decide_objection(actor: Employee, objection: Objection | None) -> bool:
    """The atasan pejabat penilai named at filing (or their Plt/Plh), once."""
    return (
        objection is not None
        and objection.status == OBJ_FILED
        and objection.decider_id is not None
        and objection.decider_id in identities(actor)
    )


def can_calibrate(actor: Employee, unit_id: int) -> bool:
    """The Kepala OPD (the JPT heading the unit tree) or an admin OPD of the unit."""
    if org.can_admin_unit(actor, unit_id):
        return True
    return actor.jenis_jabatan == "JPT" and any(
        unit.id == unit_id for unit in org.units_in_subtree(actor.unit_id)
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise NotFound(_("The evaluation was not found."))
