"""The admin area (/admin): units, pegawai, roles, import, audit log, settings.

Admin sees everything; admin OPD sees and edits only their unit subtree (others' objects: 404);
settings and the audit log are for the admin only (403 for others).
"""

import secrets
from datetime import date

import peewee as pw
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import settings
from portal.admin import bp, services
from portal.admin.forms import ConfirmForm, EmployeeForm, ImportForm, RoleForm, UnitForm, choices
from portal.audit.models import AuditLog
from portal.auth import services as auth
from portal.db import get_or_404
from portal.errors import Invalid
from portal.extensions import htmx
from portal.org import import_file
from portal.org import services as org
from portal.org.models import (
    ROLE_ADMIN,
    ROLE_ADMIN_OPD,
    ROLE_PENYELENGGARA,
    Employee,
    RoleAssignment,
    Unit,
)
from portal.web import access, nav, respond
from portal.web.forms import attempt, submit
from portal.web.respond import wants_fragment

access.register(
    {
        f"admin.{name}": access.LOGIN
        for name in (
            "index",
            "units",
            "unit_new",
            "unit_edit",
            "employees",
            "employee_new",
            "employee_edit",
            "employee_active",
            "employee_reset",
            "employee_end_sessions",
            "role_grant",
            "role_revoke",
            "roles",
            "import_page",
            "import_template",
            "import_progress",
            "audit_log",
            "settings_page",
        )
    }
)

nav.add(_l("Admin"), "admin.index", order=900, visible=lambda user: org.is_any_admin(user))

OWN_SECTIONS = [
    (_l("Unit kerja"), "admin.units", _l("The tree of units: add, edit, move.")),
    (_l("Pegawai"), "admin.employees", _l("Find by NIP or name, edit, atasan, deactivate.")),
    (_l("Roles"), "admin.roles", _l("Admin OPD and penyelenggara of each unit.")),
    (_l("Import"), "admin.import_page", _l("Pegawai from a CSV or XLSX file.")),
    (_l("Audit log"), "admin.audit_log", _l("Who changed what, when and from where.")),
    (_l("Settings"), "admin.settings_page", _l("Local settings of the pemda.")),
]
ADMIN_ONLY = {"admin.settings_page"}


def _require_admin_area():
    if not services.can_open_admin(current_user):
        abort(403)


def _require_full_admin():
    if not org.is_admin(current_user):
        abort(403)


def _actor():
    return current_user._get_current_object()


def _see_other(endpoint, **values):
    """303 to the next page; for htmx a full navigation (HX-Redirect), not a swapped page."""
    target = url_for(endpoint, **values)
    if htmx:
        return Response("", 204, headers={"HX-Redirect": target})
    return redirect(target, code=303)


@bp.get("/")
def index():
    _require_admin_area()
    own = [
        (label, endpoint, text)
        for label, endpoint, text in OWN_SECTIONS
        if endpoint not in ADMIN_ONLY or org.is_admin(current_user)
    ]
    others = nav.admin_sections_for(current_user)
    return respond("admin/index.html", own=own, others=others)


# --- units ----------------------------------------------------------------------------------


def _unit_choices(actor, exclude=None):
    pairs = [("", _("– top level –"))] if org.is_admin(actor) else []
    for unit, depth in org.unit_tree(actor):
        if exclude is not None and exclude.contains(unit):
            continue
        pairs.append((unit.id, f"{'· ' * depth}{unit.nama}"))
    return choices(pairs)


@bp.get("/unit")
def units():
    _require_admin_area()
    tree = org.unit_tree(current_user)
    counts = dict(
        Employee.select(Employee.unit, pw.fn.COUNT(Employee.id))
        .where(Employee.active == True)  # noqa: E712
        .group_by(Employee.unit)
        .tuples()
    )
    return respond("admin/units.html", tree=tree, counts=counts)


