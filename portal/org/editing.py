"""The changes admins make to the organisation: units (create, edit, move), pegawai (create,
edit, atasan, deactivate) and roles (grant, revoke). Each checks the actor's rights with the rules
of portal/org/services.py, runs in one transaction and writes one audit row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import write_transaction
from portal.errors import Invalid
from portal.org.models import (
    JENIS_JABATAN,
    ROLE_ADMIN,
    ROLES,
    STATUSES,
    UNIT_TYPES,
    Employee,
    RoleAssignment,
    Unit,
    golongan_error,
)
from portal.org.nip import is_pppk_nip, validate_nip
from portal.org.services import (
    can_admin_unit,
    can_manage_employee,
    is_admin,
    supervisor_chain,
)
from portal.web.validators import visible_text


@dataclass(frozen=True)
class UnitInput:
    """A unit as an admin describes it (the service cleans and checks every field)."""

    kode: str
    nama: str
    jenis: str
    parent: Unit | None = None
    work_days: int = 5
    active: bool = True

    @property
    def kode_clean(self) -> str:
        return visible_text(self.kode).upper()

    @property
    def nama_clean(self) -> str:
        return visible_text(self.nama)


@dataclass(frozen=True)
class EmployeeInput:
    """The plain fields of a pegawai as typed (unit and atasan are passed as rows beside it)."""

    nip: str | None
    nama: str | None
    email: str | None = None
    status: str | None = "PNS"
    golongan: str | None = None
    jenis_jabatan: str | None = None
    jabatan: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- units ----------------------------------------------------------------------------------


def _unit_snapshot(unit):
    return {
        "kode": unit.kode,
        "nama": unit.nama,
        "jenis": unit.jenis,
        "parent": unit.parent_id,
        "work_days": unit.work_days,
        "active": unit.active,
    }


def _check_unit_fields(kode, nama, jenis, work_days):
    if not kode or not nama:
        raise Invalid(_("Code and name are required."))
    if jenis not in UNIT_TYPES:
        raise Invalid(_("Unknown unit type."))
    if work_days not in (5, 6):
        raise Invalid(_("The work week must be 5 or 6 days."))


def create_unit(actor: Employee, data: UnitInput) -> Unit:
    """Admin creates any unit; admin OPD only below a unit of their subtree."""
    kode, nama, jenis = data.kode_clean, data.nama_clean, data.jenis
    parent, work_days = data.parent, data.work_days
    if parent is None and not is_admin(actor):
        raise Invalid(_("Only the admin may create a top-level unit."))
    if parent is not None and not can_admin_unit(actor, parent):
        raise Invalid(_("You may not add units below this unit."))
    _check_unit_fields(kode, nama, jenis, work_days)
    with write_transaction():
        if Unit.select().where(Unit.kode == kode).exists():
            raise Invalid(_("Unit code %(kode)s is already used.", kode=kode))
        unit = Unit.create(kode=kode, nama=nama, jenis=jenis, parent=parent, work_days=work_days)
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.save()
        record(actor, "unit.create", unit, after=_unit_snapshot(unit))
    return unit


def update_unit(actor: Employee, unit: Unit, data: UnitInput) -> Unit:
    """Edit a unit; moving it below itself (a cycle) is refused; the subtree's paths follow."""
    if not can_admin_unit(actor, unit):
        raise Invalid(_("You may not change this unit."))
    kode, nama, jenis = data.kode_clean, data.nama_clean, data.jenis
    parent, work_days, active = data.parent, data.work_days, data.active
    _check_unit_fields(kode, nama, jenis, work_days)
    if parent is not None:
        if unit.contains(parent):
            raise Invalid(_("A unit cannot be placed below itself."))
        if not can_admin_unit(actor, parent):
            raise Invalid(_("You may not move the unit there."))
    elif unit.parent_id is not None and not is_admin(actor):
        raise Invalid(_("Only the admin may create a top-level unit."))
    with write_transaction():
        if Unit.select().where(Unit.kode == kode, Unit.id != unit.id).exists():
            raise Invalid(_("Unit code %(kode)s is already used.", kode=kode))
        before = _unit_snapshot(unit)
        old_path = unit.path
        new_path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.kode, unit.nama, unit.jenis = kode, nama, jenis
        unit.parent, unit.work_days, unit.active = parent, work_days, bool(active)
        unit.path = new_path
        unit.save()
        if new_path != old_path:
            for child in Unit.select().where(Unit.path.startswith(old_path), Unit.id != unit.id):
                child.path = new_path + child.path[len(old_path) :]
                child.save()
        old, new = changes(before, _unit_snapshot(unit))
        if new:
            record(actor, "unit.update", unit, before=old, after=new, note=unit.kode)
    return unit


