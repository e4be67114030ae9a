"""Thin routes of the daily log: parse, call a service, render the page or the htmx block."""

from datetime import date, timedelta

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from portal.activities import admin_bp, bp, calendar, entries, evidence, lifecycle, pages
from portal.activities.day_page import render_changes, render_day, status_context
from portal.activities.forms import ActivityForm, EvidenceForm, HolidayForm, UnlockForm
from portal.activities.rules import minutes_between, parse_date
from portal.activities.statuses import (
    STATUS_LABELS,
    event_phrase,
    status_label,
    status_tone,
)
from portal.clock import local_today
from portal.errors import DomainError, Invalid
from portal.org.services import is_any_admin
from portal.web import access, dashboard, nav, pagination, respond, uploads
from portal.web.forms import attempt, done
from portal.web.forms import submit as submit_form

access.register(
    {
        "activities.day": access.LOGIN,
        "activities.create": access.LOGIN,
        "activities.update": access.LOGIN,
        "activities.delete": access.LOGIN,
        "activities.submit": access.LOGIN,
        "activities.copy": access.LOGIN,
        "activities.delete_template": access.LOGIN,
        "activities.add_evidence": access.LOGIN,
        "activities.delete_evidence": access.LOGIN,
        "activities.download": access.LOGIN,
        "activities.week": access.LOGIN,
        "activities.month": access.LOGIN,
        "activities.search": access.LOGIN,
        "activities_admin.holidays": access.LOGIN,
        "activities_admin.delete_holiday": access.LOGIN,
        "activities_admin.unlocks": access.LOGIN,
    }
)

# An entry's status and history read the same on every page (activities, reviews, reports).
bp.add_app_template_filter(status_label, "status_label")
bp.add_app_template_filter(status_tone, "status_tone")
bp.add_app_template_filter(event_phrase, "event_phrase")

nav.add(_l("Daily Activities"), "activities.day", order=20)
nav.add_admin_section(
    _l("Holidays"), "activities_admin.holidays", order=60, visible=calendar.can_manage_holidays
)
nav.add_admin_section(
    _l("Unlock a past date"), "activities_admin.unlocks", order=61, visible=is_any_admin
)
dashboard.add(
    "activities/_dashboard_panel.html",
    lambda user: pages.dashboard_context(user) if user.is_authenticated else None,
    order=10,
)


def _day_arg(name="tanggal"):
    today = local_today()
    day = parse_date(request.values.get(name), today) or today
    return min(day, today)


def _day_url(day_date: date) -> str:
    return url_for("activities.day", tanggal=day_date.isoformat())


def _done(day_date, message=None, focus="uraian"):
    """After a change: 303 back to the day (plain) or the fresh panel (htmx), with the cursor
    in the next entry's description."""
    return done(message, _day_url(day_date), lambda: render_day(day_date, focus=focus))


@bp.get("")
def day():
    """The day view; `?tampilan=minggu|bulan` answers the week or month view at this URL too."""
    view = request.args.get("tampilan")
    if view == "minggu":
        return week()
    if view == "bulan":
        return month()
    day_date = _day_arg()
    return render_day(day_date, editing=request.args.get("ubah", type=int))


@bp.post("/tambah")
def create():
    form = ActivityForm()
    day_date = form.tanggal.data or _day_arg()
    if form.tanggal.data and form.tanggal.data > local_today():
        day_date = local_today()

    routine = request.form.get("aksi") == "rutin"

    def save():
        if routine:
            minutes = minutes_between(form.jam_mulai.data, form.jam_selesai.data)
            entries.save_template(current_user, form.data_for_service(), max(minutes, 5))
            return None
        return entries.create_entry(current_user, form.data_for_service())

    outcome = submit_form(form, save)
    if outcome.ok and routine:
        return _done(day_date, _("Saved as a routine activity."))
    if outcome.ok:
        added = outcome.result
        return done(
            _("The activity was added."),
            _day_url(added.tanggal),
            lambda: render_changes(added.tanggal, added=added),
        )
    return render_day(day_date, form=form, status=outcome.status)