def _unit_from_form(form):
    parent = None
    if (form.parent.data or "").isdigit():
        parent = Unit.get_or_none(Unit.id == int(form.parent.data))
    return {
        "kode": form.kode.data,
        "nama": form.nama.data,
        "jenis": form.jenis.data,
        "parent": parent,
        "work_days": int(form.work_days.data) if form.work_days.data in ("5", "6") else 5,
    }


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    _require_admin_area()
    form = UnitForm()
    form.parent.choices = _unit_choices(current_user)
    if request.method == "GET" and request.args.get("induk"):
        form.parent.data = request.args["induk"]
    status = 200
    if request.method == "POST":
        outcome = submit(form, lambda: org.create_unit(_actor(), **_unit_from_form(form)))
        if outcome.ok:
            flash(_("Unit %(nama)s saved.", nama=outcome.result.nama), "success")
            return _see_other("admin.units")
        status = outcome.status
    return respond("admin/unit_form.html", "unit_form", status=status, form=form, unit=None)


@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id):
    _require_admin_area()
    unit = get_or_404(Unit, unit_id)
    if not org.can_admin_unit(current_user, unit):
        abort(404)
    form = UnitForm(obj=unit if request.method == "GET" else None)
    form.parent.choices = _unit_choices(current_user, exclude=unit)
    if request.method == "GET":
        form.parent.data = str(unit.parent_id or "")
        form.work_days.data = str(unit.work_days)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: org.update_unit(
                _actor(), unit, active=form.active.data, **_unit_from_form(form)
            ),
        )
        if outcome.ok:
            flash(_("Unit %(nama)s saved.", nama=unit.nama), "success")
            return _see_other("admin.units")
        status = outcome.status
    return respond("admin/unit_form.html", "unit_form", status=status, form=form, unit=unit)


# --- pegawai --------------------------------------------------------------------------------


@bp.get("/pegawai")
def employees():
    _require_admin_area()
    text = request.args.get("q", "").strip()[:100]
    unit_id = request.args.get("unit", type=int)
    inactive = request.args.get("nonaktif") == "1"
    query = services.employee_query(current_user, text, unit_id, inactive)
    page = services.paginate(
        query,
        request.args.get("page", 1, type=int),
        {"q": text, "unit": unit_id, "nonaktif": "1" if inactive else ""},
        count_query=services.employee_query(current_user, text, unit_id, inactive, True),
    )
    unit_choices = [
        (unit.id, f"{'· ' * depth}{unit.nama}") for unit, depth in org.unit_tree(current_user)
    ]
    return respond(
        "admin/employees.html",
        "results",
        page=page,
        q=text,
        unit_id=unit_id,
        inactive=inactive,
        unit_choices=unit_choices,
        roles=services.roles_by_employee(page.items),
        role_label=org.role_label,
    )


def _employee_form_setup(form):
    form.unit.choices = choices(
        (unit.id, f"{'· ' * depth}{unit.nama}") for unit, depth in org.unit_tree(current_user)
    )


def _employee_data(form):
    return {name: getattr(form, name).data for name in org.EMPLOYEE_FIELDS}


def _resolve(form):
    """The unit and atasan chosen in the form (or a form error)."""
    unit = Unit.get_or_none(Unit.id == (form.unit.data or 0))
    if unit is None:
        raise Invalid(_("Choose a unit."))
    supervisor = None
    nip = (form.atasan_nip.data or "").replace(" ", "")
    if nip:
        supervisor = Employee.get_or_none(Employee.nip == nip)
        if supervisor is None:
            raise Invalid(_("No pegawai has NIP %(nip)s.", nip=nip))
    return unit, supervisor


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def employee_new():
    _require_admin_area()
    form = EmployeeForm()
    _employee_form_setup(form)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form, lambda: org.create_employee(_actor(), _employee_data(form), *_resolve(form))
        )
        if outcome.ok:
            employee = outcome.result
            flash(_("Pegawai %(nama)s saved.", nama=employee.nama), "success")
            return _see_other("admin.employee_edit", employee_id=employee.id)
        status = outcome.status
    return respond(
        "admin/employee_form.html", "employee_form", status=status, form=form, employee=None
    )