# --- pegawai --------------------------------------------------------------------------------

EMPLOYEE_FIELDS = ("nip", "nama", "email", "status", "golongan", "jenis_jabatan", "jabatan")
"""The fields of EmployeeInput, in the order of the admin's form."""


def employee_snapshot(employee: Employee) -> dict[str, Any]:
    """What the audit log keeps of a pegawai: readable values (unit code, atasan's NIP)."""
    unit = Unit.get_or_none(Unit.id == employee.unit_id) if employee.unit_id else None
    boss = (
        Employee.get_or_none(Employee.id == employee.supervisor_id)
        if employee.supervisor_id
        else None
    )
    return {
        "nip": employee.nip,
        "nama": employee.nama,
        "email": employee.email,
        "status": employee.status,
        "golongan": employee.golongan,
        "jenis_jabatan": employee.jenis_jabatan,
        "jabatan": employee.jabatan,
        "unit": unit.kode if unit else None,
        "atasan": boss.nip if boss else None,
        "active": employee.active,
    }


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed: ({key: old}, {key: new})."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def check_employee_data(data: EmployeeInput | Mapping[str, Any]) -> dict[str, Any]:
    """Validate the plain fields of a pegawai; return them cleaned or raise Invalid."""
    if isinstance(data, EmployeeInput):
        data = data.as_dict()
    clean: dict[str, Any] = {}
    status = data.get("status") or "PNS"
    if status not in STATUSES:
        raise Invalid(_("Unknown employment status."))
    if is_pppk_nip(data.get("nip")):
        status = "PPPK"  # the NIP's form is authoritative: a PNS NIP cannot have it
    clean["status"] = status
    clean["nip"] = validate_nip(data.get("nip"), "PPPK" if status == "PPPK" else "PNS")
    nama = " ".join(visible_text(data.get("nama")).split())
    if not nama:
        raise Invalid(_("Name is required."))
    clean["nama"] = nama[:150]
    email = (data.get("email") or "").strip().lower() or None
    if email and ("@" not in email or " " in email or len(email) > 254):
        raise Invalid(_("The e-mail address is not valid."))
    clean["email"] = email
    golongan = (data.get("golongan") or "").strip() or None
    if golongan and golongan_error(golongan, status):
        raise Invalid(_("Unknown golongan/ruang %(value)s.", value=golongan))
    clean["golongan"] = golongan
    jenis = data.get("jenis_jabatan") or "Pelaksana"
    if jenis not in JENIS_JABATAN:
        raise Invalid(_("Unknown position type %(value)s.", value=jenis))
    clean["jenis_jabatan"] = jenis
    clean["jabatan"] = (data.get("jabatan") or "").strip()[:200]
    return clean


def would_cycle(employee_id: int | None, supervisor: Employee | None) -> bool:
    """True when making `supervisor` the atasan of `employee_id` closes a loop."""
    if supervisor is None:
        return False
    if supervisor.id == employee_id:
        return True
    return any(boss.id == employee_id for boss in supervisor_chain(supervisor, limit=10_000))


def _check_supervisor(employee_id, supervisor):
    if supervisor is None:
        return
    if employee_id is not None and supervisor.id == employee_id:
        raise Invalid(_("A pegawai cannot be their own atasan."))
    if employee_id is not None and would_cycle(employee_id, supervisor):
        raise Invalid(_("This atasan would make a cycle in the chain of supervisors."))
    if not supervisor.active:
        raise Invalid(_("The chosen atasan is no longer active."))


def create_employee(
    actor: Employee, data: EmployeeInput, unit: Unit, supervisor: Employee | None = None
) -> Employee:
    """Admin (or admin OPD of `unit`) adds a pegawai; NIP and e-mail are unique."""
    if not can_admin_unit(actor, unit):
        raise Invalid(_("You may not add pegawai to this unit."))
    clean = check_employee_data(data)
    _check_supervisor(None, supervisor)
    with write_transaction():
        _check_unique(clean, None)
        employee = Employee.create(**clean, unit=unit, supervisor=supervisor)
        record(actor, "employee.create", employee, after=employee_snapshot(employee))
    return employee