@bp.post("/<int:activity_id>/ubah")
def update(activity_id):
    entry = entries.own_entry(current_user, activity_id)
    form = ActivityForm()
    outcome = submit_form(
        form,
        lambda: entries.update_entry(
            current_user, entry, form.data_for_service(), form.version.data or None
        ),
    )
    if outcome.ok and outcome.result.tanggal != entry.tanggal:  # moved to another day
        return _done(outcome.result.tanggal, _("The activity was saved."))
    if outcome.ok:
        saved = outcome.result
        return done(
            _("The activity was saved."),
            _day_url(saved.tanggal),
            lambda: render_changes(saved.tanggal, added=saved, edited=True),
        )
    return render_day(entry.tanggal, edit_form=form, editing=entry.id, status=outcome.status)


@bp.post("/<int:activity_id>/hapus")
def delete(activity_id):
    entry = entries.own_entry(current_user, activity_id)
    outcome = attempt(
        lambda: entries.delete_entry(current_user, entry, request.form.get("version") or None)
    )
    if not outcome.ok:
        return render_day(entry.tanggal, status=outcome.status)
    return done(
        _("The activity was deleted."),
        _day_url(entry.tanggal),
        lambda: render_changes(entry.tanggal, deleted_id=entry.id),
    )


@bp.post("/ajukan")
def submit():
    day_date = _day_arg()
    ids = request.form.getlist("ids") if request.form.get("pilihan") else None
    outcome = attempt(lambda: lifecycle.submit_day(current_user, day_date, ids))
    if not outcome.ok:
        return render_day(day_date, status=outcome.status)
    message = ngettext(
        "%(num)d activity was submitted to your atasan.",
        "%(num)d activities were submitted to your atasan.",
        outcome.result,
    )
    return _done(day_date, message)


SKIPPED_LISTED = 5


def _copy_summary(copied, skipped):
    """One message for a copy, whatever the number of entries: how many were copied, and which
    were not and why (the first few)."""
    parts = []
    if copied:
        parts.append(
            ngettext("%(num)d activity was copied.", "%(num)d activities were copied.", len(copied))
        )
    if skipped:
        reasons = [
            _(
                "%(time)s %(what)s (%(reason)s)",
                time=f"{source.jam_mulai:%H.%M}–{source.jam_selesai:%H.%M}",
                what=source.uraian[:40],
                reason=reason.rstrip("."),
            )
            for source, reason in skipped[:SKIPPED_LISTED]
        ]
        if len(skipped) > SKIPPED_LISTED:
            reasons.append(_("and %(num)d more", num=len(skipped) - SKIPPED_LISTED))
        parts.append(
            ngettext(
                "%(num)d activity was not copied: %(list)s.",
                "%(num)d activities were not copied: %(list)s.",
                len(skipped),
                list="; ".join(reasons),
            )
        )
    return " ".join(parts), "warning" if skipped else "success"


@bp.post("/salin")
def copy():
    day_date = _day_arg("ke")
    outcome = attempt(
        lambda: entries.copy_entries(current_user, request.form.getlist("ids"), day_date)
    )
    if not outcome.ok:
        return render_day(day_date, status=outcome.status)
    copied, skipped = outcome.result
    flash(*_copy_summary(copied, skipped))
    return done(None, _day_url(day_date), lambda: render_day(day_date))


@bp.post("/rutin/<int:template_id>/hapus")
def delete_template(template_id):
    day_date = _day_arg()
    entries.delete_template(current_user, template_id)
    return _done(day_date, _("The routine activity was removed."))


@bp.post("/<int:activity_id>/bukti")
def add_evidence(activity_id):
    entry = entries.own_entry(current_user, activity_id)
    form = EvidenceForm()
    upload = request.files.get("berkas")
    try:
        if not form.validate_on_submit():
            raise Invalid(_("The form is not valid."), "berkas")
        if upload and upload.filename:
            evidence.add_file(current_user, entry, upload)
        elif form.tautan.data:
            evidence.add_link(current_user, entry, form.tautan.data, form.label.data)
        else:
            raise Invalid(_("Choose a file or enter a link."), "berkas")
    except DomainError as error:
        if error.status in (403, 404):
            raise
        # The message belongs under the entry's evidence form, not on the day's entry form.
        return render_day(entry.tanggal, evidence_error={entry.id: str(error)}, status=error.status)
    return _done(entry.tanggal, _("The evidence was added."))


@bp.post("/<int:activity_id>/bukti/<int:evidence_id>/hapus")
def delete_evidence(activity_id, evidence_id):
    entry = entries.own_entry(current_user, activity_id)
    outcome = attempt(lambda: evidence.delete_evidence(current_user, entry, evidence_id))
    if not outcome.ok:
        return render_day(entry.tanggal, status=outcome.status)
    return _done(entry.tanggal, _("The evidence was removed."))