def _managed_employee(employee_id):
    employee = get_or_404(Employee, employee_id)
    if not org.can_manage_employee(current_user, employee):
        abort(404)
    return employee


def _role_form(employee):
    form = RoleForm(prefix="peran")
    roles = [
        (ROLE_ADMIN_OPD, org.role_label(ROLE_ADMIN_OPD)),
        (ROLE_PENYELENGGARA, org.role_label(ROLE_PENYELENGGARA)),
    ]
    if org.is_admin(current_user):
        roles.insert(0, (ROLE_ADMIN, org.role_label(ROLE_ADMIN)))
    form.role.choices = choices(roles)
    form.unit.choices = choices(
        (unit.id, f"{'· ' * depth}{unit.nama}") for unit, depth in org.unit_tree(current_user)
    )
    if request.method == "GET":
        form.unit.data = str(employee.unit_id)
    return form


def _employee_page(employee, form, status=200, temporary=None):
    return respond(
        "admin/employee_form.html",
        "employee_form",
        status=status,
        form=form,
        employee=employee,
        role_form=_role_form(employee),
        roles=list(
            RoleAssignment.select(RoleAssignment, Unit)
            .join(Unit, pw.JOIN.LEFT_OUTER, on=(RoleAssignment.unit == Unit.id))
            .where(RoleAssignment.employee == employee.id)
        ),
        role_label=org.role_label,
        subordinate_count=org.subordinates(employee).count(),
        chain=org.supervisor_chain(employee, limit=3),
        confirm=ConfirmForm(),
        temporary=temporary,
        history=list(
            AuditLog.select()
            .where(AuditLog.object_type == "Employee", AuditLog.object_id == str(employee.id))
            .order_by(AuditLog.id.desc())
            .limit(10)
        ),
    )


@bp.route("/pegawai/<int:employee_id>", methods=["GET", "POST"])
def employee_edit(employee_id):
    _require_admin_area()
    employee = _managed_employee(employee_id)
    form = EmployeeForm(obj=employee if request.method == "GET" else None)
    _employee_form_setup(form)
    if request.method == "GET":
        form.unit.data = str(employee.unit_id)
        form.golongan.data = employee.golongan or ""
        form.atasan_nip.data = employee.supervisor.nip if employee.supervisor_id else ""
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: org.update_employee(_actor(), employee, _employee_data(form), *_resolve(form)),
        )
        if outcome.ok:
            flash(_("Pegawai %(nama)s saved.", nama=employee.nama), "success")
            return _see_other("admin.employee_edit", employee_id=employee.id)
        status = outcome.status
    return _employee_page(employee, form, status)


