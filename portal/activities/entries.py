"""A pegawai's own entries: the rules of one entry's time and fields, and the actions that
create, change, delete and copy entries and keep routine activities (kegiatan rutin).

Each action takes the acting pegawai, checks its rules, locks the pegawai's day, and hands the
write to portal.activities.lifecycle (the conditional UPDATE, the event, the audit row).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from flask_babel import gettext as _

from portal.activities import lifecycle
from portal.activities.calendar import check_open
from portal.activities.models import (
    DRAFT,
    LOCATIONS,
    NEEDS_REVISION,
    REJECTED,
    Activity,
    ActivityTemplate,
)
from portal.activities.rules import (
    MAX_TEMPLATES,
    Options,
    check_editable,
    find_overlap,
    live,
    lock_employee,
    minutes_between,
    options,
    own_entry,
)
from portal.audit.services import record as audit
from portal.clock import local_now
from portal.db import kept, write_transaction
from portal.errors import DomainError, Invalid, NotFound
from portal.org.models import Employee
from portal.performance.pages import approved_rhk_choices
from portal.web.formatting import rentang_jam
from portal.web.formatting import tanggal as format_date
from portal.web.validators import visible_text


@dataclass
class EntryInput:
    """What a pegawai fills in for one entry (the form, a copy of an earlier entry)."""

    tanggal: date | None
    jam_mulai: time | None
    jam_selesai: time | None
    uraian: str | None = ""
    volume: int | str | None = 1
    satuan: str | None = ""
    lokasi: str | None = "WFO"
    rhk_id: int | None = None


def check_rules(
    employee: Employee,
    tanggal: date,
    start: time | None,
    end: time | None,
    exclude_id: int | None = None,
    opts: Options | None = None,
) -> int:
    """Every rule of one entry's time: end after start, not in the future, within the input
    deadline, no overlap with the pegawai's other entries that day (touching is fine), and the
    day's total within the maximum. Returns the minutes."""
    opts = opts or options()
    if start is None or end is None:
        raise Invalid(_("Enter the start and end time."), "jam_mulai")
    if end <= start:
        raise Invalid(_("The end time must be after the start time."), "jam_selesai")
    check_open(employee, tanggal, opts)
    now = local_now()
    if tanggal == now.date() and end > now.time().replace(second=0, microsecond=0):
        raise Invalid(_("The end time may not be in the future."), "jam_selesai")
    query = Activity.select(Activity.id, Activity.jam_mulai, Activity.jam_selesai, Activity.minutes)
    query = query.where(
        Activity.employee == employee.id,
        Activity.tanggal == tanggal,
        Activity.status != REJECTED,
        live(),
    )
    if exclude_id:
        query = query.where(Activity.id != exclude_id)
    others = list(kept(query, "activities.same_day", employee.id, tanggal, exclude_id))
    clash = find_overlap([(row.jam_mulai, row.jam_selesai, row) for row in others], start, end)
    if clash:
        raise Invalid(
            _("Overlaps the activity %(range)s.", range=rentang_jam(clash[0], clash[1])),
            "jam_mulai",
        )
    minutes = minutes_between(start, end)
    total = sum(row.minutes for row in others) + minutes
    if total > opts["max_minutes"]:
        if tanggal == now.date():
            message = _(
                "The day's total would be %(total)s minutes; the maximum is %(max)s minutes.",
                total=total,
                max=opts["max_minutes"],
            )
        else:
            message = _(
                "The total of %(date)s would be %(total)s minutes; the maximum is %(max)s minutes.",
                date=format_date(tanggal, "d MMMM y"),
                total=total,
                max=opts["max_minutes"],
            )
        raise Invalid(message, "jam_selesai")
    return minutes


