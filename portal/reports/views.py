"""The /laporan routes: the recap with its drill-down, a pegawai's month, closing and reopening
a month, the kehadiran import and the exports with their progress page. Thin: parse, call a
service, respond. Access: every endpoint is LOGIN; the services refuse (404) whoever is out of
scope."""

from __future__ import annotations

from flask import abort, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import settings
from portal.activities.pages import month_view
from portal.db import get_or_404
from portal.errors import NotFound
from portal.org import import_file
from portal.org.models import JENIS_JABATAN, Employee, Unit
from portal.reports import attendance, bp, closing, dashboard, exports
from portal.reports.forms import AttendanceForm, CloseForm, ExportForm, ReopenForm
from portal.reports.models import CLOSED, FAILED, FINISHED, IMPORT_KIND, MonthClosure
from portal.reports.recap import (
    BANDS,
    Filters,
    Month,
    ancestors,
    clean_filters,
    employee_row,
    fill_details,
    month_recap,
    parse_month,
)
from portal.reports.scope import (
    Scope,
    can_close_month,
    can_import_attendance,
    can_view_recap,
    require_recap,
)
from portal.web import access, nav, respond
from portal.web.forms import attempt, done, submit
from portal.web.pagination import page_number, page_of_list

L = access.LOGIN
access.register(
    {
        "reports.index": L,
        "reports.employee": L,
        "reports.close": L,
        "reports.reopen": L,
        "reports.attendance_page": L,
        "reports.attendance_result": L,
        "reports.export": L,
        "reports.export_progress": L,
        "reports.export_download": L,
        "reports.print": L,
        "reports.dashboard_page": L,
    }
)

nav.add(_l("Laporan"), "reports.index", order=60, visible=can_view_recap)

BAND_LABELS = {
    "rendah": _l("Low"),
    "sedang": _l("Medium"),
    "baik": _l("Good"),
    "penuh": _l("Full (100%)"),
}
SORT_LABELS = {
    "nama": _l("Name"),
    "unit": _l("Unit"),
    "capaian": _l("Capaian"),
    "disetujui": _l("Minutes approved"),
    "menunggu": _l("Waiting"),
}


def _unit(scope: Scope, value: str | None) -> Unit | None:
    """The unit asked for in the query string; one outside the scope is a 404."""
    try:
        unit_id = int(value or 0)
    except ValueError:
        return None
    if not 0 < unit_id < 2**31:
        return None
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None or not scope.may_open_unit(unit):
        raise NotFound(_("The unit was not found."))
    return unit


def _filters(scope: Scope, args: dict) -> tuple[Month, Filters]:
    month = parse_month(args.get("bulan"))
    cleaned = clean_filters(
        args.get("jabatan", ""), args.get("capaian", ""), args.get("urut", ""), args.get("arah", "")
    )
    return month, Filters(unit=_unit(scope, args.get("unit")), **cleaned)


def _link_args(filters: Filters) -> dict[str, str]:
    """The filters worth keeping in links (no empty or default values)."""
    defaults = {"urut": "nama", "arah": "naik"}
    return {k: v for k, v in filters.args.items() if v and defaults.get(k) != v}


@bp.get("/")
def index():
    scope = require_recap(current_user)
    month, filters = _filters(scope, request.args)
    recap = month_recap(scope, month, filters, details=False)
    unit = filters.unit
    link_args = _link_args(filters)
    page = page_of_list(
        recap.rows,
        page_number(request.args),
        {**link_args, "bulan": month.key},
        settings.get("reports.page_size"),
    )
    fill_details(page.items, month)  # JP, predikat and kehadiran of the rows shown only
    return respond(
        "reports/recap.html",
        "recap_body",
        recap=recap,
        month_args=link_args,
        rows=page.items,
        page=page,
        scope=scope,
        breadcrumb=ancestors(unit),
        jabatan_options=JENIS_JABATAN,
        band_labels=BAND_LABELS,
        bands=BANDS,
        sort_labels=SORT_LABELS,
        previous_month=month.shifted(-1),
        next_month=month.shifted(1) if month.shifted(1).start <= parse_month(None).start else None,
        may_close=unit is not None and can_close_month(current_user, unit),
        close_form=CloseForm(unit=unit.id if unit else "", bulan=month.key),
        export_form=ExportForm(formdata=None, bulan=month.key, **filters.args),
        covering=closing.closure_of(unit, month) if unit is not None else None,
        may_import=can_import_attendance(current_user),
        may_dashboard=dashboard.can_view_dashboard(current_user),
    )


@bp.get("/cetak")
def print():
    """The print-ready recap (the PDF export's template)."""
    scope = require_recap(current_user)
    month, filters = _filters(scope, request.args)
    count = exports.too_many_to_print(scope, filters)
    if count:
        return respond(
            "reports/too_many_to_print.html",
            message=exports.too_many_message(count),
            back=url_for("reports.index", **_link_args(filters), bulan=month.key),
        )
    return exports.render_document(month_recap(scope, month, filters))


