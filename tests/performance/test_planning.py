"""RHK, indicators, perilaku, lampiran, IKU and sharing, without HTTP."""

from datetime import date
from decimal import Decimal

import pytest

from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.performance import lifecycle, pages, planning
from portal.performance.models import DRAFT, BehaviourExpectation, Indicator, Rhk, Skp
from portal.performance.rules import berakhlak
from tests.performance.conftest import add_rhk, kuantitas


def test_the_seven_berakhlak_values_come_with_three_guides_each():
    values = berakhlak()
    assert [v.kode for v in values] == ["BO", "AK", "KO", "HA", "LO", "AD", "KL"]
    assert all(len(v.panduan) == 3 for v in values)
    assert values[0].nilai == "Berorientasi Pelayanan"


def test_a_kuantitatif_indicator_needs_a_number_and_a_satuan(org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    rhk = add_rhk(pegawai, skp, "RHK", intervenes=cascade["kabid"][1][0], indicators=0)
    with pytest.raises(Invalid) as error:
        planning.add_indicator(
            pegawai, skp, rhk.id, planning.IndicatorInput(aspek="kuantitas", uraian="Jumlah")
        )
    assert error.value.field == "target_angka"
    with pytest.raises(Invalid) as error:
        planning.add_indicator(
            pegawai,
            skp,
            rhk.id,
            planning.IndicatorInput(aspek="biaya", uraian="Biaya", target_angka=Decimal(5)),
        )
    assert error.value.field == "satuan"
    with pytest.raises(Invalid) as error:
        planning.add_indicator(
            pegawai, skp, rhk.id, planning.IndicatorInput(aspek="kualitatif", uraian="Mutu")
        )
    assert error.value.field == "target_uraian"
    indicator = kuantitas(pegawai, skp, rhk, angka=120, satuan="izin")
    assert indicator.target_angka == Decimal(120) and indicator.satuan == "izin"


def test_a_jpt_draws_rhk_from_the_units_iku_grouped_by_perspektif(org):
    kepala, admin_opd = org["kepala"], org["admin_opd"]
    iku = planning.save_iku(
        admin_opd,
        org["ptsp"],
        planning.IkuInput(
            2026,
            "Penerima Layanan",
            "Meningkatnya kepuasan pemohon izin",
            "Indeks Kepuasan Masyarakat",
            "85",
        ),
    )
    with pytest.raises(NotFound):
        planning.save_iku(
            org["admin_dinkes"], org["ptsp"], planning.IkuInput(2026, "Anggaran", "x")
        )
    skp = lifecycle.create_skp(kepala, kepala)
    assert skp.jpt and skp.pendekatan == "kuantitatif"
    rhk = planning.add_rhk(kepala, skp, planning.RhkInput(uraian="IKM 85", iku_id=iku.id))
    assert rhk.perspektif == "Penerima Layanan"
    planning.add_rhk(kepala, skp, planning.RhkInput(uraian="Tanpa perspektif"))
    for r in Rhk.select().where(Rhk.skp == skp.id):
        kuantitas(kepala, skp, r)
    with pytest.raises(Invalid, match="perspektif"):
        lifecycle.submit_skp(kepala, skp)
    page = pages.skp_page(kepala, skp)
    assert page.groups[0][0] == "Penerima Layanan"
    other_unit_iku = planning.save_iku(
        org["admin_dinkes"], org["dinkes"], planning.IkuInput(2026, "Anggaran", "Serapan")
    )
    with pytest.raises(Invalid):
        planning.add_rhk(kepala, skp, planning.RhkInput(uraian="x", iku_id=other_unit_iku.id))


def test_the_penilai_writes_the_ekspektasi_khusus_and_the_pegawai_cannot(org, cascade):
    pegawai, kabid = org["pegawai"], org["kabid"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    planning.set_expectations(kabid, skp, {"BO": "Menjawab pemohon dalam 1 hari", "XX": "?"})
    assert [(e.kode, e.ekspektasi) for e in BehaviourExpectation.select()] == [
        ("BO", "Menjawab pemohon dalam 1 hari")
    ]
    with pytest.raises(Conflict):
        planning.set_expectations(pegawai, skp, {"AK": "Saya sendiri"})
    with pytest.raises(NotFound):
        planning.set_expectations(org["other"], skp, {"AK": "Orang lain"})


def test_the_lampiran_and_the_pendekatan_are_saved(org):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    saved = planning.update_lampiran(
        pegawai,
        skp,
        planning.LampiranInput(
            "Aplikasi SiCantik", "Laporan bulanan", "Sesuai PP 94/2021", "kuantitatif"
        ),
    )
    assert saved.dukungan_sumber_daya == "Aplikasi SiCantik" and saved.pendekatan == "kuantitatif"
    with pytest.raises(Invalid):
        planning.update_lampiran(pegawai, skp, planning.LampiranInput(pendekatan="lain"))


def test_an_atasan_shares_one_rhk_to_several_subordinates(org, cascade):
    kabid = org["kabid"]
    rhk = cascade["kabid"][1][0]
    result = planning.share_rhk(kabid, rhk, [org["pegawai"].id, org["rekan"].id, org["other"].id])
    assert {e.id for e in result.shared} == {org["pegawai"].id, org["rekan"].id}
    for person in (org["pegawai"], org["rekan"]):
        skp = Skp.get(Skp.employee == person.id)
        assert skp.status == DRAFT
        [served] = list(Rhk.select().where(Rhk.skp == skp.id))
        assert served.intervenes_id == rhk.id and served.uraian == rhk.uraian
        assert Notification.get(Notification.recipient == person.id).kind == "rhk_shared"
    again = planning.share_rhk(kabid, rhk, [org["pegawai"].id])
    assert again.shared == [] and len(again.skipped) == 1
    with pytest.raises(NotFound):
        planning.share_rhk(org["pegawai"], rhk, [org["rekan"].id])


def test_approved_rhk_choices_offer_the_effective_skp_on_the_date(org, cascade):
    kabid = org["kabid"]
    skp, rows = cascade["kabid"]
    choices = pages.approved_rhk_choices(kabid, date(2026, 11, 23))
    assert [c[0] for c in choices] == [r.id for r in rows]
    assert pages.approved_rhk_choices(kabid, date(2027, 1, 5)) == []
    assert pages.approved_rhk_choices(org["pegawai"], date(2026, 11, 23)) == []
    lifecycle.new_version(kabid, skp)  # a draft version does not change the choices
    assert [c[0] for c in pages.approved_rhk_choices(kabid, date(2026, 11, 23))] == [
        r.id for r in rows
    ]
    assert pages.rhk_labels([rows[0].id, 999999]) == {rows[0].id: rows[0].uraian}


def test_an_indicator_of_another_skp_cannot_be_deleted(org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "RHK", intervenes=cascade["kabid"][1][0])
    foreign = Indicator.select().join(Rhk).where(Rhk.skp != skp.id).first()
    with pytest.raises(NotFound):
        planning.delete_indicator(pegawai, skp, foreign.id)