def check_rhk(
    employee: Employee, tanggal: date, rhk_id: int | None, opts: Options, kept: int | None = None
) -> None:
    """The RHK an entry names must be one of the pegawai's approved RHK valid on its date (an
    RHK of their SKP that is approved, not superseded, and whose period holds the date); none
    is fine unless the setting `activities.rhk_required` says otherwise. `kept` is the RHK the
    entry already names: an edit may keep it even after a newer SKP version replaced it."""
    if rhk_id is None:
        if opts["rhk_required"]:
            raise Invalid(_("Choose the RHK this activity serves."), "rhk_id")
        return
    if kept is not None and rhk_id == kept:
        return
    if rhk_id not in {choice for choice, _label in approved_rhk_choices(employee, tanggal)}:
        raise Invalid(
            _(
                "Choose one of the RHK of your approved SKP valid on %(date)s.",
                date=format_date(tanggal, "d MMMM y"),
            ),
            "rhk_id",
        )


def clean(data: EntryInput) -> dict[str, Any]:
    """The entry's columns, checked (the times are checked by `check_rules`)."""
    uraian = visible_text(data.uraian)
    if not uraian:
        raise Invalid(_("Describe the activity."), "uraian")
    if len(uraian) > 2000:
        raise Invalid(_("The description is too long (at most 2000 characters)."), "uraian")
    try:
        volume = int(data.volume or 0)
    except (TypeError, ValueError):
        volume = 0
    if not 1 <= volume <= 100000:
        raise Invalid(_("The volume must be a whole number of at least 1."), "volume")
    satuan = visible_text(data.satuan)[:50]
    if not satuan:
        raise Invalid(_("Enter the unit of the output, e.g. dokumen."), "satuan")
    lokasi = data.lokasi or "WFO"
    if lokasi not in LOCATIONS:
        raise Invalid(_("Choose a valid location."), "lokasi")
    try:
        rhk_id = int(data.rhk_id) if data.rhk_id else None
    except (TypeError, ValueError):
        rhk_id = -1  # not a number: refused by check_rhk like any RHK that is not theirs
    return {
        "tanggal": data.tanggal,
        "jam_mulai": data.jam_mulai,
        "jam_selesai": data.jam_selesai,
        "uraian": uraian,
        "volume": volume,
        "satuan": satuan,
        "lokasi": lokasi,
        "rhk_id": rhk_id,
    }


