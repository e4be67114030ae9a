"""The day page of the daily log (`/kegiatan`): the whole page or its panel (`render_day`), and
the htmx answer made only of what changed after adding, editing or deleting an entry
(`render_changes`); the entry form's RHK choices (`offer_rhk`)."""

from datetime import date

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.activities import entries, pages
from portal.activities.forms import ActivityForm
from portal.activities.models import EDITABLE
from portal.activities.rules import add_minutes
from portal.activities.statuses import (
    EVENT_LABELS,
    LOCATION_LABELS,
    STATUS_LABELS,
    STATUS_TONES,
    labels,
)
from portal.clock import local_now, local_today
from portal.performance.pages import approved_rhk_choices
from portal.web import respond
from portal.web.respond import respond_changes

DAY = "activities/day.html"


def status_context():
    """The lookups the entry templates need, translated once per page."""
    return {
        "status_labels": labels(STATUS_LABELS),
        "status_tones": STATUS_TONES,
        "event_labels": labels(EVENT_LABELS),
        "location_labels": labels(LOCATION_LABELS),
        "editable_statuses": EDITABLE,
    }


ENTRY_ID, EVIDENCE_ID = "999999991", "999999992"


def _entry_lookups(day_date):
    """What each entry row needs, built once per page (or fragment), not once per entry: the
    translated texts and the URL patterns (ENTRY_ID / EVIDENCE_ID replaced per entry)."""
    return {
        "ENTRY_ID": ENTRY_ID,
        "EVIDENCE_ID": EVIDENCE_ID,
        "labels": {
            "select": _("select to submit"),
            "link": _("link"),
            "by": _("by"),
            "returned": _("Returned for revision"),
            "remove": _("Remove"),
            "rejected": _("Rejected"),
            "output": _("Output"),
            "or_link": _("Or a link (http/https)"),
            "history": _("History"),
            "file": _("File (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB)"),
            "evidence": _("Evidence"),
            "edit": _("Edit"),
            "delete": _("Delete"),
            "confirm": _("Delete this activity?"),
            "attach": _("Attach"),
            "note": _("Atasan's note"),
            "no_note": _("(no note)"),
            "rhk": _("RHK"),
        },
        "urls": {
            "add_evidence": url_for("activities.add_evidence", activity_id=ENTRY_ID),
            "delete": url_for("activities.delete", activity_id=ENTRY_ID),
            "delete_evidence": url_for(
                "activities.delete_evidence", activity_id=ENTRY_ID, evidence_id=EVIDENCE_ID
            ),
            "download": url_for("activities.download", evidence_id=EVIDENCE_ID),
            "edit": url_for("activities.day", tanggal=day_date.isoformat(), ubah=ENTRY_ID),
        },
    }


def _new_form(day, template=None):
    form = ActivityForm(formdata=None)
    form.tanggal.data = day.tanggal
    start = day.next_start
    minutes = template.minutes if template else 60
    end = add_minutes(start, minutes)
    if day.tanggal == local_today():
        # Never propose an end in the future (it would be refused): end now, and at night or
        # early in the morning, before the working day starts, propose the slot ending now.
        now = local_now().time().replace(second=0, microsecond=0)
        if end > now:
            end = now
            if start >= end:
                start = add_minutes(end, -minutes)
    form.jam_mulai.data = start
    form.jam_selesai.data = end
    if template:
        form.uraian.data = template.uraian
        form.volume.data = template.volume
        form.satuan.data = template.satuan
        form.lokasi.data = template.lokasi
    return form


def offer_rhk(form, day, entry=None, cache=None):
    """Fill the RHK select: the pegawai's approved RHK valid on the form's date (the day's date
    when the form has none), plus, when editing, the RHK the entry already names."""
    if form is None:
        return
    on_date = form.tanggal.data if isinstance(form.tanggal.data, date) else day.tanggal
    cache = {} if cache is None else cache
    if on_date not in cache:
        cache[on_date] = approved_rhk_choices(current_user, on_date)
    choices = list(cache[on_date])
    if entry is not None and entry.rhk_id and entry.rhk_id not in {c[0] for c in choices}:
        choices.append((entry.rhk_id, entry.rhk.uraian[:120]))
    required = day.opts["rhk_required"]
    empty = _("— Choose an RHK —") if required else _("— No RHK —")
    form.rhk_id.choices = [("", empty), *choices]
    form.rhk_id.flags.required = required
    if not cache[on_date]:
        form.rhk_id.description = _(
            "You have no approved SKP valid on this date, so there is no RHK to choose yet."
        )
    elif not required:
        form.rhk_id.description = _("Optional: the RHK of your approved SKP this activity serves.")


