"""The content of an SKP: RHK (utama/tambahan, the intervened RHK of the atasan, the IKU and
perspektif of a JPT), their indicators and targets, the ekspektasi khusus per BerAKHLAK value,
the lampiran; the unit's IKU; an atasan sharing one RHK to several subordinates.

Only an editable SKP (the latest version, Draf or Dikembalikan) changes, by its owner, each
change in a write transaction that first bumps the SKP's revision through
`lifecycle.lock_for_edit` (the guard against a racing submission).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import Entry, record, record_many
from portal.clock import utcnow
from portal.db import locked, write_transaction
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.services import Notice, notify_many
from portal.org.models import Employee, Unit
from portal.performance import lifecycle
from portal.performance.models import (
    APPROVED,
    ASPEK,
    ASPEK_KUALITATIF,
    ASPEK_KUANTITATIF,
    JENIS_RHK,
    PENDEKATAN,
    PERSPEKTIF,
    UTAMA,
    BehaviourExpectation,
    Iku,
    Indicator,
    Rhk,
    Skp,
)
from portal.performance.rules import (
    can_manage_iku,
    can_set_expectations,
    can_view,
    identities,
    link_is_valid,
    require,
    value_codes,
)
from portal.web.paths import path_for

MAX_RHK = 60
MAX_INDICATORS = 12
TEXT_MAX = 2000


@dataclass(frozen=True)
class RhkInput:
    jenis: str = UTAMA
    uraian: str = ""
    intervenes_id: int | None = None
    iku_id: int | None = None
    perspektif: str = ""


@dataclass(frozen=True)
class IndicatorInput:
    aspek: str = ASPEK_KUALITATIF
    uraian: str = ""
    target_angka: Decimal | None = None
    satuan: str = ""
    target_uraian: str = ""


@dataclass(frozen=True)
class LampiranInput:
    dukungan_sumber_daya: str = ""
    skema_pertanggungjawaban: str = ""
    konsekuensi: str = ""
    pendekatan: str = ""


@dataclass(frozen=True)
class IkuInput:
    tahun: int
    perspektif: str
    sasaran: str
    indikator: str = ""
    target: str = ""


def _text(value: str | None, field: str, message: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, field=field)
    if len(value) > limit:
        raise Invalid(_("The text is too long."), field=field)
    return value


def iku_choices(skp: Skp) -> list[Iku]:
    """The active IKU of the SKP's unit for its year (a JPT draws RHK from these)."""
    return list(
        Iku.select()
        .where(Iku.unit == skp.unit_id, Iku.tahun == skp.tahun, Iku.active == True)  # noqa: E712
        .order_by(Iku.perspektif, Iku.id)
    )


def _check_rhk(skp: Skp, data: RhkInput) -> dict:
    uraian = _text(data.uraian, "uraian", _("Write the RHK."))
    if data.jenis not in JENIS_RHK:
        raise Invalid(_("Choose utama or tambahan."), field="jenis")
    values: dict = {
        "jenis": data.jenis,
        "uraian": uraian,
        "intervenes": None,
        "iku": None,
        "perspektif": "",
    }
    if data.intervenes_id:
        target = Rhk.get_or_none(Rhk.id == data.intervenes_id)
        if not link_is_valid(skp, target):
            raise Invalid(
                _(
                    "Choose an RHK of your atasan's (or their Plt/Plh's) approved SKP for an "
                    "overlapping period."
                ),
                field="intervenes",
            )
        values["intervenes"] = data.intervenes_id
    if data.iku_id:
        iku = Iku.get_or_none(
            Iku.id == data.iku_id, Iku.unit == skp.unit_id, Iku.tahun == skp.tahun
        )
        if iku is None:
            raise Invalid(_("Choose an IKU of your unit for this year."), field="iku")
        values["iku"] = iku.id
        values["perspektif"] = iku.perspektif
    elif data.perspektif:
        if data.perspektif not in PERSPEKTIF:
            raise Invalid(_("Choose a perspektif."), field="perspektif")
        values["perspektif"] = data.perspektif
    return values


def add_rhk(actor: Employee, skp: Skp, data: RhkInput) -> Rhk:
    """The owner adds an RHK to an editable SKP (a draft may be saved before it is linked)."""
    require(can_view(actor, skp))
    values = _check_rhk(skp, data)
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        count = Rhk.select().where(Rhk.skp == skp.id).count()
        if count >= MAX_RHK:
            raise Invalid(_("An SKP has at most %(count)s RHK.", count=MAX_RHK))
        rhk = Rhk.create(skp=skp.id, urutan=count + 1, **values)
        Rhk.update(lineage=rhk.id).where(Rhk.id == rhk.id).execute()
        rhk.lineage = rhk.id
        record(actor, "rhk.add", rhk, after={"skp": skp.id, **values})
    return rhk


def _own_rhk(skp: Skp, rhk_id: int) -> Rhk:
    rhk = Rhk.get_or_none(Rhk.id == rhk_id, Rhk.skp == skp.id)
    if rhk is None:
        raise NotFound(_("The RHK was not found."))
    return rhk


