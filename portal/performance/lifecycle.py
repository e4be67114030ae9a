"""The one owner of every SKP state change: create (or start from last year's), submit, approve,
return with a note, start a new version after approval, close at a mid-year change.

Every transition is a conditional UPDATE on the expected `status` and `revision` whose row count
is checked: two decisions racing on one SKP give one winner and `Conflict` (409) to the other,
on SQLite and MariaDB alike. Each writes an audit row in the same transaction and notifies the
other side.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, cast

import peewee as pw
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import local_today, utcnow
from portal.db import db, locked, write_transaction
from portal.errors import Conflict, Invalid
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.performance.models import (
    APPROVED,
    EDITABLE,
    KUALITATIF,
    KUANTITATIF,
    RETURNED,
    SUBMITTED,
    UTAMA,
    BehaviourExpectation,
    Indicator,
    Rhk,
    Skp,
)
from portal.performance.rules import (
    acting_in_period,
    can_create_for,
    can_revise,
    can_view,
    is_penilai,
    link_is_valid,
    require,
)
from portal.web.paths import path_for

NOTE_MAX = 2000


def snapshot(skp: Skp) -> dict[str, Any]:
    return {"status": skp.status, "revision": skp.revision, "version": skp.version_no}


def _link(skp: Skp) -> str:
    return path_for("performance.detail", skp_id=skp.id)


def _tell(recipient: Employee | None, kind: str, message_fn, skp: Skp) -> None:
    if recipient is None:
        return
    with force_locale(recipient.language or "id"):
        message = message_fn()
    notify(recipient, kind, message, _link(skp))


def _guarded(skp: Skp, expected: tuple[str, ...], revision: int | None, **changes) -> None:
    """UPDATE the SKP WHERE its status is one of `expected` (and its revision is `revision`);
    no row changed means someone else got there first: Conflict."""
    condition = (Skp.id == skp.id) & Skp.status.in_(expected) & (Skp.latest == True)  # noqa: E712
    if revision is not None:
        condition &= Skp.revision == revision
    changed = (
        Skp.update(revision=Skp.revision + 1, updated_at=utcnow(), **changes)
        .where(condition)
        .execute()
    )
    if not changed:
        raise Conflict(_("This SKP was changed by someone else in the meantime. Reload the page."))
    fresh = Skp.get_by_id(skp.id)
    skp.__data__.update(fresh.__data__)


# --- creating --------------------------------------------------------------------------------


def _period(employee: Employee, tahun: int) -> tuple[date, date, Skp | None]:
    """[start, end] of a new SKP in `tahun`, and the SKP it closes (a mid-year change of atasan
    or jabatan), or Conflict when the pegawai already has one."""
    start, end = date(tahun, 1, 1), date(tahun, 12, 31)
    current = list(
        locked(
            Skp.select().where(
                Skp.employee == employee.id,
                Skp.tahun == tahun,
                Skp.latest == True,  # noqa: E712
            )
        ).order_by(Skp.start_date.desc())
    )
    if not current:
        return start, end, None
    last = current[0]
    changed = last.penilai_id != employee.supervisor_id or last.jabatan != employee.jabatan
    today = local_today()
    if not changed or today.year != tahun or today <= last.start_date:
        raise Conflict(_("You already have an SKP for %(year)s.", year=tahun), field="tahun")
    return today, end, last


def create_skp(
    actor: Employee, employee: Employee, tahun: int | None = None, copy_from: Skp | None = None
) -> Skp:
    """Open a draft SKP for `employee` for `tahun` (this year). When the pegawai already has one
    and their atasan or jabatan changed since, that one is closed yesterday and the new one
    starts today. `copy_from` (an SKP of theirs, e.g. last year's) gives the RHK, indicators
    and lampiran, without links (the atasan's RHK of that period do not serve this one)."""
    require(can_create_for(actor, employee))
    tahun = tahun or local_today().year
    if not 2000 <= tahun <= 2100:
        raise Invalid(_("Choose a year."), field="tahun")
    if copy_from is not None:
        require(copy_from.employee_id == employee.id and can_view(actor, copy_from))
    with write_transaction():
        start, end, closing = _period(employee, tahun)
        if closing is not None:
            Skp.update(end_date=start - timedelta(days=1), updated_at=utcnow()).where(
                Skp.employee == employee.id, Skp.start_date == closing.start_date
            ).execute()
            record(
                actor,
                "skp.close",
                closing,
                before={"end": closing.end_date},
                after={"end": start - timedelta(days=1)},
            )
        skp = _new_skp(
            employee,
            tahun,
            start,
            end,
            clash=_("You already have an SKP for %(year)s.", year=tahun),
        )
        if copy_from is not None:
            copy_content(copy_from, skp, keep_links=False)
        record(
            actor,
            "skp.create",
            skp,
            after={**snapshot(skp), "copied_from": copy_from and copy_from.id},
        )
    return skp


def _new_skp(employee: Employee, tahun: int, start: date, end: date, clash: str) -> Skp:
    """Insert a draft SKP of `employee` for `start`..`end` (penilai, unit and jabatan as they are
    now; the approach follows the jabatan); `clash` is the Conflict message when one exists."""
    jpt = employee.jenis_jabatan == "JPT"
    try:
        with db.atomic():
            return Skp.create(
                employee=employee,
                penilai=employee.supervisor_id,
                unit=employee.unit_id,
                jabatan=employee.jabatan,
                jpt=jpt,
                tahun=tahun,
                start_date=start,
                end_date=end,
                pendekatan=KUANTITATIF if jpt else KUALITATIF,
                live_key=Skp.key_for(employee.id, start),
            )
    except pw.IntegrityError as error:
        raise Conflict(clash) from error


def copy_content(source: Skp, target: Skp, keep_links: bool) -> None:
    """Copy RHK (with their lineage), indicators and lampiran of `source` into `target`; with
    `keep_links` also the intervened RHK and the ekspektasi khusus (a new version)."""
    rhk_rows = list(source.rhk.order_by(Rhk.urutan, Rhk.id))
    indicators = list(
        Indicator.select()
        .where(Indicator.rhk.in_([r.id for r in rhk_rows] or [0]))
        .order_by(Indicator.urutan, Indicator.id)
    )
    by_rhk: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_rhk.setdefault(indicator.rhk_id, []).append(indicator)
    for old in rhk_rows:
        new = Rhk.create(
            skp=target,
            jenis=old.jenis,
            uraian=old.uraian,
            urutan=old.urutan,
            intervenes=old.intervenes_id if keep_links else None,
            iku=old.iku_id if keep_links else None,
            perspektif=old.perspektif,
            lineage=(old.lineage or old.id) if keep_links else None,
        )
        if new.lineage is None:
            Rhk.update(lineage=new.id).where(Rhk.id == new.id).execute()
            new.lineage = new.id
        rows = [
            {
                "rhk": new.id,
                "aspek": ind.aspek,
                "uraian": ind.uraian,
                "target_angka": ind.target_angka,
                "satuan": ind.satuan,
                "target_uraian": ind.target_uraian,
                "urutan": ind.urutan,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
            for ind in by_rhk.get(old.id, [])
        ]
        if rows:
            Indicator.insert_many(rows).execute()
    if keep_links:
        rows = [
            {
                "skp": target.id,
                "kode": e.kode,
                "ekspektasi": e.ekspektasi,
                "author": e.author_id,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
            for e in source.expectations
        ]
        if rows:
            BehaviourExpectation.insert_many(rows).execute()
    Skp.update(
        dukungan_sumber_daya=source.dukungan_sumber_daya,
        skema_pertanggungjawaban=source.skema_pertanggungjawaban,
        konsekuensi=source.konsekuensi,
    ).where(Skp.id == target.id).execute()
    target.dukungan_sumber_daya = source.dukungan_sumber_daya
    target.skema_pertanggungjawaban = source.skema_pertanggungjawaban
    target.konsekuensi = source.konsekuensi


# --- the transitions ---------------------------------------------------------------------------


def problems(skp: Skp) -> list[str]:
    """What keeps `skp` from being submitted (empty when it is complete)."""
    found: list[str] = []
    rhk_rows = list(skp.rhk.order_by(Rhk.urutan, Rhk.id))
    if not any(r.jenis == UTAMA for r in rhk_rows):
        found.append(_("Add at least one RHK utama."))
    count_query = (
        Indicator.select(Indicator.rhk, pw.fn.COUNT(Indicator.id))
        .where(Indicator.rhk.in_([r.id for r in rhk_rows] or [0]))
        .group_by(Indicator.rhk)
        .tuples()
    )
    counts = dict(cast(Iterable[tuple[int, int]], count_query))
    targets = {
        row.id: row
        for row in Rhk.select().where(
            Rhk.id.in_([r.intervenes_id for r in rhk_rows if r.intervenes_id] or [0])
        )
    }
    for number, rhk in enumerate(rhk_rows, start=1):
        if not counts.get(rhk.id):
            found.append(_("RHK %(number)s has no indicator.", number=number))
        if rhk.jenis != UTAMA:
            continue
        if skp.jpt:
            if not rhk.perspektif:
                found.append(_("RHK %(number)s needs a perspektif.", number=number))
        elif rhk.intervenes_id is None:
            found.append(
                _("RHK %(number)s does not yet name the atasan's RHK it serves.", number=number)
            )
        elif not link_is_valid(skp, targets.get(rhk.intervenes_id)):
            found.append(
                _(
                    "RHK %(number)s serves an RHK that is no longer in your atasan's approved "
                    "SKP for this period.",
                    number=number,
                )
            )
    return found


def submit_skp(actor: Employee, skp: Skp) -> Skp:
    """The owner submits a complete draft (or a returned SKP) to the pejabat penilai."""
    require(can_view(actor, skp))
    if skp.employee_id != actor.id:
        raise Conflict(_("Only the pegawai submits their own SKP."))
    with write_transaction():
        fresh = locked(Skp.select().where(Skp.id == skp.id)).get()
        if not fresh.latest or fresh.status not in EDITABLE:
            raise Conflict(_("This SKP cannot be submitted in its current state."))
        found = problems(fresh)
        if found:
            raise Invalid(" ".join(found))
        before = snapshot(fresh)
        _guarded(skp, EDITABLE, fresh.revision, status=SUBMITTED, submitted_at=utcnow())
        record(actor, "skp.submit", skp, before=before, after=snapshot(skp))
        deciders = [skp.penilai] if skp.penilai_id else []
        if skp.penilai_id:
            today = local_today()
            deciders += list(
                Employee.select().where(
                    Employee.id.in_(acting_in_period(skp.penilai_id, today, today) or [0])
                )
            )
        for decider in deciders:
            _tell(
                decider,
                "skp_submitted",
                lambda: _(
                    "%(name)s submitted their SKP %(year)s for approval.",
                    name=actor.nama,
                    year=skp.tahun,
                ),
                skp,
            )
    return skp


def _decider_for(actor: Employee, skp: Skp) -> int | None:
    """The atasan `actor` decides for (a Plt/Plh), or None when deciding as themself."""
    if skp.penilai_id in (None, actor.id):
        return None
    return skp.penilai_id


def approve_skp(actor: Employee, skp: Skp, revision: int | None = None) -> Skp:
    """The penilai (or Plt/Plh) approves a submitted SKP; a new version replaces the one it
    revises from now on."""
    require(can_view(actor, skp))
    if not is_penilai(actor, skp):
        raise Conflict(_("Only the pejabat penilai decides on this SKP."))
    with write_transaction():
        before = snapshot(skp)
        _guarded(
            skp,
            (SUBMITTED,),
            revision,
            status=APPROVED,
            decided_at=utcnow(),
            decided_by=actor.id,
            decided_for=_decider_for(actor, skp),
            return_note="",
        )
        if skp.previous_id:
            Skp.update(superseded_at=utcnow(), updated_at=utcnow()).where(
                Skp.id == skp.previous_id, Skp.superseded_at.is_null()
            ).execute()
        record(actor, "skp.approve", skp, before=before, after=snapshot(skp))
        _tell(
            skp.employee,
            "skp_approved",
            lambda: _(
                "Your SKP %(year)s was approved by %(name)s.", year=skp.tahun, name=actor.nama
            ),
            skp,
        )
    return skp


def return_skp(actor: Employee, skp: Skp, note: str, revision: int | None = None) -> Skp:
    """The penilai (or Plt/Plh) returns a submitted SKP with a note saying what to fix."""
    require(can_view(actor, skp))
    if not is_penilai(actor, skp):
        raise Conflict(_("Only the pejabat penilai decides on this SKP."))
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Write what must be fixed."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(_("The note is too long."), field="note")
    with write_transaction():
        before = snapshot(skp)
        _guarded(
            skp,
            (SUBMITTED,),
            revision,
            status=RETURNED,
            decided_at=utcnow(),
            decided_by=actor.id,
            decided_for=_decider_for(actor, skp),
            return_note=note,
        )
        record(actor, "skp.return", skp, before=before, after=snapshot(skp), note=note)
        _tell(
            skp.employee,
            "skp_returned",
            lambda: _(
                "Your SKP %(year)s was returned by %(name)s: %(note)s",
                year=skp.tahun,
                name=actor.nama,
                note=note[:200],
            ),
            skp,
        )
    return skp


def new_version(actor: Employee, skp: Skp) -> Skp:
    """The owner changes an approved SKP: a new draft version (copy with links and
    expectations); the approved one stays readable and effective until the new one is
    approved."""
    require(can_view(actor, skp))
    if not can_revise(actor, skp):
        raise Conflict(_("Only the latest approved SKP can be changed by a new version."))
    with write_transaction():
        before = snapshot(skp)
        _guarded(skp, (APPROVED,), None, latest=False, live_key=None)
        try:
            with db.atomic():
                fresh = Skp.create(
                    employee=skp.employee_id,
                    penilai=skp.employee.supervisor_id
                    if skp.employee.supervisor_id
                    else skp.penilai_id,
                    unit=skp.unit_id,
                    jabatan=skp.jabatan,
                    jpt=skp.jpt,
                    tahun=skp.tahun,
                    start_date=skp.start_date,
                    end_date=skp.end_date,
                    pendekatan=skp.pendekatan,
                    version_no=skp.version_no + 1,
                    previous=skp.id,
                    live_key=Skp.key_for(skp.employee_id, skp.start_date),
                )
        except pw.IntegrityError as error:
            raise Conflict(_("A new version of this SKP already exists.")) from error
        copy_content(skp, fresh, keep_links=True)
        record(
            actor,
            "skp.new_version",
            fresh,
            before=before,
            after={**snapshot(fresh), "previous": skp.id},
        )
    return fresh


def lock_for_edit(actor: Employee, skp: Skp) -> None:
    """Inside the caller's write transaction: the owner may change the content of an editable
    SKP; the revision is bumped (a conditional UPDATE), so a racing submit or decision made on
    what was seen before sees the change."""
    require(can_view(actor, skp))
    if skp.employee_id != actor.id:
        raise Conflict(_("Only the pegawai changes their own SKP."))
    _guarded(skp, EDITABLE, None)


def open_draft(actor: Employee, employee: Employee, tahun: int) -> Skp:
    """The latest SKP of `employee` covering today in `tahun`, or a new draft opened for them
    (the atasan sharing an RHK); inside the caller's write transaction."""
    existing = (
        Skp.select()
        .where(Skp.employee == employee.id, Skp.tahun == tahun, Skp.latest == True)  # noqa: E712
        .order_by(Skp.start_date.desc())
        .first()
    )
    if existing is not None:
        return existing
    skp = _new_skp(
        employee,
        tahun,
        date(tahun, 1, 1),
        date(tahun, 12, 31),
        clash=_("The SKP was created by someone else in the meantime."),
    )
    record(actor, "skp.create", skp, after=snapshot(skp), note="shared RHK")
    return skp
