"""A backup taken while the portal runs restores the data it held, on each engine."""

from portal.db import db
from portal.org.models import Unit


def test_backup_then_restore_brings_the_data_back(app, runner, make_unit, tmp_path):
    make_unit(nama="Dinas Pendidikan", kode="DISDIK")
    result = runner.invoke(args=["backup", "--output", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "cadangan").iterdir())
    assert len(files) == 1

    Unit.update(nama="Diubah Setelah Cadangan").execute()
    make_unit(nama="Unit Baru", kode="BARU")
    db.close()
    result = runner.invoke(args=["restore", str(files[0]), "--yes"])
    assert result.exit_code == 0, result.output
    db.connect(reuse_if_open=True)
    assert sorted(u.nama for u in Unit.select()) == ["Dinas Pendidikan"]
