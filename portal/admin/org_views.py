"""Admin routes for the organisation: the unit tree, pegawai (data, atasan, active, password
reset, sessions) and roles. Who may change what is decided in portal/org/services.py."""

import peewee as pw
from flask import abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp, services
from portal.admin.common import acting_user, require_admin_area, see_other
from portal.admin.forms import ConfirmForm, EmployeeForm, RoleForm, UnitForm, choices
from portal.audit.models import AuditLog
from portal.auth import services as auth
from portal.db import get_or_404
from portal.errors import Invalid
from portal.org import editing
from portal.org import services as org
from portal.org.models import (
    ROLE_ADMIN,
    ROLE_ADMIN_OPD,
    ROLE_PENYELENGGARA,
    ROLE_PIMPINAN,
    Employee,
    RoleAssignment,
    Unit,
)
from portal.web import pagination, respond
from portal.web.forms import attempt, submit

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
    require_admin_area()
    tree = org.unit_tree(current_user)
    counts = dict(
        Employee.select(Employee.unit, pw.fn.COUNT(Employee.id))
        .where(Employee.active == True)  # noqa: E712
        .group_by(Employee.unit)
        .tuples()
    )
    return respond("admin/units.html", tree=tree, counts=counts)


def _unit_input(form, active=True):
    parent = None
    if (form.parent.data or "").isdigit():
        parent = Unit.get_or_none(Unit.id == int(form.parent.data))
    return editing.UnitInput(
        kode=form.kode.data,
        nama=form.nama.data,
        jenis=form.jenis.data,
        parent=parent,
        work_days=int(form.work_days.data) if form.work_days.data in ("5", "6") else 5,
        active=active,
    )


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    require_admin_area()
    form = UnitForm()
    form.parent.choices = _unit_choices(current_user)
    if request.method == "GET" and request.args.get("induk"):
        form.parent.data = request.args["induk"]
    status = 200
    if request.method == "POST":
        outcome = submit(form, lambda: editing.create_unit(acting_user(), _unit_input(form)))
        if outcome.ok:
            flash(_("Unit %(nama)s saved.", nama=outcome.result.nama), "success")
            return see_other("admin.units")
        status = outcome.status
    return respond("admin/unit_form.html", "unit_form", status=status, form=form, unit=None)


@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id):
    require_admin_area()
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
            lambda: editing.update_unit(acting_user(), unit, _unit_input(form, form.active.data)),
        )
        if outcome.ok:
            flash(_("Unit %(nama)s saved.", nama=unit.nama), "success")
            return see_other("admin.units")
        status = outcome.status
    return respond("admin/unit_form.html", "unit_form", status=status, form=form, unit=unit)


# --- pegawai --------------------------------------------------------------------------------


@bp.get("/pegawai")
def employees():
    require_admin_area()
    text = request.args.get("q", "").strip()[:100]
    unit_id = request.args.get("unit", type=int)
    inactive = request.args.get("nonaktif") == "1"
    page = services.employee_page(
        current_user,
        text,
        unit_id,
        inactive,
        pagination.page_number(request.args),
        {"q": text, "unit": unit_id, "nonaktif": "1" if inactive else ""},
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
    return editing.EmployeeInput(
        **{name: getattr(form, name).data for name in editing.EMPLOYEE_FIELDS}
    )


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
    require_admin_area()
    form = EmployeeForm()
    _employee_form_setup(form)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: editing.create_employee(acting_user(), _employee_data(form), *_resolve(form)),
        )
        if outcome.ok:
            employee = outcome.result
            flash(_("Pegawai %(nama)s saved.", nama=employee.nama), "success")
            return see_other("admin.employee_edit", employee_id=employee.id)
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
        (ROLE_PIMPINAN, org.role_label(ROLE_PIMPINAN)),
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
    require_admin_area()
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
            lambda: editing.update_employee(
                acting_user(), employee, _employee_data(form), *_resolve(form)
            ),
        )
        if outcome.ok:
            flash(_("Pegawai %(nama)s saved.", nama=employee.nama), "success")
            return see_other("admin.employee_edit", employee_id=employee.id)
        status = outcome.status
    return _employee_page(employee, form, status)


def _saved_form(employee):
    """The pegawai form as stored (what the GET page shows)."""
    form = EmployeeForm(obj=employee)
    _employee_form_setup(form)
    form.unit.data = str(employee.unit_id)
    form.atasan_nip.data = employee.supervisor.nip if employee.supervisor_id else ""
    return form


def _employee_button(employee_id, action, then):
    """A button of the pegawai page: `action(employee)`; a refusal shows the page again with the
    message (422), else `then(employee, result)` answers."""
    require_admin_area()
    employee = _managed_employee(employee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: action(employee))
    if not outcome.ok:
        return _employee_page(employee, _saved_form(employee), outcome.status)
    return then(employee, outcome.result)


def _back_to(employee, message):
    flash(message, "success")
    return see_other("admin.employee_edit", employee_id=employee.id)


@bp.post("/pegawai/<int:employee_id>/status")
def employee_active(employee_id):
    activate = request.form.get("aktif") == "1"

    def back(employee, _result):
        if activate:
            return _back_to(employee, _("%(nama)s is active again.", nama=employee.nama))
        return _back_to(
            employee,
            _("%(nama)s has been deactivated; their sessions have ended.", nama=employee.nama),
        )

    return _employee_button(
        employee_id, lambda employee: editing.set_active(acting_user(), employee, activate), back
    )


@bp.post("/pegawai/<int:employee_id>/reset-sandi")
def employee_reset(employee_id):
    def show_password(employee, temporary):
        flash(_("The password of %(nama)s has been reset.", nama=employee.nama), "success")
        return _employee_page(employee, _saved_form(employee), 200, temporary=temporary)

    return _employee_button(
        employee_id,
        lambda employee: auth.reset_password(acting_user(), employee),
        show_password,
    )


@bp.post("/pegawai/<int:employee_id>/akhiri-sesi")
def employee_end_sessions(employee_id):
    return _employee_button(
        employee_id,
        lambda employee: auth.end_sessions_by_admin(acting_user(), employee),
        lambda employee, _result: _back_to(
            employee, _("Every session of %(nama)s has been ended.", nama=employee.nama)
        ),
    )


# --- roles ----------------------------------------------------------------------------------


@bp.post("/pegawai/<int:employee_id>/peran")
def role_grant(employee_id):
    require_admin_area()
    employee = _managed_employee(employee_id)
    form = _role_form(employee)
    if form.validate_on_submit():
        unit = Unit.get_or_none(Unit.id == (form.unit.data or 0))
        if attempt(lambda: editing.assign_role(acting_user(), employee, form.role.data, unit)).ok:
            flash(_("Role granted."), "success")
    return see_other("admin.employee_edit", employee_id=employee.id)


@bp.post("/peran/<int:assignment_id>/cabut")
def role_revoke(assignment_id):
    require_admin_area()
    assignment = get_or_404(RoleAssignment, assignment_id)
    employee = assignment.employee
    if not org.can_manage_employee(current_user, employee) and not org.is_admin(current_user):
        abort(404)
    if assignment.unit_id and not org.can_admin_unit(current_user, assignment.unit):
        abort(404)
    if (
        ConfirmForm().validate_on_submit()
        and attempt(lambda: editing.revoke_role(acting_user(), assignment)).ok
    ):
        flash(_("Role revoked."), "success")
    return see_other("admin.employee_edit", employee_id=employee.id)


@bp.get("/peran")
def roles():
    require_admin_area()
    rows = services.role_assignments(current_user)
    return respond("admin/roles.html", rows=rows, role_label=org.role_label)
