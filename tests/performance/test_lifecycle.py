"""The SKP lifecycle without HTTP: the whole flow, versions, permissions, the cascade's rules."""

from datetime import date, timedelta

import peewee as pw
import pytest

from portal.audit.models import AuditLog
from portal.db import db
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.performance import lifecycle, planning
from portal.performance.models import APPROVED, DRAFT, RETURNED, SUBMITTED, Rhk, Skp
from portal.performance.pages import waiting_query
from portal.performance.rules import can_view
from tests.performance.conftest import add_rhk, appoint


def _audit(skp):
    return [
        row.action
        for row in AuditLog.select()
        .where(AuditLog.object_type == "Skp", AuditLog.object_id == str(skp.id))
        .order_by(AuditLog.id)
    ]


def test_pegawai_drafts_submits_is_returned_fixes_and_is_approved(org, cascade):
    pegawai, kabid = org["pegawai"], org["kabid"]
    parent = cascade["kabid"][1][0]
    skp = lifecycle.create_skp(pegawai, pegawai)
    assert skp.status == DRAFT and skp.penilai_id == kabid.id and skp.tahun == 2026
    rhk = add_rhk(pegawai, skp, "Terverifikasinya berkas izin", intervenes=parent)
    lifecycle.submit_skp(pegawai, skp)
    assert skp.status == SUBMITTED
    assert Notification.get(
        Notification.recipient == kabid.id, Notification.kind == "skp_submitted"
    )

    with pytest.raises(Invalid):
        lifecycle.return_skp(kabid, skp, "  ")
    lifecycle.return_skp(kabid, skp, "Tambahkan indikator waktu.")
    assert skp.status == RETURNED and skp.return_note == "Tambahkan indikator waktu."
    assert Notification.select().where(Notification.recipient == pegawai.id).count() == 1

    planning.add_indicator(
        pegawai,
        skp,
        rhk.id,
        planning.IndicatorInput(
            aspek="waktu", uraian="Waktu proses", target_angka=3, satuan="hari"
        ),
    )
    lifecycle.submit_skp(pegawai, skp)
    lifecycle.approve_skp(kabid, skp)
    assert Skp.get_by_id(skp.id).status == APPROVED
    assert _audit(skp) == ["skp.create", "skp.submit", "skp.return", "skp.submit", "skp.approve"]


def test_a_draft_may_be_saved_unlinked_but_not_submitted(org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "Belum ditautkan")
    with pytest.raises(Invalid, match="belum menyebutkan"):
        lifecycle.submit_skp(pegawai, skp)
    assert Skp.get_by_id(skp.id).status == DRAFT


def test_an_rhk_without_indicator_or_an_skp_without_rhk_utama_cannot_be_submitted(org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    with pytest.raises(Invalid, match="RHK utama"):
        lifecycle.submit_skp(pegawai, skp)
    add_rhk(pegawai, skp, "Tanpa indikator", intervenes=cascade["kabid"][1][0], indicators=0)
    with pytest.raises(Invalid, match="belum memiliki indikator"):
        lifecycle.submit_skp(pegawai, skp)


def test_links_to_someone_elses_rhk_are_refused(org, cascade, approved_skp):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    kepala_rhk = cascade["kepala"][1][0]  # the atasan's atasan: not this pegawai's atasan
    with pytest.raises(Invalid) as error:
        add_rhk(pegawai, skp, "Salah tautan", intervenes=kepala_rhk)
    assert error.value.field == "intervenes"
    rekan_skp = lifecycle.create_skp(org["rekan"], org["rekan"])
    rekan_rhk = add_rhk(org["rekan"], rekan_skp, "RHK rekan", intervenes=cascade["kabid"][1][0])
    with pytest.raises(Invalid):
        add_rhk(pegawai, skp, "Tautan ke rekan", intervenes=rekan_rhk)


def test_links_to_an_unapproved_rhk_are_refused(org, cascade):
    kabid, pegawai = org["kabid"], org["pegawai"]
    kabid_skp = cascade["kabid"][0]
    draft = lifecycle.new_version(kabid, kabid_skp)
    draft_rhk = Rhk.select().where(Rhk.skp == draft.id).first()
    skp = lifecycle.create_skp(pegawai, pegawai)
    # a draft RHK of a newer version is not approved; its approved ancestor is fine
    with pytest.raises(Invalid):
        planning.add_rhk(
            pegawai, skp, planning.RhkInput(uraian="x", intervenes_id=_fresh_rhk(kabid, draft).id)
        )
    assert (
        planning.add_rhk(
            pegawai, skp, planning.RhkInput(uraian="y", intervenes_id=draft_rhk.id)
        ).intervenes_id
        == draft_rhk.id
    )


def _fresh_rhk(owner, skp):
    return planning.add_rhk(owner, skp, planning.RhkInput(uraian="RHK baru di draf"))


def test_links_to_another_period_are_refused(org, cascade, frozen_clock):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai, tahun=2027)
    with pytest.raises(Invalid):
        add_rhk(pegawai, skp, "Tahun lain", intervenes=cascade["kabid"][1][0])


