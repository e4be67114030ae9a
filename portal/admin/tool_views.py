"""Admin routes for the tools: the pegawai import (upload, progress, templates), the audit log
and the settings page."""

import secrets
from datetime import date

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import settings
from portal.admin import bp, services
from portal.admin.common import acting_user, require_admin_area, require_full_admin, see_other
from portal.admin.forms import ConfirmForm, ImportForm
from portal.org import import_file
from portal.web import pagination, respond
from portal.web.respond import wants_fragment

# --- import ---------------------------------------------------------------------------------


@bp.route("/impor", methods=["GET", "POST"])
def import_page():
    """Upload; a file with the portal's own columns is queued for import at once, another
    export (SIASN, SIMPEG) first gets the column-mapping step (kept on the server meanwhile).
    A queued import goes on as a background job: its progress page shows how it ends."""
    require_admin_area()
    form = ImportForm()
    page: dict = {"file_error": None, "mapping_step": None}
    status = 200
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(16)
    elif form.validate_on_submit():
        upload = request.files.get(form.file.name)
        try:
            if request.form.get("upload"):
                job = _import_mapped(page)
            elif upload is None or not upload.filename:
                page["file_error"] = _("Choose a file to upload.")
                job = None
            else:
                job = _import_upload(upload, page)
        except import_file.ImportFileError as error:
            page["file_error"] = str(error)
            job = None
        if job is not None:
            return _show_job(job, pushed=True)
        status = 422 if page["file_error"] else 200
        form.token.data = secrets.token_urlsafe(16)
    else:
        status = 422
    return respond(
        "admin/import.html",
        "import_result",
        status=status,
        form=form,
        columns=import_file.COLUMNS,
        column_help=import_file.COLUMN_HELP,
        map_fields=import_file.MAP_FIELDS,
        job=None,
        outcome={},
        **page,
    )


def _import_upload(upload, page):
    headers = import_file.read_header(upload.stream, upload.filename)
    upload.stream.seek(0)
    name = services.keep_upload(
        acting_user(), secrets.token_urlsafe(16), upload.stream, upload.filename
    )
    if import_file.needs_mapping(headers):
        page["mapping_step"] = _mapping_step(
            name, headers, import_file.suggest_mapping(headers, services.remembered_mapping())
        )
        return None
    return services.start_import(acting_user(), name, upload.filename)


def _mapping_step(name, headers, mapping):
    columns = [(import_file.header_key(cell), cell) for cell in headers if cell]
    return {"upload": name, "columns": columns, "mapping": mapping}


def _import_mapped(page):
    name = request.form.get("upload", "")
    path = services.kept_upload(acting_user(), name)
    wanted = {field: request.form.get(f"kolom-{field}", "") for field in import_file.MAP_FIELDS}
    with open(path, "rb") as handle:
        headers = import_file.read_header(handle, path.name)
    try:
        mapping = import_file.check_mapping(wanted, headers)
    except import_file.ImportFileError as error:
        page["file_error"] = str(error)
        page["mapping_step"] = _mapping_step(name, headers, wanted)
        return None
    services.remember_mapping(mapping)
    return services.start_import(acting_user(), name, path.name, mapping)


def _show_job(job, pushed=False):
    """The import's page (htmx: only its result block, polled while the job runs)."""
    outcome = services.outcome_of(job)
    failed = job.phase == "gagal"
    form = ImportForm()
    form.token.data = secrets.token_urlsafe(16)
    response = respond(
        "admin/import.html",
        "import_result",
        status=422 if failed else 200,
        form=form,
        columns=import_file.COLUMNS,
        column_help=import_file.COLUMN_HELP,
        map_fields=import_file.MAP_FIELDS,
        job=job,
        running=job.phase in services.RUNNING_PHASES,
        outcome=outcome,
        file_error=outcome.get("error"),
        mapping_step=None,
    )
    url = url_for("admin.import_progress", token=job.token)
    if pushed and wants_fragment():
        response.headers["HX-Push-Url"] = url
    elif pushed:
        return redirect(url, 303)
    return response


@bp.get("/impor/templat.<kind>")
def import_template(kind):
    require_admin_area()
    if kind == "csv":
        return Response(
            import_file.template_csv(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="templat-impor-pegawai.csv"'},
        )
    if kind == "xlsx":
        return Response(
            import_file.template_xlsx(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="templat-impor-pegawai.xlsx"'},
        )
    return abort(404)


@bp.get("/impor/progres/<token>")
def import_progress(token):
    """The progress of one's own import job, then its result (404 for anyone else)."""
    require_admin_area()
    return _show_job(services.job_for(current_user, token))


# --- audit log ------------------------------------------------------------------------------


@bp.get("/log-audit")
def audit_log():
    if not services.can_browse_audit(current_user):
        abort(403)
    args = request.args
    since = _date(args.get("dari"))
    until = _date(args.get("sampai"))
    query = services.audit_query(
        current_user,
        args.get("aksi", "")[:64],
        args.get("oleh", "")[:100],
        args.get("objek", "")[:64],
        since,
        until,
    )
    page = services.paginate(
        query,
        pagination.page_number(args),
        {key: args.get(key, "") for key in ("aksi", "oleh", "objek", "dari", "sampai")},
        size=50,
    )
    return respond(
        "admin/audit.html",
        "results",
        page=page,
        actions=services.audit_actions(),
        filters={key: args.get(key, "") for key in ("aksi", "oleh", "objek", "dari", "sampai")},
        pretty=services.pretty,
    )


def _date(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- settings -------------------------------------------------------------------------------


@bp.route("/pengaturan", methods=["GET", "POST"])
def settings_page():
    require_full_admin()
    values = settings.get_many(list(settings.DEFINITIONS))
    errors = {}
    status = 200
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        errors = services.save_settings(acting_user(), request.form)
        if errors:
            status = 422
            values = {**values, **{key: request.form.get(key, "") for key in errors}}
            flash(_("Some settings are not valid; nothing was saved."), "danger")
        else:
            flash(_("Settings saved."), "success")
            return see_other("admin.settings_page")
    return respond(
        "admin/settings.html",
        status=status,
        groups=services.grouped_definitions(),
        values=values,
        errors=errors,
        form=form,
    )
