"""The commands: seed-demo, demo-logins, create-admin, import-pegawai."""

import sys
import types

import pytest

from portal.auth import commands  # seed-demo, demo-logins, create-admin
from portal.org.models import Employee, RoleAssignment, Unit
from portal.org.nip import nip_error
from portal.org.services import subordinates, supervisor_chain


@pytest.fixture
def fake_domain_demo(monkeypatch):
    """A domain demo module that records the context it is given."""
    seen = {}
    module = types.SimpleNamespace(seed=lambda rng, context: seen.update(context))
    monkeypatch.setattr(commands, "domain_demo_modules", lambda: [("uji", module)])
    return seen


def test_seed_demo_builds_a_realistic_city_and_calls_every_domain_demo(runner, fake_domain_demo):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert Employee.select().count() == 150
    assert {"SETDA", "DISDIK", "DINKES", "DPMPTSP", "DLH", "DISDUKCAPIL", "KEC-UTARA"} <= {
        unit.kode for unit in Unit.select()
    }
    assert Unit.select().where(Unit.jenis == "Kecamatan").count() == 2
    assert all(nip_error(e.nip, e.status) is None for e in Employee.select())
    assert max(len(supervisor_chain(e)) for e in Employee.select()) >= 3  # four levels
    context = fake_domain_demo
    assert set(context) >= {
        "units",
        "employees",
        "admin",
        "admin_opd",
        "penyelenggara",
        "atasan",
        "pegawai",
        "today",
    }
    assert context["pegawai"].supervisor_id == context["atasan"].id
    assert 6 <= subordinates(context["atasan"]).count() <= 10
    assert context["admin"].is_admin
    assert RoleAssignment.select().where(RoleAssignment.role == "admin_opd").count() == 1
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "sudah berisi" in again.output
    assert Employee.select().count() == 150


def test_demo_logins_prints_one_account_per_role(runner, fake_domain_demo):
    runner.invoke(args=["seed-demo"])
    output = runner.invoke(args=["demo-logins"]).output
    for label in ("Admin ", "Admin OPD", "Penyelenggara", "Atasan", "Pegawai"):
        assert label in output
    assert "kinerja-demo-2026" in output


def test_demo_data_is_refused_in_production(app, runner):
    app.config["PRODUCTION"] = True
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "produksi" in result.output
    assert runner.invoke(args=["demo-logins"]).exit_code != 0
    assert Employee.select().count() == 0


def test_seed_demo_makes_benchmark_sized_data(runner, fake_domain_demo):
    result = runner.invoke(args=["seed-demo", "--pegawai", "1200"])
    assert result.exit_code == 0, result.output
    assert Employee.select().count() == 1200


def test_create_admin_by_options_checks_nip_and_password(runner):
    bad = runner.invoke(
        args=[
            "create-admin",
            "--nip",
            "1985",
            "--nama",
            "Rudi",
            "--email",
            "",
            "--password",
            "kopi pagi di taman kota",
        ]
    )
    assert bad.exit_code != 0 and "18 digit" in bad.output
    weak = runner.invoke(
        args=[
            "create-admin",
            "--nip",
            "198503122010011001",
            "--nama",
            "Rudi",
            "--email",
            "",
            "--password",
            "bismillah123",
        ]
    )
    assert weak.exit_code != 0
    good = runner.invoke(
        args=[
            "create-admin",
            "--nip",
            "198503122010011001",
            "--nama",
            "Rudi Hartono",
            "--email",
            "rudi@sukamaju.go.id",
            "--password",
            "kopi pagi di taman kota",
        ]
    )
    assert good.exit_code == 0, good.output
    admin = Employee.get(Employee.nip == "198503122010011001")
    assert admin.is_admin and admin.unit.kode == "SETDA"


def test_import_pegawai_command_reports_and_imports(runner, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(
        "nip,nama,unit_kode,unit_nama\n199001012015031001,Andi Pratama,DLH,"
        "Dinas Lingkungan Hidup\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-pegawai", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 baru" in result.output
    bad = tmp_path / "salah.csv"
    bad.write_text("nip,nama,unit_kode\n199013012015031001,Budi,DLH\n", encoding="utf-8")
    result = runner.invoke(args=["import-pegawai", str(bad)])
    assert result.exit_code == 1 and "baris 2" in result.output


def test_commands_are_registered(app):
    assert {"seed-demo", "demo-logins", "create-admin", "import-pegawai"} <= set(app.cli.commands)
    assert "portal.org.commands" in sys.modules and "portal.auth.commands" in sys.modules


def test_a_broken_domain_demo_is_reported_and_rolled_back(runner, monkeypatch):
    from portal.org.models import Unit as UnitModel

    def broken(rng, context):
        UnitModel.create(kode="SETENGAH", nama="Setengah jadi", jenis="Dinas")
        raise RuntimeError("rusak")

    good = types.SimpleNamespace(seed=lambda rng, context: None)
    modules = [("rusak", types.SimpleNamespace(seed=broken)), ("baik", good)]
    monkeypatch.setattr(commands, "domain_demo_modules", lambda: modules)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "data demo rusak gagal" in result.output and "Data demo baik" in result.output
    assert not UnitModel.select().where(UnitModel.kode == "SETENGAH").exists()


def test_import_pegawai_command_refuses_junk_and_big_files_without_a_traceback(
    app, runner, tmp_path
):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    result = runner.invoke(args=["import-pegawai", str(junk)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "CSV" in result.output
    big = tmp_path / "besar.csv"
    with open(big, "wb") as handle:
        handle.write(b"nip,nama,unit_kode\n")
        handle.truncate(app.config["MAX_CONTENT_LENGTH"] + 1)
    result = runner.invoke(args=["import-pegawai", str(big)])
    assert result.exit_code == 1 and "terlalu besar" in result.output
