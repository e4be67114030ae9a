"""Thin routes of the daily log: parse, call a service, render the page or the htmx block."""

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from portal.activities import admin_bp, bp, services
from portal.activities.forms import ActivityForm, EvidenceForm, HolidayForm, UnlockForm
from portal.activities.models import ActivityTemplate, Holiday
from portal.clock import local_now, local_today
from portal.web import access, dashboard, nav, respond, uploads

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
        "activities_admin.holidays": access.LOGIN,
        "activities_admin.delete_holiday": access.LOGIN,
        "activities_admin.unlocks": access.LOGIN,
    }
)

nav.add(_l("Daily Activities"), "activities.day", order=20)
nav.add_admin_section(
    _l("Holidays"), "activities_admin.holidays", order=60, visible=services.can_manage_holidays
)


def _may_unlock_somewhere(user):
    try:
        from portal.org.services import is_any_admin
    except ImportError:  # pragma: no cover
        return services.can_manage_holidays(user)
    return is_any_admin(user)


nav.add_admin_section(
    _l("Unlock a past date"), "activities_admin.unlocks", order=61, visible=_may_unlock_somewhere
)
dashboard.add(
    "activities/_dashboard_panel.html",
    lambda user: services.dashboard_context(user) if user.is_authenticated else None,
    order=10,
)

DAY = "activities/day.html"


def _day_arg(name="tanggal"):
    today = local_today()
    day = services.parse_date(request.values.get(name), today)
    return min(day, today)


def _new_form(day, data, template=None):
    form = ActivityForm(formdata=None)
    form.tanggal.data = day.tanggal
    start = day.next_start
    minutes = template.minutes if template else 60
    end = services.add_minutes(start, minutes)
    if day.tanggal == local_today():
        now = local_now().time().replace(second=0, microsecond=0)
        if start < now < end:
            end = now
    form.jam_mulai.data = start
    form.jam_selesai.data = end
    if template:
        form.uraian.data = template.uraian
        form.volume.data = template.volume
        form.satuan.data = template.satuan
        form.lokasi.data = template.lokasi
    return form


def render_day(day_date, form=None, edit_form=None, editing=None, status=200, evidence_error=None,
               focus=None):  # fmt: skip
    """The day page (or its panel for htmx)."""
    day = services.day_view(current_user, day_date)
    template = None
    template_id = request.args.get("rutin", type=int)
    if template_id and form is None:
        template = ActivityTemplate.get_or_none(
            ActivityTemplate.id == template_id, ActivityTemplate.employee == current_user.id
        )
    if form is None:
        form = _new_form(day, request.args, template)
    if editing and edit_form is None:
        entry = next((e for e in day.entries if e.id == editing), None)
        if entry is None or entry.status not in services.EDITABLE:
            editing = None
        else:
            edit_form = ActivityForm(formdata=None, obj=entry)
            edit_form.version.data = entry.version
    previous, previous_entries = services.previous_day_with_entries(current_user, day_date)
    return respond(
        DAY,
        "day_panel",
        status=status,
        day=day,
        form=form,
        edit_form=edit_form,
        editing=editing,
        templates=services.templates_of(current_user),
        previous=previous,
        previous_entries=previous_entries,
        week=day.week,
        evidence_error=evidence_error or {},
        focus=focus or _first_error(edit_form if editing else form),
        today=local_today(),
        S=services,
    )


def _first_error(form):
    """The first field with an error (htmx focuses it after the swap)."""
    if form is None:
        return None
    for name in ("tanggal", "jam_mulai", "jam_selesai", "uraian", "volume", "satuan", "lokasi"):
        if getattr(form, name).errors:
            return "jam_mulai" if name == "tanggal" else name
    return None


def _done(day_date, message=None, category="success", focus="uraian"):
    """After a change: 303 back to the day (plain) or the fresh panel (htmx), with the cursor
    in the next entry's description."""
    if message:
        flash(message, category)
    if _is_htmx():
        return render_day(day_date, focus=focus)
    return redirect(url_for("activities.day", tanggal=day_date.isoformat()), code=303)