def _dated(values: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(values["tanggal"], date):
        raise Invalid(_("Enter a valid date."), "tanggal")
    return values


def create_entry(
    actor: Employee, data: EntryInput, action: str = "created", note: str | None = None
) -> Activity:
    """A pegawai adds a Draf entry to their own day; every rule of `check_rules` applies."""
    values = _dated(clean(data))
    opts = options()
    with write_transaction():
        lock_employee(actor)
        minutes = check_rules(
            actor, values["tanggal"], values["jam_mulai"], values["jam_selesai"], opts=opts
        )
        check_rhk(actor, values["tanggal"], values["rhk_id"], opts)
        return lifecycle.create(actor, values, minutes, action, note)


def update_entry(
    actor: Employee, activity: Activity, data: EntryInput, expected_version: object = None
) -> Activity:
    """A pegawai changes their own Draf or Perlu Revisi entry; the same rules as a new one. The
    change lands only if nobody changed or decided the entry since `expected_version`."""
    values = _dated(clean(data))
    opts = options()
    with write_transaction():
        lock_employee(actor)
        current = own_entry(actor, activity.id)
        check_editable(current, expected_version)
        if current.status == DRAFT and current.tanggal != values["tanggal"]:
            check_open(actor, current.tanggal, opts)
        if current.status == NEEDS_REVISION:
            # A returned entry stays open for its revision whatever the deadline says.
            opts = {**opts, "deadline_days": 10_000}
        minutes = check_rules(
            actor,
            values["tanggal"],
            values["jam_mulai"],
            values["jam_selesai"],
            exclude_id=current.id,
            opts=opts,
        )
        kept = current.rhk_id if current.tanggal == values["tanggal"] else None
        check_rhk(actor, values["tanggal"], values["rhk_id"], opts, kept=kept)
        return lifecycle.edit(actor, current, values, minutes)


def delete_entry(actor: Employee, activity: Activity, expected_version: object = None) -> Activity:
    """A pegawai deletes their own Draf or Perlu Revisi entry (soft delete; history is kept)."""
    opts = options()
    with write_transaction():
        lock_employee(actor)
        current = own_entry(actor, activity.id)
        check_editable(current, expected_version)
        if current.status == DRAFT:
            check_open(actor, current.tanggal, opts)
        return lifecycle.remove(actor, current)


def copy_entries(
    actor: Employee, source_ids: Iterable[object], target_date: date
) -> tuple[list[Activity], list[tuple[Activity, str]]]:
    """Copy the pegawai's selected entries of an earlier day to `target_date` as new Draf
    entries, skipping any that would break a rule. Returns (copied, [(entry, reason)])."""
    wanted = {int(str(i)) for i in source_ids if str(i).isdigit()}
    if not wanted:
        raise Invalid(_("Choose at least one activity to copy."))
    sources = list(
        Activity.select()
        .where(Activity.id.in_(wanted), Activity.employee == actor.id, live())
        .order_by(Activity.tanggal, Activity.jam_mulai)
    )
    if not sources:
        raise NotFound(_("The activity does not exist."))
    copied, skipped = [], []
    for source in sources:
        data = EntryInput(
            tanggal=target_date,
            jam_mulai=source.jam_mulai,
            jam_selesai=source.jam_selesai,
            uraian=source.uraian,
            volume=source.volume,
            satuan=source.satuan,
            lokasi=source.lokasi,
            rhk_id=source.rhk_id,
        )
        try:
            copied.append(create_entry(actor, data, action="copied", note=str(source.tanggal)))
        except DomainError as error:
            if error.status not in (409, 422):
                raise
            skipped.append((source, str(error)))
    return copied, skipped


# --- routine activities ------------------------------------------------------------------------


def save_template(actor: Employee, data: EntryInput, minutes: object) -> ActivityTemplate:
    """A pegawai saves a routine activity (kegiatan rutin) to fill the form in one click."""
    values = clean(replace(data, tanggal=None))
    count = ActivityTemplate.select().where(ActivityTemplate.employee == actor.id).count()
    if count >= MAX_TEMPLATES:
        raise Invalid(_("You can keep at most %(n)s routine activities.", n=MAX_TEMPLATES))
    minutes = max(5, min(int(str(minutes or 60)), 720))
    with write_transaction():
        template = ActivityTemplate.create(
            employee=actor.id,
            uraian=values["uraian"],
            volume=values["volume"],
            satuan=values["satuan"],
            lokasi=values["lokasi"],
            minutes=minutes,
        )
        audit(actor, "activity_template.created", template, after={"uraian": template.uraian})
    return template


def delete_template(actor: Employee, template_id: int) -> None:
    """A pegawai removes one of their own routine activities."""
    template = ActivityTemplate.get_or_none(
        ActivityTemplate.id == template_id, ActivityTemplate.employee == actor.id
    )
    if template is None:
        raise NotFound(_("The routine activity does not exist."))
    with write_transaction():
        template.delete_instance()
        audit(actor, "activity_template.deleted", template, before={"uraian": template.uraian})


def templates_of(actor: Employee) -> list[ActivityTemplate]:
    """The pegawai's routine activities (the day page: compiled once per pegawai)."""
    query = (
        ActivityTemplate.select()
        .where(ActivityTemplate.employee == actor.id)
        .order_by(ActivityTemplate.uraian)
    )
    return list(kept(query, "activities.templates_of", actor.id))


def template_of(actor: Employee, template_id: int | None) -> ActivityTemplate | None:
    """The actor's own routine activity with this id, or None."""
    if not template_id:
        return None
    return ActivityTemplate.get_or_none(
        ActivityTemplate.id == template_id, ActivityTemplate.employee == actor.id
    )