def render_day(
    day_date, form=None, edit_form=None, editing=None, status=200, evidence_error=None, focus=None
):
    """The day page (or its panel for htmx)."""
    day = pages.day_view(current_user, day_date)
    if form is None:
        template = entries.template_of(current_user, request.args.get("rutin", type=int))
        form = _new_form(day, template)
    if editing and edit_form is None:
        entry = next((e for e in day.entries if e.id == editing), None)
        if entry is None or entry.status not in EDITABLE:
            editing = None
        else:
            edit_form = ActivityForm(formdata=None, obj=entry)
            edit_form.version.data = entry.version
    if edit_form is not None:
        # The add form stays on the page while an entry is edited: the edit form's ids differ.
        for field in edit_form:
            field.id = field.label.field_id = f"ubah-{field.name}"
    cache: dict = {}
    offer_rhk(form, day, cache=cache)
    if editing:
        entry = next((e for e in day.entries if e.id == editing), None)
        offer_rhk(edit_form, day, entry, cache)
    previous, previous_entries = pages.previous_day_with_entries(current_user, day_date)
    return respond(
        DAY,
        "day_panel",
        status=status,
        day=day,
        form=form,
        edit_form=edit_form,
        editing=editing,
        templates=entries.templates_of(current_user),
        previous=previous,
        previous_entries=previous_entries,
        week=day.week,
        evidence_error=evidence_error or {},
        focus=focus or _first_error(edit_form if editing else form),
        today=local_today(),
        **_entry_lookups(day_date),
        **status_context(),
    )


def render_changes(day_date, added=None, deleted_id=None, edited=False):
    """The htmx answer to adding, editing or deleting an entry: the new row (in its place by
    time; an edited one replaces its edit form) or the removal of the old one, and out-of-band
    updates of the count, the totals, the day in the week strip and the submit button; after
    an add the browser resets the add form (the `entry-saved` event carries the next times)."""
    # the history and evidence of the one row shown (none after a delete)
    shown = [added.id] if added is not None else []
    day = pages.day_view(current_user, day_date, history_of=shown)
    position = "beforeend:#entries"
    if added is not None:
        ids = [entry.id for entry in day.entries]
        index = ids.index(added.id) if added.id in ids else len(ids)
        added = day.entries[index] if index < len(ids) else added
        if index + 1 < len(ids):
            position = f"beforebegin:#entri-{ids[index + 1]}"
    changed_day = next((d for d in day.week if d.tanggal == day_date), None)
    # The "Ajukan" button appears with the first editable entry and goes with the last one.
    editable = len(day.editable_ids)
    submit_changed = not edited and editable == (
        1 if added is not None and added.id in day.editable_ids else 0
    )
    following = _new_form(day)
    trigger = {
        "entry-saved": {
            "start": following.jam_mulai.data.strftime("%H:%M"),
            "end": following.jam_selesai.data.strftime("%H:%M"),
        }
    }
    return respond_changes(
        "activities/_changed.html",
        trigger=None if edited else trigger,
        edited_id=added.id if edited and added is not None else None,
        day=day,
        added=added,
        position=position,
        deleted_id=deleted_id,
        changed_day=changed_day,
        submit_changed=submit_changed,
        evidence_error={},
        today=local_today(),
        **_entry_lookups(day_date),
        **status_context(),
    )


def _first_error(form):
    """The first field with an error (htmx focuses it after the swap)."""
    if form is None:
        return None
    fields = (
        "tanggal",
        "jam_mulai",
        "jam_selesai",
        "uraian",
        "volume",
        "satuan",
        "lokasi",
        "rhk_id",
    )
    for name in fields:
        if getattr(form, name).errors:
            return "jam_mulai" if name == "tanggal" else name
    return None