def test_a_plt_of_the_atasan_may_be_linked_to_and_decides(
    org, cascade, approved_skp, make_employee
):
    kabid, pegawai = org["kabid"], org["pegawai"]
    plt = make_employee(nama="Yusuf Plt", unit=org["bidang"], supervisor=org["kepala"])
    appoint(kabid, plt, kind="Plt", until=date(2026, 12, 31))
    _plt_skp, plt_rhk = approved_skp(
        plt, ["RHK Plt"], intervenes=[cascade["kepala"][1][0]], approver=org["kepala"]
    )
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "Melayani di bawah Plt", intervenes=plt_rhk[0])
    lifecycle.submit_skp(pegawai, skp)
    assert can_view(plt, skp)
    assert Notification.get(Notification.recipient == plt.id, Notification.kind == "skp_submitted")
    lifecycle.approve_skp(plt, skp)
    assert skp.decided_by_id == plt.id and skp.decided_for_id == kabid.id


def test_the_skp_badge_counts_what_waits_for_one_and_for_whom_one_acts(org, cascade):
    """The menu badge: the SKP waiting for one's decision, as oneself and as Plt/Plh on the day
    (two indexed counts added: each SKP once)."""
    kepala, kabid = org["kepala"], org["kabid"]
    for person in (org["pegawai"], org["rekan"]):
        skp = lifecycle.create_skp(person, person)
        add_rhk(person, skp, f"RHK {person.nama}", intervenes=cascade["kabid"][1][0])
        lifecycle.submit_skp(person, skp)

    def waiting(actor, day=None):
        return pw.Select(columns=[waiting_query(actor, day)]).bind(db).scalar()

    assert (waiting(kabid), waiting(kepala)) == (2, 0)
    appoint(kabid, kepala, until=date(2026, 12, 31))
    assert (waiting(kabid), waiting(kepala)) == (2, 2)
    fresh = lifecycle.new_version(kabid, cascade["kabid"][0])
    lifecycle.submit_skp(kabid, fresh)
    assert waiting(kepala) == 3  # kabid's own, and the two kepala decides as Plh
    assert waiting(kepala, date(2027, 1, 1)) == 1  # the appointment is over


