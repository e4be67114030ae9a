"""Admin routes for the tools: the pegawai import (upload, progress, templates), the audit log
and the settings page."""

import secrets
from datetime import date

from flask import Response, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import settings
from portal.admin import bp, services
from portal.admin.common import acting_user, require_admin_area, require_full_admin, see_other
from portal.admin.forms import ConfirmForm, ImportForm
from portal.org import import_file
from portal.web import respond
from portal.web.respond import wants_fragment

# --- import ---------------------------------------------------------------------------------


@bp.route("/impor", methods=["GET", "POST"])
def import_page():
    require_admin_area()
    form = ImportForm()
    plan = None
    file_error = None
    status = 200
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(16)
    elif form.validate_on_submit():
        upload = request.files.get(form.file.name)
        token = form.token.data or secrets.token_urlsafe(16)
        if upload is None or not upload.filename:
            file_error = _("Choose a file to upload.")
            status = 422
        else:
            job = services.start_job(acting_user(), token, upload.filename)
            try:
                plan = services.run_import(acting_user(), upload.stream, upload.filename, job)
            except import_file.ImportFileError as error:
                file_error = str(error)
                status = 422
            else:
                status = 422 if plan.errors else 200
        form.token.data = secrets.token_urlsafe(16)
    else:
        status = 422
    return respond(
        "admin/import.html",
        "import_result",
        status=status,
        form=form,
        plan=plan,
        file_error=file_error,
        columns=import_file.COLUMNS,
        column_help=import_file.COLUMN_HELP,
        oob=request.method == "POST" and wants_fragment(),
    )


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
    require_admin_area()
    job = services.job_for(current_user, token)
    return respond(
        "admin/_import_progress.html", job=job, token=token, polling=True, next_token=token
    )


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
        args.get("page", 1, type=int),
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
