"""Import pegawai from CSV or XLSX (the usual export of a personnel system): the rules.

The rule: every row is validated first (bad NIP, unknown unit or atasan, a cycle of atasan,
duplicates, unknown values) and nothing is imported until the whole file is clean. Rows are
matched by NIP, so importing the same file again changes nothing. Writing happens in one
transaction with bulk inserts; every created or changed pegawai gets an audit row.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from portal.audit import services as audit
from portal.db import db, utcnow
from portal.org.models import (
    JENIS_JABATAN,
    ROLE_ADMIN_OPD,
    ROLE_PENYELENGGARA,
    ROLE_PIMPINAN,
    STATUSES,
    UNIT_TYPES,
    Employee,
    RoleAssignment,
    Unit,
    golongan_error,
)
from portal.org.nip import NipError, is_pppk_nip, validate_nip
from portal.org.services import can_admin_unit, is_admin
from portal.web.validators import visible_text

ROLE_NAMES = {
    "admin_opd": ROLE_ADMIN_OPD,
    "admin opd": ROLE_ADMIN_OPD,
    "penyelenggara": ROLE_PENYELENGGARA,
    "pimpinan": ROLE_PIMPINAN,
}
FIELDS = ["nama", "email", "status", "golongan", "jenis_jabatan", "jabatan"]
PROGRESS_EVERY = 500


@dataclass
class RowError:
    line: int
    nip: str
    message: str


@dataclass
class Plan:
    rows: list = field(default_factory=list)  # cleaned dicts
    errors: list = field(default_factory=list)
    new_units: dict = field(default_factory=dict)  # kode -> (nama, jenis)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return _(
            "%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            rows=format_decimal(len(self.rows)),
            created=format_decimal(self.created),
            updated=format_decimal(self.updated),
            unchanged=format_decimal(self.unchanged),
        )


# --- validating -----------------------------------------------------------------------------


def _unit_type_from_name(nama):
    lowered = nama.lower()
    for jenis in (
        "Sekretariat Daerah",
        "Sekretariat DPRD",
        "Inspektorat",
        "Kecamatan",
        "Kelurahan",
        "UPT",
        "Badan",
        "Dinas",
    ):
        if lowered.startswith(jenis.lower()):
            return jenis
    return "Dinas"


def _clean(row, errors):
    """Check one row's own fields; append RowErrors; return the cleaned dict or None."""
    line, nip_text = row["line"], row["nip"]

    def fail(message):
        errors.append(RowError(line, nip_text, message))
        return

    if row.get("nip_is_number"):
        return fail(
            _(
                "The NIP is stored as a number in Excel and has lost digits; "
                "format the column as text."
            )
        )
    status = (row["status"] or ("PPPK" if is_pppk_nip(nip_text) else "PNS")).upper()
    if status not in STATUSES:
        return fail(_("Unknown employment status %(value)s.", value=row["status"]))
    if is_pppk_nip(nip_text):
        status = "PPPK"  # the NIP's form is authoritative: a PNS NIP cannot have it
    try:
        nip = validate_nip(nip_text, "PPPK" if status == "PPPK" else "PNS")
    except NipError as error:
        return fail(str(error))
    nama = " ".join(visible_text(row["nama"]).split())
    if not nama:
        return fail(_("Name is required."))
    email = row["email"].strip().lower() or None
    if email and ("@" not in email or " " in email or len(email) > 254):
        return fail(_("The e-mail address is not valid."))
    golongan = row["golongan"].strip() or None
    if golongan:
        head, slash, tail = golongan.partition("/")
        golongan = f"{head.upper()}{slash}{tail.lower()}"
        if golongan_error(golongan, status):
            return fail(_("Unknown golongan/ruang %(value)s.", value=row["golongan"]))
    jenis_text = row["jenis_jabatan"].strip() or "Pelaksana"
    jenis = next((j for j in JENIS_JABATAN if j.lower() == jenis_text.lower()), None)
    if jenis is None:
        return fail(_("Unknown position type %(value)s.", value=jenis_text))
    roles = []
    for part in row["peran"].replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part not in ROLE_NAMES:
            return fail(_("Unknown role %(value)s.", value=part))
        roles.append(ROLE_NAMES[part])
    unit_kode = row["unit_kode"].strip().upper()
    if not unit_kode and not row["unit_nama"].strip():
        return fail(_("The unit code is required."))
    return {
        "line": line,
        "nip": nip,
        "nama": nama[:150],
        "email": email,
        "status": status,
        "golongan": golongan,
        "jenis_jabatan": jenis,
        "jabatan": row["jabatan"][:200],
        "unit_kode": unit_kode,
        "unit_nama": row["unit_nama"].strip(),
        "atasan_nip": row["atasan_nip"].replace(" ", ""),
        "roles": roles,
    }


def kode_from_name(nama: str) -> str:
    """A unit code made from a unit's name (for exports without codes), at most 32 chars."""
    kode = re.sub(r"[^A-Z0-9]+", "-", nama.upper()).strip("-") or "UNIT"
    if len(kode) > 32:
        kode = kode[:25].rstrip("-") + "-" + hashlib.sha256(nama.encode()).hexdigest()[:6].upper()
    return kode