def _is_htmx():
    from portal.web.respond import wants_fragment

    return wants_fragment()


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
    if form.validate_on_submit():
        try:
            if request.form.get("aksi") == "rutin":
                minutes = services.minutes_between(form.jam_mulai.data, form.jam_selesai.data)
                services.save_template(current_user, form.data_for_service(), max(minutes, 5))
                return _done(day_date, _("Saved as a routine activity."))
            services.create_entry(current_user, form.data_for_service())
        except services.NotFound:
            abort(404)
        except services.ActivityError as error:
            _field_error(form, error)
            return render_day(day_date, form=form, status=error.status)
        return _done(day_date, _("The activity was added."))
    return render_day(day_date, form=form, status=422)


def _field_error(form, error):
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _own_or_404(activity_id):
    try:
        return services.own_entry(current_user, activity_id)
    except services.NotFound:
        abort(404)


@bp.post("/<int:activity_id>/ubah")
def update(activity_id):
    entry = _own_or_404(activity_id)
    form = ActivityForm()
    if form.validate_on_submit():
        try:
            services.update_entry(
                current_user, entry, form.data_for_service(), form.version.data or None
            )
        except services.NotFound:
            abort(404)
        except services.ActivityError as error:
            _field_error(form, error)
            return render_day(entry.tanggal, edit_form=form, editing=entry.id, status=error.status)
        return _done(form.tanggal.data, _("The activity was saved."))
    return render_day(entry.tanggal, edit_form=form, editing=entry.id, status=422)


@bp.post("/<int:activity_id>/hapus")
def delete(activity_id):
    entry = _own_or_404(activity_id)
    try:
        services.delete_entry(current_user, entry, request.form.get("version") or None)
    except services.ActivityError as error:
        flash(str(error), "danger")
        return render_day(entry.tanggal, status=error.status)
    return _done(entry.tanggal, _("The activity was deleted."))


@bp.post("/ajukan")
def submit():
    day_date = _day_arg()
    ids = request.form.getlist("ids") if request.form.get("pilihan") else None
    try:
        count = services.submit_day(current_user, day_date, ids)
    except services.ActivityError as error:
        flash(str(error), "danger")
        return render_day(day_date, status=error.status)
    message = ngettext(
        "%(num)d activity was submitted to your atasan.",
        "%(num)d activities were submitted to your atasan.",
        count,
    )
    return _done(day_date, message)


@bp.post("/salin")
def copy():
    day_date = _day_arg("ke")
    try:
        copied, skipped = services.copy_entries(current_user, request.form.getlist("ids"), day_date)
    except services.NotFound:
        abort(404)
    except services.ActivityError as error:
        flash(str(error), "danger")
        return render_day(day_date, status=error.status)
    if copied:
        flash(ngettext("%(num)d activity was copied.", "%(num)d activities were copied.",
                       len(copied)), "success")  # fmt: skip
    for source, reason in skipped:
        flash(
            _("Not copied: %(time)s %(what)s — %(reason)s",
              time=f"{source.jam_mulai:%H.%M}–{source.jam_selesai:%H.%M}",
              what=source.uraian[:60], reason=reason),
            "warning",
        )  # fmt: skip
    if _is_htmx():
        return render_day(day_date)
    return redirect(url_for("activities.day", tanggal=day_date.isoformat()), code=303)


@bp.post("/rutin/<int:template_id>/hapus")
def delete_template(template_id):
    day_date = _day_arg()
    try:
        services.delete_template(current_user, template_id)
    except services.NotFound:
        abort(404)
    return _done(day_date, _("The routine activity was removed."))