def _action(employee_id, action):
    _require_admin_area()
    employee = _managed_employee(employee_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt(lambda: action(employee))
    if not outcome.ok:
        form = EmployeeForm(obj=employee)
        _employee_form_setup(form)
        form.unit.data = str(employee.unit_id)
        return _employee_page(employee, form, outcome.status)
    return employee, outcome.result


@bp.post("/pegawai/<int:employee_id>/status")
def employee_active(employee_id):
    activate = request.form.get("aktif") == "1"
    outcome = _action(employee_id, lambda e: org.set_active(_actor(), e, activate))
    if not isinstance(outcome, tuple):
        return outcome
    employee, _result = outcome
    if activate:
        flash(_("%(nama)s is active again.", nama=employee.nama), "success")
    else:
        flash(
            _("%(nama)s has been deactivated; their sessions have ended.", nama=employee.nama),
            "success",
        )
    return _see_other("admin.employee_edit", employee_id=employee.id)


@bp.post("/pegawai/<int:employee_id>/reset-sandi")
def employee_reset(employee_id):
    outcome = _action(employee_id, lambda e: auth.reset_password(_actor(), e))
    if not isinstance(outcome, tuple):
        return outcome
    employee, temporary = outcome
    form = EmployeeForm(obj=employee)
    _employee_form_setup(form)
    form.unit.data = str(employee.unit_id)
    form.atasan_nip.data = employee.supervisor.nip if employee.supervisor_id else ""
    flash(_("The password of %(nama)s has been reset.", nama=employee.nama), "success")
    return _employee_page(employee, form, 200, temporary=temporary)


@bp.post("/pegawai/<int:employee_id>/akhiri-sesi")
def employee_end_sessions(employee_id):
    outcome = _action(employee_id, lambda e: auth.end_sessions_by_admin(_actor(), e))
    if not isinstance(outcome, tuple):
        return outcome
    employee, _result = outcome
    flash(_("Every session of %(nama)s has been ended.", nama=employee.nama), "success")
    return _see_other("admin.employee_edit", employee_id=employee.id)


# --- roles ----------------------------------------------------------------------------------


@bp.post("/pegawai/<int:employee_id>/peran")
def role_grant(employee_id):
    _require_admin_area()
    employee = _managed_employee(employee_id)
    form = _role_form(employee)
    if form.validate_on_submit():
        unit = Unit.get_or_none(Unit.id == (form.unit.data or 0))
        if attempt(lambda: org.assign_role(_actor(), employee, form.role.data, unit)).ok:
            flash(_("Role granted."), "success")
    return _see_other("admin.employee_edit", employee_id=employee.id)


@bp.post("/peran/<int:assignment_id>/cabut")
def role_revoke(assignment_id):
    _require_admin_area()
    assignment = get_or_404(RoleAssignment, assignment_id)
    employee = assignment.employee
    if not org.can_manage_employee(current_user, employee) and not org.is_admin(current_user):
        abort(404)
    if assignment.unit_id and not org.can_admin_unit(current_user, assignment.unit):
        abort(404)
    if (
        ConfirmForm().validate_on_submit()
        and attempt(lambda: org.revoke_role(_actor(), assignment)).ok
    ):
        flash(_("Role revoked."), "success")
    return _see_other("admin.employee_edit", employee_id=employee.id)


@bp.get("/peran")
def roles():
    _require_admin_area()
    query = (
        RoleAssignment.select(RoleAssignment, Employee, Unit)
        .join(Employee, on=(RoleAssignment.employee == Employee.id))
        .switch(RoleAssignment)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(RoleAssignment.unit == Unit.id))
        .order_by(RoleAssignment.role, Employee.nama)
    )
    rows = [
        row
        for row in query
        if org.can_manage_employee(current_user, row.employee)
        and (row.unit_id is None or org.can_admin_unit(current_user, row.unit))
    ]
    return respond("admin/roles.html", rows=rows, role_label=org.role_label)


# --- import ---------------------------------------------------------------------------------


@bp.route("/impor", methods=["GET", "POST"])
def import_page():
    _require_admin_area()
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
            job = services.start_job(_actor(), token, upload.filename)
            try:
                plan = services.run_import(_actor(), upload.stream, upload.filename, job)
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
    _require_admin_area()
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
    _require_admin_area()
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
    _require_full_admin()
    values = settings.get_many(list(settings.DEFINITIONS))
    errors = {}
    status = 200
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        errors = services.save_settings(_actor(), request.form)
        if errors:
            status = 422
            values = {**values, **{key: request.form.get(key, "") for key in errors}}
            flash(_("Some settings are not valid; nothing was saved."), "danger")
        else:
            flash(_("Settings saved."), "success")
            return _see_other("admin.settings_page")
    return respond(
        "admin/settings.html",
        status=status,
        groups=services.grouped_definitions(),
        values=values,
        errors=errors,
        form=form,
    )
