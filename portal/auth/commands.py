"""Flask commands that set passwords: seed-demo (the demo city and its demo accounts),
demo-logins and create-admin.

They live in auth, not org, because they hash and check passwords (auth's business) and auth
may depend on org, never the other way round.
"""

import random
import time
import traceback

import click
from flask import current_app

from portal.activities import month_totals
from portal.audit.services import record
from portal.auth.passwords import hash_password
from portal.auth.policy import check_password
from portal.clock import local_today
from portal.db import analyze, db
from portal.domains import DOMAINS, domain_module
from portal.errors import Invalid
from portal.org import seed
from portal.org.editing import EmployeeInput, check_employee_data
from portal.org.models import ROLE_ADMIN, Employee, RoleAssignment, Unit


def _refuse_in_production():
    if current_app.config["PRODUCTION"]:
        raise click.ClickException(
            "Data demo dan kata sandi demo tidak boleh dipakai di lingkungan produksi."
        )


def domain_demo_modules():
    """The demo modules of the domains (portal/<domain>/demo.py), in DOMAINS order."""
    modules = []
    for domain in DOMAINS:
        module = domain_module(domain, "demo")
        if module is not None:
            modules.append((domain, module))
    return modules


def run_seed(pegawai=150, seed_value=2026, echo=click.echo, with_progress=True):
    """Seed units, pegawai, the demo accounts, then every domain's demo.seed(rng, context)."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    password_hash = hash_password(current_app.config["DEMO_PASSWORD"])
    extra = max(0, pegawai - 150)
    if with_progress and extra > 0:
        with click.progressbar(length=pegawai, label="Pegawai") as bar:
            bar.update(0)
            context = seed.seed(
                rng,
                local_today(),
                password_hash,
                pegawai,
                current_app.config["PEMDA_SHORT"],
                progress=bar.update,
            )
            bar.update(max(0, pegawai - bar.pos))
    else:
        context = seed.seed(
            rng, local_today(), password_hash, pegawai, current_app.config["PEMDA_SHORT"]
        )
    echo(
        f"Unit kerja: {len(context['units'])}, pegawai: {len(context['employees'])} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    for domain, module in domain_demo_modules():
        begun = time.perf_counter()
        try:
            with db.atomic():  # a failing domain leaves nothing half-made behind
                module.seed(rng, context)
        except Exception:  # one broken domain demo must not stop `make run`
            click.echo(f"PERINGATAN: data demo {domain} gagal dibuat:", err=True)
            click.echo(traceback.format_exc(limit=5), err=True)
            continue
        echo(f"Data demo {domain}: {time.perf_counter() - begun:.1f} s")
    # the demos write entries in bulk, past the lifecycle: their monthly totals at once
    month_totals.rebuild_all()
    analyze()  # the planner's statistics of what was just loaded
    echo(f"Selesai dalam {time.perf_counter() - started:.1f} s.")
    return context


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has pegawai.")
@click.option("--pegawai", "count", default=150, show_default=True, type=click.IntRange(100))
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int)
def seed_demo_command(if_empty, count, seed_value):
    """Fill an empty database with a fictional Pemerintah Kota (units, pegawai, demo data)."""
    _refuse_in_production()
    db.connect(reuse_if_open=True)
    if Employee.select().exists():
        if if_empty:
            click.echo("Basis data sudah berisi pegawai; data demo tidak dibuat.")
            return
        raise click.ClickException(
            "Basis data sudah berisi pegawai. seed-demo hanya untuk basis data kosong."
        )
    run_seed(count, seed_value)


@click.command("demo-logins")
def demo_logins_command():
    """Print the demo accounts (one per role) and the shared demo password."""
    _refuse_in_production()
    db.connect(reuse_if_open=True)
    accounts = seed.demo_accounts(current_app.config["PEMDA_SHORT"])
    if not accounts:
        click.echo("Belum ada akun demo. Jalankan: flask --app portal seed-demo")
        return
    labels = {
        "admin": "Admin",
        "admin_opd": "Admin OPD",
        "penyelenggara": "Penyelenggara",
        "pimpinan": "Pimpinan",
        "atasan": "Atasan",
        "pegawai": "Pegawai",
    }
    click.echo("Akun demo (kata sandi sama untuk semua):")
    for key, employee in accounts:
        click.echo(f"  {labels[key]:<14} NIP {employee.nip}  {employee.email}  ({employee.nama})")
    click.echo(f"  Kata sandi: {current_app.config['DEMO_PASSWORD']}")


@click.command("create-admin")
@click.option("--nip", prompt="NIP")
@click.option("--nama", prompt="Nama lengkap")
@click.option("--email", prompt="E-mail", default="", show_default=False)
@click.option("--unit-kode", default="", help="Code of the unit (created as SETDA when none).")
@click.option(
    "--password", prompt="Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi"
)
def create_admin_command(nip, nama, email, unit_kode, password):
    """Create (or promote) an admin account."""
    db.connect(reuse_if_open=True)
    try:
        clean = check_employee_data(EmployeeInput(nip=nip, nama=nama, email=email, status="PNS"))
        check_password(password, nip=clean["nip"], nama=clean["nama"])
    except Invalid as error:  # a bad NIP or name, or a weak password
        raise click.ClickException(str(error)) from None
    with db.atomic():
        if unit_kode:
            unit = Unit.get_or_none(Unit.kode == unit_kode.upper())
            if unit is None:
                raise click.ClickException(f"Unit kerja {unit_kode} tidak ditemukan.")
        else:
            unit = Unit.select().order_by(Unit.path).first()
            if unit is None:
                unit = Unit.create(
                    kode="SETDA", nama="Sekretariat Daerah", jenis="Sekretariat Daerah"
                )
                unit.path = f"/{unit.id}/"
                unit.save()
        employee = Employee.get_or_none(Employee.nip == clean["nip"])
        if employee is None:
            clean["jabatan"] = clean.get("jabatan") or "Administrator Portal"
            employee = Employee.create(**clean, unit=unit)
        employee.password_hash = hash_password(password)
        employee.must_change_password = False
        employee.active = True
        employee.save()
        if (
            not RoleAssignment.select()
            .where(RoleAssignment.employee == employee.id, RoleAssignment.role == ROLE_ADMIN)
            .exists()
        ):
            RoleAssignment.create(employee=employee, role=ROLE_ADMIN, unit=None)
        record(None, "role.grant", employee, after={"role": ROLE_ADMIN}, note="create-admin")
    click.echo(f"Admin siap: {employee.nama} (NIP {employee.nip}).")


COMMANDS = [seed_demo_command, demo_logins_command, create_admin_command]