def validate(
    rows: list[dict[str, Any]],
    actor: Employee | None = None,
    progress: Callable[[int], object] | None = None,
) -> Plan:
    """Check every row against the others and the database; return a Plan (errors or not).

    `actor` None is the command line (full rights); otherwise every unit touched and every
    existing pegawai updated must be within what the actor administers.
    """
    plan = Plan()
    errors = plan.errors
    units = {unit.kode: unit for unit in Unit.select()}
    units_by_name = {unit.nama.strip().lower(): unit for unit in units.values()}
    units_by_id = {unit.id: unit for unit in units.values()}
    existing = {
        nip: (pk, email, supervisor_id, unit_id)
        for nip, pk, email, supervisor_id, unit_id in Employee.select(
            Employee.nip, Employee.id, Employee.email, Employee.supervisor, Employee.unit
        ).tuples()
    }
    emails = {email: nip for nip, (_pk, email, _s, _u) in existing.items() if email}
    id_to_nip = {pk: nip for nip, (pk, *_rest) in existing.items()}
    seen_nip: dict[str, int] = {}
    seen_email: dict[str, str] = {}
    allowed_units = {}

    def unit_allowed(unit):
        if actor is None:
            return True
        if unit.id not in allowed_units:
            allowed_units[unit.id] = can_admin_unit(actor, unit)
        return allowed_units[unit.id]

    for count, row in enumerate(rows, start=1):
        clean = _clean(row, errors)
        if progress and count % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
        if clean is None:
            continue
        line, nip = clean["line"], clean["nip"]
        if nip in seen_nip:
            errors.append(
                RowError(
                    line,
                    nip,
                    _("NIP appears twice in the file (also on row %(line)d).", line=seen_nip[nip]),
                )
            )
            continue
        seen_nip[nip] = line
        email = clean["email"]
        if email:
            if email in seen_email:
                errors.append(
                    RowError(
                        line, nip, _("E-mail %(email)s appears twice in the file.", email=email)
                    )
                )
                continue
            seen_email[email] = nip
            if emails.get(email, nip) != nip:
                errors.append(
                    RowError(line, nip, _("The e-mail %(email)s is already used.", email=email))
                )
                continue
        if not clean["unit_kode"]:  # an export with only the unit's name (SIASN's UNOR NAMA)
            named = units_by_name.get(clean["unit_nama"].lower())
            clean["unit_kode"] = named.kode if named else kode_from_name(clean["unit_nama"])
        kode = clean["unit_kode"]
        unit = units.get(kode)
        if unit is None and kode in plan.new_units:
            pass
        elif unit is None:
            if not clean["unit_nama"]:
                errors.append(
                    RowError(
                        line,
                        nip,
                        _("Unknown unit code %(kode)s (fill unit_nama to create it).", kode=kode),
                    )
                )
                continue
            if actor is not None and not is_admin(actor):
                errors.append(RowError(line, nip, _("Only the admin may create a top-level unit.")))
                continue
            plan.new_units.setdefault(
                kode, (clean["unit_nama"][:200], _unit_type_from_name(clean["unit_nama"]))
            )
        elif not unit_allowed(unit):
            errors.append(RowError(line, nip, _("You may not add pegawai to this unit.")))
            continue
        if (
            nip in existing
            and actor is not None
            and not unit_allowed(units_by_id[existing[nip][3]])
        ):
            errors.append(RowError(line, nip, _("You may not change this pegawai.")))
            continue
        if clean["atasan_nip"] == nip:
            errors.append(RowError(line, nip, _("A pegawai cannot be their own atasan.")))
            continue
        plan.rows.append(clean)
    if progress:
        progress(len(rows) % PROGRESS_EVERY)
    if errors and not plan.rows:
        return plan
    # Atasan: known (in the file or registered), and no cycle in the resulting chains.
    file_nips = {row["nip"] for row in plan.rows}
    bad_lines = {error.line for error in errors}
    supervisor_of = {
        nip: id_to_nip.get(supervisor_id) for nip, (_pk, _e, supervisor_id, _u) in existing.items()
    }
    for row in plan.rows:
        atasan = row["atasan_nip"]
        if atasan and atasan not in file_nips and atasan not in existing:
            errors.append(
                RowError(row["line"], row["nip"], _("Unknown atasan NIP %(nip)s.", nip=atasan))
            )
            bad_lines.add(row["line"])
            continue
        supervisor_of[row["nip"]] = atasan or None
    state: dict[str, str] = {}  # nip -> "ok" | "cycle"
    for row in plan.rows:
        if row["line"] in bad_lines:
            continue
        path, node = [], row["nip"]
        on_path = set()
        verdict = "ok"
        while node is not None:
            if state.get(node):
                verdict = state[node]
                break
            if node in on_path:
                verdict = "cycle"
                break
            on_path.add(node)
            path.append(node)
            node = supervisor_of.get(node)
        for visited in path:
            state[visited] = verdict if verdict == "ok" else state.get(visited, "cycle")
        if verdict == "cycle":
            errors.append(
                RowError(
                    row["line"],
                    row["nip"],
                    _("This atasan would make a cycle in the chain of supervisors."),
                )
            )
    errors.sort(key=lambda error: error.line)
    return plan