@bp.get("/bukti/<int:evidence_id>")
def download(evidence_id):
    row = evidence.evidence_for_download(current_user, evidence_id)
    return uploads.send(
        row.stored_name,
        row.original_name,
        row.kind,
        missing=_("This evidence file is no longer stored. Ask the pegawai to attach it again."),
    )


@bp.get("/minggu")
def week():
    day_date = _day_arg()
    start, end = pages.week_bounds(day_date)
    return respond(
        "activities/week.html",
        "week_panel",
        days=pages.summaries(current_user, start, end),
        per_rhk=pages.rhk_totals(current_user, start, end),
        start=start,
        end=end,
        anchor=day_date,
        previous=start - timedelta(days=7),
        following=start + timedelta(days=7),
        today=local_today(),
        **status_context(),
    )


@bp.get("/cari")
def search():
    """A pegawai searches their own entries by words, dates and status (a plain GET form)."""
    args = request.args
    status = args.get("status", "")
    wanted = pages.Search(
        words=" ".join(args.get("q", "").split())[:200],
        start=parse_date(args.get("dari")),
        end=parse_date(args.get("sampai")),
        status=status if status in STATUS_LABELS else "",
    )
    number = pagination.page_number(args)
    return respond(
        "activities/search.html",
        "results",
        wanted=wanted,
        page=pages.search(current_user, wanted, number),
        status_options=[(key, str(label)) for key, label in STATUS_LABELS.items()],
        **status_context(),
    )


@bp.get("/bulan")
def month():
    today = local_today()
    year, month_number = today.year, today.month
    text = request.args.get("bulan", "")
    try:
        year_text, month_text = text.split("-")
        year, month_number = int(year_text), int(month_text)
        if not 1 <= month_number <= 12 or not 2000 <= year <= today.year:
            raise ValueError
    except ValueError:
        year, month_number = today.year, today.month
    if (year, month_number) > (today.year, today.month):
        year, month_number = today.year, today.month
    data = pages.month_view(current_user, year, month_number)
    previous = data.start - timedelta(days=1)
    following = data.end + timedelta(days=1)
    return respond(
        "activities/month.html",
        "month_panel",
        month=data,
        previous=previous,
        following=following if following <= today else None,
        today=today,
        **status_context(),
    )


# --- admin: holidays and date unlocks --------------------------------------------------------


@admin_bp.route("/libur", methods=["GET", "POST"])
def holidays():
    if not calendar.can_manage_holidays(current_user):
        abort(404)
    form = HolidayForm()
    status = 200
    if request.method == "POST":
        outcome = submit_form(
            form,
            lambda: calendar.add_holiday(
                current_user, form.tanggal.data, form.jenis.data, form.keterangan.data
            ),
        )
        if outcome.ok:
            return done(
                _("The holiday was added."),
                url_for("activities_admin.holidays", tahun=form.tanggal.data.year),
            )
        status = outcome.status
    year = request.args.get("tahun", type=int) or local_today().year
    return respond(
        "activities/admin_holidays.html",
        "holiday_panel",
        status=status,
        form=form,
        holidays=calendar.holidays_of(year),
        year=year,
    )


@admin_bp.post("/libur/<int:holiday_id>/hapus")
def delete_holiday(holiday_id):
    calendar.delete_holiday(current_user, holiday_id)
    return done(
        _("The holiday was removed."),
        url_for("activities_admin.holidays", tahun=request.form.get("tahun")),
    )


@admin_bp.route("/buka-kunci", methods=["GET", "POST"])
def unlocks():
    if not is_any_admin(current_user):
        abort(404)
    form = UnlockForm()
    status = 200
    if request.method == "POST":

        def unlock():
            employee = calendar.find_employee(current_user, form.nip.data)
            calendar.unlock_date(current_user, employee, form.tanggal.data, form.alasan.data)
            return employee

        outcome = submit_form(form, unlock)
        if outcome.ok:
            return done(
                _("The date was unlocked for %(name)s.", name=outcome.result.nama),
                url_for("activities_admin.unlocks"),
            )
        status = outcome.status
    return respond(
        "activities/admin_unlocks.html",
        "unlock_panel",
        status=status,
        form=form,
        unlocks=calendar.recent_unlocks(current_user),
    )