def update_rhk(actor: Employee, skp: Skp, rhk_id: int, data: RhkInput) -> Rhk:
    """The owner changes an RHK of an editable SKP."""
    require(can_view(actor, skp))
    rhk = _own_rhk(skp, rhk_id)
    values = _check_rhk(skp, data)
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        before = {"jenis": rhk.jenis, "uraian": rhk.uraian, "intervenes": rhk.intervenes_id}
        Rhk.update(updated_at=utcnow(), **values).where(Rhk.id == rhk.id).execute()
        record(actor, "rhk.update", rhk, before=before, after=values)
    return Rhk.get_by_id(rhk.id)


def delete_rhk(actor: Employee, skp: Skp, rhk_id: int) -> None:
    """The owner removes an RHK (with its indicators) from an editable SKP."""
    require(can_view(actor, skp))
    rhk = _own_rhk(skp, rhk_id)
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        Indicator.delete().where(Indicator.rhk == rhk.id).execute()
        Rhk.delete().where(Rhk.id == rhk.id).execute()
        record(actor, "rhk.delete", rhk, before={"skp": skp.id, "uraian": rhk.uraian})


def add_indicator(actor: Employee, skp: Skp, rhk_id: int, data: IndicatorInput) -> Indicator:
    """An indicator with its target: a number and a satuan for kuantitas, kualitas, waktu and
    biaya; a statement for a kualitatif one."""
    require(can_view(actor, skp))
    rhk = _own_rhk(skp, rhk_id)
    uraian = _text(data.uraian, "uraian", _("Write the indicator."))
    if data.aspek not in ASPEK:
        raise Invalid(_("Choose the aspect."), field="aspek")
    values: dict = {"aspek": data.aspek, "uraian": uraian}
    if data.aspek in ASPEK_KUANTITATIF:
        if data.target_angka is None or data.target_angka < 0:
            raise Invalid(_("Enter the target as a number."), field="target_angka")
        values["target_angka"] = data.target_angka
        values["satuan"] = _text(data.satuan, "satuan", _("Enter the satuan."), 50)
    else:
        values["target_uraian"] = _text(data.target_uraian, "target_uraian", _("Write the target."))
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        count = Indicator.select().where(Indicator.rhk == rhk.id).count()
        if count >= MAX_INDICATORS:
            raise Invalid(_("An RHK has at most %(count)s indicators.", count=MAX_INDICATORS))
        indicator = Indicator.create(rhk=rhk.id, urutan=count + 1, **values)
        record(actor, "indicator.add", indicator, after={"rhk": rhk.id, **values})
    return indicator


def delete_indicator(actor: Employee, skp: Skp, indicator_id: int) -> None:
    require(can_view(actor, skp))
    indicator = (
        Indicator.select().join(Rhk).where(Indicator.id == indicator_id, Rhk.skp == skp.id).first()
    )
    if indicator is None:
        raise NotFound(_("The indicator was not found."))
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        Indicator.delete().where(Indicator.id == indicator.id).execute()
        record(actor, "indicator.delete", indicator, before={"uraian": indicator.uraian})


def update_lampiran(actor: Employee, skp: Skp, data: LampiranInput) -> Skp:
    """The owner writes the lampiran (and chooses the pendekatan) of an editable SKP."""
    require(can_view(actor, skp))
    values = {
        "dukungan_sumber_daya": (data.dukungan_sumber_daya or "").strip()[:TEXT_MAX],
        "skema_pertanggungjawaban": (data.skema_pertanggungjawaban or "").strip()[:TEXT_MAX],
        "konsekuensi": (data.konsekuensi or "").strip()[:TEXT_MAX],
    }
    if data.pendekatan:
        if data.pendekatan not in PENDEKATAN:
            raise Invalid(_("Choose the pendekatan."), field="pendekatan")
        values["pendekatan"] = data.pendekatan
    with write_transaction():
        lifecycle.lock_for_edit(actor, skp)
        Skp.update(updated_at=utcnow(), **values).where(Skp.id == skp.id).execute()
        record(actor, "skp.lampiran", skp, after=values)
    return Skp.get_by_id(skp.id)