# --- writing --------------------------------------------------------------------------------


def _audit_entries(actor, changes):
    """One audit entry per (action, pegawai id, before, after), all noted "impor"."""
    return [
        audit.Entry(actor, action, pk, before, after, note="impor", object_type="Employee")
        for action, pk, before, after in changes
    ]


def apply(
    plan: Plan, actor: Employee | None = None, progress: Callable[[int], object] | None = None
) -> Plan:
    """Write a clean plan in one transaction; count created/updated/unchanged on the plan."""
    assert not plan.errors, "only a clean plan is imported"
    plan.created = plan.updated = plan.unchanged = 0
    now = utcnow()
    with db.atomic():
        units = {unit.kode: unit for unit in Unit.select()}
        for kode, (nama, jenis) in plan.new_units.items():
            if kode not in units:
                unit = Unit.create(
                    kode=kode, nama=nama, jenis=jenis if jenis in UNIT_TYPES else "Dinas"
                )
                unit.path = f"/{unit.id}/"
                unit.save()
                units[kode] = unit
        current = {
            row.nip: row
            for row in Employee.select(
                Employee.id,
                Employee.nip,
                *[getattr(Employee, name) for name in FIELDS],
                Employee.unit,
                Employee.supervisor,
            )
        }
        inserts: list[dict[str, Any]] = []
        audits: list[tuple[str, int | str, dict[str, Any] | None, dict[str, Any]]] = []
        updates = []
        for row in plan.rows:
            values = {name: row[name] for name in FIELDS}
            values["unit"] = units[row["unit_kode"]].id
            existing = current.get(row["nip"])
            if existing is None:
                inserts.append({"nip": row["nip"], **values, "created_at": now, "updated_at": now})
                continue
            before = {name: getattr(existing, name) for name in FIELDS}
            before["unit"] = existing.unit_id
            changed = {key: value for key, value in values.items() if before[key] != value}
            if changed:
                updates.append((existing.id, changed, before))
        for start in range(0, len(inserts), 500):
            Employee.insert_many(inserts[start : start + 500]).execute()
            if progress:
                progress(len(inserts[start : start + 500]))
        ids: dict[str, int] = dict(Employee.select(Employee.nip, Employee.id).tuples())
        supervisors: dict[int, int | None] = dict(
            Employee.select(Employee.id, Employee.supervisor).tuples()
        )
        new_nips = {row["nip"] for row in inserts}
        changed_ids = {}
        for pk, changed, before in updates:
            Employee.update(**changed, updated_at=now).where(Employee.id == pk).execute()
            changed_ids[pk] = (before, changed)
        for row in plan.rows:
            pk = ids[row["nip"]]
            wanted = ids.get(row["atasan_nip"]) if row["atasan_nip"] else None
            if supervisors.get(pk) != wanted:
                Employee.update(supervisor=wanted, updated_at=now).where(
                    Employee.id == pk
                ).execute()
                if row["nip"] not in new_nips:
                    before, changed = changed_ids.setdefault(pk, ({}, {}))
                    before.setdefault("supervisor", supervisors.get(pk))
                    changed["supervisor"] = wanted
        roles = {
            (row.employee_id, row.role, row.unit_id)
            for row in RoleAssignment.select(
                RoleAssignment.employee, RoleAssignment.role, RoleAssignment.unit
            )
        }
        new_roles = []
        for row in plan.rows:
            for role in row["roles"]:
                key = (ids[row["nip"]], role, units[row["unit_kode"]].id)
                if key not in roles:
                    roles.add(key)
                    new_roles.append(
                        {
                            "employee": key[0],
                            "role": role,
                            "unit": key[2],
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    changed_ids.setdefault(key[0], ({}, {}))[1].setdefault("roles", []).append(role)
        if new_roles:
            RoleAssignment.insert_many(new_roles).execute()
        for row in inserts:
            audits.append(
                (
                    "employee.import_create",
                    ids[row["nip"]],
                    None,
                    {k: v for k, v in row.items() if k not in ("created_at", "updated_at")},
                )
            )
        for pk, (before, changed) in changed_ids.items():
            if pk in {ids[n] for n in new_nips}:
                continue
            audits.append(("employee.import_update", pk, before, changed))
        audit.record_many(_audit_entries(actor, audits), chunk=500)
        plan.created = len(inserts)
        plan.updated = len([a for a in audits if a[0] == "employee.import_update"])
        plan.unchanged = len(plan.rows) - plan.created - plan.updated
        summary = {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}
        audit.record_many(_audit_entries(actor, [("employee.import", "", None, summary)]))
        if progress:
            progress(len(plan.rows) - len(inserts))
    return plan