@bp.get("/pegawai/<int:employee_id>")
def employee(employee_id):
    scope = require_recap(current_user)
    person = get_or_404(Employee, employee_id)
    if not scope.may_see(person):
        raise NotFound(_("The pegawai does not exist."))
    month = parse_month(request.args.get("bulan"))
    return respond(
        "reports/employee.html",
        person=person,
        month=month,
        row=employee_row(person, month),
        days=month_view(person, month.tahun, month.bulan),
        breadcrumb=[*ancestors(person.unit), person.unit],
    )


@bp.post("/tutup")
def close():
    form = CloseForm()
    if not form.validate_on_submit():
        abort(400)
    scope = require_recap(current_user)
    unit = _unit(scope, form.unit.data)
    if unit is None:
        raise NotFound(_("The unit was not found."))
    month = parse_month(form.bulan.data)
    outcome = attempt(lambda: closing.close_month(current_user, unit, month))
    back = url_for("reports.index", unit=unit.id, bulan=month.key)
    if outcome.ok:
        return done(_("The month is closed for this unit."), back)
    return redirect(back, 303)


@bp.route("/buka/<int:closure_id>", methods=["GET", "POST"])
def reopen(closure_id):
    closure = get_or_404(MonthClosure, closure_id, MonthClosure.status == CLOSED)
    unit = Unit.get_by_id(closure.unit_id)
    if not can_close_month(current_user, unit):
        raise NotFound(_("The unit was not found."))
    form = ReopenForm()
    month = Month(closure.tahun, closure.bulan)
    status = 200
    if request.method == "POST":
        alasan = form.alasan.data
        outcome = submit(form, lambda: closing.reopen_month(current_user, closure, alasan))
        if outcome.ok:
            return done(
                _("The month is open again."),
                url_for("reports.index", unit=unit.id, bulan=month.key),
            )
        status = outcome.status
    return respond(
        "reports/reopen.html", status=status, form=form, closure=closure, unit=unit, month=month
    )


@bp.route("/kehadiran", methods=["GET", "POST"])
def attendance_page():
    """Upload a kehadiran file; it is checked and imported as a background job."""
    if not can_import_attendance(current_user):
        raise NotFound(_("The page does not exist."))
    form = AttendanceForm()
    file_error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        upload = request.files.get(form.berkas.name)
        if upload is None or not upload.filename:
            file_error, status = _("Choose a file to upload."), 422
        else:
            try:
                job = attendance.start_import(current_user, upload.stream, upload.filename)
            except import_file.ImportFileError as error:
                file_error, status = str(error), 422
            else:
                return redirect(url_for("reports.attendance_result", token=job.token), 303)
    return respond(
        "reports/attendance.html",
        status=status,
        form=form,
        job=None,
        outcome=None,
        file_error=file_error,
        columns=attendance.COLUMNS,
    )


@bp.get("/kehadiran/<token>")
def attendance_result(token):
    """The import's progress (htmx polls the block), then every bad row or the count."""
    job = exports.job_for(current_user, token)
    if job.kind != IMPORT_KIND:
        raise NotFound(_("The export was not found."))
    outcome = attendance.outcome_of(job)
    failed = job.status == FAILED or bool(outcome and outcome["errors"])
    return respond(
        "reports/attendance.html",
        "import_result",
        status=422 if failed else 200,
        form=AttendanceForm(),
        job=job,
        outcome=outcome,
        running=job.status not in (FINISHED, FAILED),
        file_error=job.error if job.status == FAILED else None,
        columns=attendance.COLUMNS,
    )


@bp.post("/ekspor")
def export():
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    scope = require_recap(current_user)
    month, filters = _filters(scope, request.form)
    job = exports.start_export(current_user, form.format.data, month, filters.args)
    return redirect(url_for("reports.export_progress", token=job.token), 303)


@bp.get("/ekspor/<token>")
def export_progress(token):
    job = exports.job_for(current_user, token)
    return respond(
        "reports/export.html",
        "progress",
        job=job,
        running=job.status not in (FINISHED, FAILED),
        finished=job.status == FINISHED,
    )


@bp.get("/ekspor/<token>/unduh")
def export_download(token):
    job, path = exports.export_path(current_user, token)
    response = send_file(
        path,
        mimetype=exports.MIMETYPES[job.kind],
        as_attachment=True,
        download_name=job.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/dasbor")
def dashboard_page():
    if not dashboard.can_view_dashboard(current_user):
        raise NotFound(_("The page does not exist."))
    scope = require_recap(current_user)
    month = parse_month(request.args.get("bulan"))
    unit = _unit(scope, request.args.get("unit"))
    board = dashboard.build(current_user, month, unit)
    charts = {
        "logged": dashboard.bar_chart([(o.unit.nama, o.logged_share) for o in board.opds]),
        "skp": dashboard.bar_chart([(o.unit.nama, o.skp_share) for o in board.opds]),
        "jp": dashboard.bar_chart([(o.unit.nama, o.jp_share) for o in board.opds]),
        "follow_up": dashboard.bar_chart([(o.unit.nama, o.follow_up_share) for o in board.opds]),
    }
    return respond(
        "reports/dashboard.html",
        board=board,
        charts=charts,
        trend=dashboard.line_chart(board.trend),
        breadcrumb=ancestors(unit),
        previous_month=month.shifted(-1),
        next_month=month.shifted(1) if month.shifted(1).start <= parse_month(None).start else None,
    )