def test_a_change_after_approval_is_a_new_version_and_the_old_stays(org, cascade):
    kabid = org["kabid"]
    old, old_rhk = cascade["kabid"]
    fresh = lifecycle.new_version(kabid, old)
    assert fresh.version_no == 2 and fresh.previous_id == old.id and fresh.status == DRAFT
    old = Skp.get_by_id(old.id)
    assert old.status == APPROVED and old.effective and not old.latest
    copied = list(Rhk.select().where(Rhk.skp == fresh.id).order_by(Rhk.urutan))
    assert [r.lineage for r in copied] == [r.lineage for r in old_rhk]
    assert [r.intervenes_id for r in copied] == [r.intervenes_id for r in old_rhk]
    with pytest.raises(Conflict):
        lifecycle.new_version(kabid, old)  # only the latest approved
    planning.update_rhk(
        kabid,
        fresh,
        copied[1].id,
        planning.RhkInput(
            uraian="Tersusunnya SOP perizinan terpadu", intervenes_id=copied[1].intervenes_id
        ),
    )
    lifecycle.submit_skp(kabid, fresh)
    lifecycle.approve_skp(org["kepala"], fresh)
    assert Skp.get_by_id(old.id).superseded_at is not None
    assert Rhk.get_by_id(old_rhk[1].id).uraian == "Tersusunnya SOP perizinan"  # kept readable


def test_an_approved_or_submitted_skp_cannot_be_edited(org, cascade):
    kabid = org["kabid"]
    skp = cascade["kabid"][0]
    with pytest.raises(Conflict):
        planning.add_rhk(kabid, skp, planning.RhkInput(uraian="Terlambat"))


def test_only_the_penilai_decides(org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "RHK", intervenes=cascade["kabid"][1][0])
    lifecycle.submit_skp(pegawai, skp)
    with pytest.raises(Conflict):
        lifecycle.approve_skp(pegawai, skp)  # the owner may see it, not decide it
    with pytest.raises(NotFound):
        lifecycle.approve_skp(org["other"], skp)
    with pytest.raises(NotFound):
        lifecycle.approve_skp(org["kepala"], skp)  # the atasan's atasan is not the penilai


def test_a_second_decision_on_a_decided_skp_is_a_conflict(org, cascade):
    pegawai, kabid = org["pegawai"], org["kabid"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "RHK", intervenes=cascade["kabid"][1][0])
    lifecycle.submit_skp(pegawai, skp)
    seen = skp.revision
    stale = Skp.get_by_id(skp.id)
    lifecycle.approve_skp(kabid, skp, revision=seen)
    with pytest.raises(Conflict):
        lifecycle.return_skp(kabid, stale, "Terlambat", revision=seen)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("pegawai", True),
        ("kabid", True),
        ("kepala", False),
        ("rekan", False),
        ("other", False),
        ("admin_opd", True),
        ("admin_dinkes", False),
        ("admin", True),
    ],
)
def test_who_may_see_an_skp(org, who, sees):
    skp = lifecycle.create_skp(org["pegawai"], org["pegawai"])
    assert can_view(org[who], skp) is sees


def test_one_skp_a_year_unless_the_atasan_changes(org, cascade, make_employee):
    pegawai = org["pegawai"]
    first = lifecycle.create_skp(pegawai, pegawai)
    with pytest.raises(Conflict):
        lifecycle.create_skp(pegawai, pegawai)
    pegawai.supervisor = org["kepala"]
    pegawai.save()
    second = lifecycle.create_skp(pegawai, pegawai)
    today = date(2026, 11, 23)
    assert second.start_date == today and second.penilai_id == org["kepala"].id
    assert Skp.get_by_id(first.id).end_date == today - timedelta(days=1)


def test_start_from_last_years_skp_copies_into_a_new_draft(org, cascade, frozen_clock):
    kabid = org["kabid"]
    old = cascade["kabid"][0]
    fresh = lifecycle.create_skp(kabid, kabid, tahun=2027, copy_from=old)
    rows = list(Rhk.select().where(Rhk.skp == fresh.id).order_by(Rhk.urutan))
    assert [r.uraian for r in rows] == [r.uraian for r in cascade["kabid"][1]]
    assert all(r.intervenes_id is None for r in rows)
    assert fresh.status == DRAFT and fresh.tahun == 2027
    with pytest.raises(NotFound):
        lifecycle.create_skp(org["pegawai"], org["pegawai"], tahun=2027, copy_from=old)