@bp.post("/<int:activity_id>/bukti")
def add_evidence(activity_id):
    entry = _own_or_404(activity_id)
    form = EvidenceForm()
    upload = request.files.get("berkas")
    try:
        if not form.validate_on_submit():
            raise services.ActivityError(_("The form is not valid."), "berkas")
        if upload and upload.filename:
            services.add_file(current_user, entry, upload)
        elif form.tautan.data:
            services.add_link(current_user, entry, form.tautan.data, form.label.data)
        else:
            raise services.ActivityError(_("Choose a file or enter a link."), "berkas")
    except services.NotFound:
        abort(404)
    except services.ActivityError as error:
        return render_day(entry.tanggal, evidence_error={entry.id: str(error)},
                          status=error.status)  # fmt: skip
    return _done(entry.tanggal, _("The evidence was added."))


@bp.post("/<int:activity_id>/bukti/<int:evidence_id>/hapus")
def delete_evidence(activity_id, evidence_id):
    entry = _own_or_404(activity_id)
    try:
        services.delete_evidence(current_user, entry, evidence_id)
    except services.NotFound:
        abort(404)
    except services.ActivityError as error:
        flash(str(error), "danger")
        return render_day(entry.tanggal, status=error.status)
    return _done(entry.tanggal, _("The evidence was removed."))


@bp.get("/bukti/<int:evidence_id>")
def download(evidence_id):
    try:
        evidence = services.evidence_for_download(current_user, evidence_id)
    except services.NotFound:
        abort(404)
    return uploads.send(evidence.stored_name, evidence.original_name, evidence.kind)


@bp.get("/minggu")
def week():
    day_date = _day_arg()
    start, end = services.week_bounds(day_date)
    return respond(
        "activities/week.html",
        "week_panel",
        days=services.summaries(current_user, start, end),
        start=start,
        end=end,
        anchor=day_date,
        previous=start - timedelta(days=7),
        following=start + timedelta(days=7),
        today=local_today(),
        S=services,
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
    data = services.month_view(current_user, year, month_number)
    previous = data.start - timedelta(days=1)
    following = data.end + timedelta(days=1)
    return respond(
        "activities/month.html",
        "month_panel",
        month=data,
        previous=previous,
        following=following if following <= today else None,
        today=today,
        S=services,
    )


# --- admin: holidays and date unlocks --------------------------------------------------------


@admin_bp.route("/libur", methods=["GET", "POST"])
def holidays():
    if not services.can_manage_holidays(current_user):
        abort(404)
    form = HolidayForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.add_holiday(
                    current_user, form.tanggal.data, form.jenis.data, form.keterangan.data
                )
            except services.ActivityError as error:
                _field_error(form, error)
                status = error.status
            else:
                flash(_("The holiday was added."), "success")
                return redirect(
                    url_for("activities_admin.holidays", tahun=form.tanggal.data.year), code=303
                )
        else:
            status = 422
    year = request.args.get("tahun", type=int) or local_today().year
    rows = list(Holiday.select().where(Holiday.tanggal.year == year).order_by(Holiday.tanggal))
    return respond("activities/admin_holidays.html", "holiday_panel", status=status, form=form,
                   holidays=rows, year=year)  # fmt: skip


@admin_bp.post("/libur/<int:holiday_id>/hapus")
def delete_holiday(holiday_id):
    try:
        services.delete_holiday(current_user, holiday_id)
    except services.NotFound:
        abort(404)
    flash(_("The holiday was removed."), "success")
    return redirect(url_for("activities_admin.holidays", tahun=request.form.get("tahun")), code=303)


@admin_bp.route("/buka-kunci", methods=["GET", "POST"])
def unlocks():
    if not _may_unlock_somewhere(current_user):
        abort(404)
    form = UnlockForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                employee = services.find_employee(current_user, form.nip.data)
                services.unlock_date(current_user, employee, form.tanggal.data, form.alasan.data)
            except services.ActivityError as error:
                _field_error(form, error)
                status = error.status
            else:
                flash(_("The date was unlocked for %(name)s.", name=employee.nama), "success")
                return redirect(url_for("activities_admin.unlocks"), code=303)
        else:
            status = 422
    return respond("activities/admin_unlocks.html", "unlock_panel", status=status, form=form,
                   unlocks=services.recent_unlocks(current_user))  # fmt: skip
