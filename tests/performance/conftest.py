"""Fixtures of the performance tests: a small chain of command and SKP factories."""

from datetime import date
from decimal import Decimal

import pytest

from portal.performance import lifecycle, planning
from portal.performance.models import ASPEK_KUALITATIF, UTAMA
from portal.reviews.models import ActingAssignment


@pytest.fixture
def org(app, make_unit, make_employee):
    """DPMPTSP (a bidang below it) and Dinas Kesehatan; kepala (JPT) -> kabid -> two staff."""
    ptsp = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    bidang = make_unit(nama="Bidang Pelayanan Perizinan", parent=ptsp)
    dinkes = make_unit(nama="Dinas Kesehatan")
    kepala = make_employee(
        nama="Rahmat Hidayat",
        unit=ptsp,
        jenis_jabatan="JPT",
        jabatan="Kepala Dinas",
        golongan="IV/c",
    )
    kabid = make_employee(
        nama="Hendra Saputra",
        unit=bidang,
        supervisor=kepala,
        jenis_jabatan="Administrator",
        jabatan="Kepala Bidang Pelayanan Perizinan",
        golongan="IV/a",
    )
    pegawai = make_employee(
        nama="Siti Rahmawati", unit=bidang, supervisor=kabid, jabatan="Analis Perizinan"
    )
    rekan = make_employee(nama="Dewi Lestari", unit=bidang, supervisor=kabid, jabatan="Verifikator")
    other = make_employee(nama="Budi Santoso", unit=dinkes)
    admin_opd = make_employee(nama="Rina Marlina", unit=ptsp, roles=[("admin_opd", ptsp)])
    admin_dinkes = make_employee(nama="Agus Salim", unit=dinkes, roles=[("admin_opd", dinkes)])
    admin = make_employee(nama="Admin Pemda", unit=dinkes, roles=[("admin", None)])
    return {
        "ptsp": ptsp,
        "bidang": bidang,
        "dinkes": dinkes,
        "kepala": kepala,
        "kabid": kabid,
        "pegawai": pegawai,
        "rekan": rekan,
        "other": other,
        "admin_opd": admin_opd,
        "admin_dinkes": admin_dinkes,
        "admin": admin,
    }


def appoint(absent, acting, kind="Plh", until=date(2026, 11, 30)):
    """`acting` stands in for `absent` (Plt/Plh) from 1 November 2026 to `until`."""
    return ActingAssignment.create(
        absent=absent, acting=acting, kind=kind, start_date=date(2026, 11, 1), end_date=until
    )


def add_rhk(owner, skp, uraian, intervenes=None, perspektif="", indicators=1, jenis=UTAMA):
    rhk = planning.add_rhk(
        owner,
        skp,
        planning.RhkInput(
            jenis=jenis,
            uraian=uraian,
            intervenes_id=intervenes.id if intervenes else None,
            perspektif=perspektif,
        ),
    )
    for number in range(indicators):
        planning.add_indicator(
            owner,
            skp,
            rhk.id,
            planning.IndicatorInput(
                aspek=ASPEK_KUALITATIF,
                uraian=f"Indikator {number + 1} {uraian}",
                target_uraian="Sesuai ekspektasi pimpinan",
            ),
        )
    return rhk


def kuantitas(owner, skp, rhk, angka=12, satuan="dokumen"):
    return planning.add_indicator(
        owner,
        skp,
        rhk.id,
        planning.IndicatorInput(
            aspek="kuantitas", uraian="Jumlah izin", target_angka=Decimal(angka), satuan=satuan
        ),
    )


@pytest.fixture
def approved_skp():
    """approved_skp(owner, [rhk texts], intervenes=[rhk or None], approver=...): an approved SKP
    (JPT RHK get the perspektif Penerima Layanan)."""

    def _make(owner, texts, intervenes=None, approver=None, admin=None):
        skp = lifecycle.create_skp(owner, owner)
        rows = []
        for number, text in enumerate(texts):
            parent = intervenes[number] if intervenes else None
            rows.append(
                add_rhk(
                    owner,
                    skp,
                    text,
                    intervenes=parent,
                    perspektif="Penerima Layanan" if skp.jpt else "",
                )
            )
        lifecycle.submit_skp(owner, skp)
        lifecycle.approve_skp(approver or admin, skp)
        return skp, rows

    return _make


@pytest.fixture
def cascade(org, approved_skp):
    """The kepala's and the kabid's approved SKP (the kabid's RHK serve the kepala's)."""
    kepala_skp, kepala_rhk = approved_skp(
        org["kepala"], ["Meningkatnya kualitas pelayanan perizinan"], admin=org["admin_opd"]
    )
    kabid_skp, kabid_rhk = approved_skp(
        org["kabid"],
        ["Terlaksananya pelayanan perizinan tepat waktu", "Tersusunnya SOP perizinan"],
        intervenes=[kepala_rhk[0], kepala_rhk[0]],
        approver=org["kepala"],
    )
    return {"kepala": (kepala_skp, kepala_rhk), "kabid": (kabid_skp, kabid_rhk)}


from tests.performance.evaluation_fixtures import (  # noqa: E402, F401  (fixtures)
    calendar,
    evaluation,
    staff_skp,
)