def _check_unique(clean, employee_id):
    query = Employee.select().where(Employee.nip == clean["nip"])
    if employee_id:
        query = query.where(Employee.id != employee_id)
    if query.exists():
        raise Invalid(_("NIP %(nip)s is already registered.", nip=clean["nip"]))
    if clean.get("email"):
        query = Employee.select().where(Employee.email == clean["email"])
        if employee_id:
            query = query.where(Employee.id != employee_id)
        if query.exists():
            raise Invalid(_("The e-mail %(email)s is already used.", email=clean["email"]))


def update_employee(
    actor: Employee,
    employee: Employee,
    data: EmployeeInput,
    unit: Unit,
    supervisor: Employee | None = None,
) -> Employee:
    """Edit a pegawai's data, unit and atasan; the chain of atasan never forms a cycle."""
    if not can_manage_employee(actor, employee) or not can_admin_unit(actor, unit):
        raise Invalid(_("You may not change this pegawai."))
    clean = check_employee_data(data)
    if supervisor is not None and supervisor.id != employee.supervisor_id:
        _check_supervisor(employee.id, supervisor)
    elif supervisor is not None and would_cycle(employee.id, supervisor):
        raise Invalid(_("This atasan would make a cycle in the chain of supervisors."))
    with write_transaction():
        _check_unique(clean, employee.id)
        before = employee_snapshot(employee)
        for key, value in clean.items():
            setattr(employee, key, value)
        employee.unit = unit
        employee.supervisor = supervisor
        employee.save()
        old, new = changes(before, employee_snapshot(employee))
        if new:
            record(
                actor,
                "employee.update",
                employee,
                before=old,
                after=new,
                note=f"{employee.nip} {employee.nama}",
            )
    return employee


def set_active(actor: Employee, employee: Employee, active: bool) -> Employee:
    """Deactivate (or reactivate) a pegawai; never a hard delete. Deactivation ends sessions."""
    if not can_manage_employee(actor, employee):
        raise Invalid(_("You may not change this pegawai."))
    if actor.id == employee.id and not active:
        raise Invalid(_("You cannot deactivate your own account."))
    with write_transaction():
        before = {"active": employee.active}
        employee.active = bool(active)
        if not active:
            employee.session_version += 1
        employee.save()
        record(
            actor,
            "employee.deactivate" if not active else "employee.activate",
            employee,
            before=before,
            after={"active": employee.active},
        )
    return employee


# --- roles ----------------------------------------------------------------------------------


def assign_role(
    actor: Employee, employee: Employee, role: str, unit: Unit | None = None
) -> RoleAssignment:
    """Only the admin grants admin; admin OPD grants admin OPD/penyelenggara in their subtree."""
    if role not in ROLES:
        raise Invalid(_("Unknown role."))
    if role == ROLE_ADMIN:
        if not is_admin(actor):
            raise Invalid(_("Only the admin may grant the admin role."))
        unit = None
    else:
        if unit is None:
            raise Invalid(_("Choose the unit of this role."))
        if not can_admin_unit(actor, unit) or not can_manage_employee(actor, employee):
            raise Invalid(_("You may not grant roles in this unit."))
    with write_transaction():
        exists = RoleAssignment.select().where(
            RoleAssignment.employee == employee.id,
            RoleAssignment.role == role,
            (RoleAssignment.unit.is_null()) if unit is None else (RoleAssignment.unit == unit.id),
        )
        if exists.exists():
            raise Invalid(_("This pegawai already holds that role."))
        row = RoleAssignment.create(employee=employee, role=role, unit=unit)
        record(
            actor,
            "role.grant",
            employee,
            after={"role": role, "unit": unit.id if unit else None},
        )
    employee.__dict__.pop("_role_rows", None)
    return row


def revoke_role(actor: Employee, assignment: RoleAssignment) -> None:
    """Remove a role; the last admin cannot remove their own admin role."""
    employee = assignment.employee
    if assignment.role == ROLE_ADMIN:
        if not is_admin(actor):
            raise Invalid(_("Only the admin may revoke the admin role."))
        admins = RoleAssignment.select().where(RoleAssignment.role == ROLE_ADMIN).count()
        if admins <= 1:
            raise Invalid(_("The last admin cannot be removed."))
    elif not can_admin_unit(actor, assignment.unit):
        raise Invalid(_("You may not revoke roles in this unit."))
    with write_transaction():
        record(
            actor,
            "role.revoke",
            employee,
            before={"role": assignment.role, "unit": assignment.unit_id},
        )
        assignment.delete_instance()
    employee.__dict__.pop("_role_rows", None)