def set_expectations(actor: Employee, skp: Skp, expectations: dict[str, str]) -> None:
    """The penilai (or Plt/Plh) writes an ekspektasi khusus per BerAKHLAK value (empty clears)."""
    require(can_view(actor, skp))
    codes = set(value_codes())
    cleaned = {
        kode: (text or "").strip()[:TEXT_MAX]
        for kode, text in expectations.items()
        if kode in codes
    }
    with write_transaction():
        fresh = locked(Skp.select().where(Skp.id == skp.id)).get()
        if not can_set_expectations(actor, fresh):
            raise Conflict(_("The ekspektasi khusus can no longer be changed on this SKP."))
        BehaviourExpectation.delete().where(
            BehaviourExpectation.skp == skp.id, BehaviourExpectation.kode.in_(list(cleaned))
        ).execute()
        rows = [
            {
                "skp": skp.id,
                "kode": kode,
                "ekspektasi": text,
                "author": actor.id,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
            for kode, text in cleaned.items()
            if text
        ]
        if rows:
            BehaviourExpectation.insert_many(rows).execute()
        record(actor, "skp.expectations", skp, after=cleaned)


# --- sharing an RHK down -----------------------------------------------------------------------


@dataclass
class ShareResult:
    shared: list[Employee]
    skipped: list[tuple[Employee, str]]


def share_candidates(actor: Employee) -> list[Employee]:
    """The active subordinates of `actor` (and of whom they act for), by name."""
    return list(
        Employee.select()
        .where(
            Employee.supervisor.in_(list(identities(actor))),
            Employee.active == True,  # noqa: E712
            Employee.id != actor.id,
        )
        .order_by(Employee.nama)
    )


def share_rhk(actor: Employee, rhk: Rhk, employee_ids: list[int]) -> ShareResult:
    """The atasan gives one RHK of their effective SKP to several subordinates at once: each
    gets, in their draft (opened when missing), an RHK utama that intervenes it."""
    skp = rhk.skp
    if skp.employee_id != actor.id:
        raise NotFound(_("The RHK was not found."))
    if skp.status != APPROVED or skp.superseded_at is not None:
        raise Conflict(_("Only an RHK of your approved SKP can be shared."))
    allowed = {e.id: e for e in share_candidates(actor)}
    chosen = [allowed[i] for i in dict.fromkeys(employee_ids) if i in allowed]
    if not chosen:
        raise Invalid(_("Choose at least one subordinate."), field="employees")
    result = ShareResult([], [])
    lineage = rhk.lineage or rhk.id
    with write_transaction():
        audit: list[Entry] = []
        for employee in chosen:
            target = lifecycle.open_draft(actor, employee, skp.tahun)
            if not target.editable:
                result.skipped.append((employee, _("their SKP is already submitted or approved")))
                continue
            already = (
                Rhk.select()
                .join(Rhk.alias("parent"), on=(Rhk.intervenes == Rhk.alias("parent").id))
                .where(Rhk.skp == target.id, Rhk.alias("parent").lineage == lineage)
            )
            if already.exists():
                result.skipped.append((employee, _("already serves this RHK")))
                continue
            count = Rhk.select().where(Rhk.skp == target.id).count()
            new = Rhk.create(
                skp=target.id, jenis=UTAMA, uraian=rhk.uraian, urutan=count + 1, intervenes=rhk.id
            )
            Rhk.update(lineage=new.id).where(Rhk.id == new.id).execute()
            audit.append(
                Entry(actor, "rhk.share", new, after={"skp": target.id, "intervenes": rhk.id})
            )
            result.shared.append(employee)
        record_many(audit)
        notices = []
        for employee in result.shared:
            with force_locale(employee.language or "id"):
                message = _(
                    "%(name)s shared an RHK with you: %(rhk)s",
                    name=actor.nama,
                    rhk=rhk.uraian[:150],
                )
            notices.append(
                Notice(
                    employee,
                    "rhk_shared",
                    message,
                    path_for("performance.index"),
                    dedupe_key=f"rhk-share:{rhk.id}:{employee.id}",
                )
            )
        notify_many(notices)
    return result


# --- IKU ---------------------------------------------------------------------------------


def save_iku(actor: Employee, unit: Unit, data: IkuInput) -> Iku:
    """The admin OPD enters an IKU of a unit in their tree for a year."""
    if not can_manage_iku(actor, unit):
        raise NotFound(_("The unit was not found."))
    if data.perspektif not in PERSPEKTIF:
        raise Invalid(_("Choose a perspektif."), field="perspektif")
    if not 2000 <= data.tahun <= 2100:
        raise Invalid(_("Choose a year."), field="tahun")
    sasaran = _text(data.sasaran, "sasaran", _("Write the sasaran."), 500)
    with write_transaction():
        iku = Iku.create(
            unit=unit.get_id(),
            tahun=data.tahun,
            perspektif=data.perspektif,
            sasaran=sasaran,
            indikator=(data.indikator or "").strip()[:500],
            target=(data.target or "").strip()[:100],
        )
        record(actor, "iku.create", iku, after={"unit": unit.get_id(), "sasaran": sasaran})
    return iku


def deactivate_iku(actor: Employee, iku: Iku) -> None:
    if not can_manage_iku(actor, iku.unit_id):
        raise NotFound(_("The IKU was not found."))
    with write_transaction():
        changed = (
            Iku.update(active=False, updated_at=utcnow())
            .where(Iku.id == iku.id, Iku.active == True)  # noqa: E712
            .execute()
        )
        if not changed:
            raise Conflict(_("This IKU was already removed."))
        record(actor, "iku.deactivate", iku)


def iku_of(unit: Unit, tahun: int) -> list[Iku]:
    return list(
        Iku.select()
        .where(Iku.unit == unit.get_id(), Iku.tahun == tahun, Iku.active == True)  # noqa: E712
        .order_by(Iku.perspektif, Iku.id)
    )
