"""Daily entries linked to an RHK: the form offers the pegawai's approved RHK valid on the entry's
date, the service refuses any other (422, clear message, the form keeps its input), a setting may
require one, and the day, week and month views and the verification queue show the RHK's text;
the month sums approved minutes per RHK."""

import random
import re
from datetime import date, time, timedelta

import pytest
from flask import g

from portal import settings
from portal.activities import demo as activity_demo
from portal.activities import entries
from portal.activities import lifecycle as activity_lifecycle
from portal.activities.entries import EntryInput
from portal.activities.models import Activity
from portal.activities.rules import options
from portal.errors import Invalid
from portal.performance import lifecycle
from portal.performance.models import Skp
from portal.performance.pages import approved_rhk_choices
from portal.reviews import decisions
from tests.performance.conftest import add_rhk

TODAY = date(2026, 11, 23)  # the suite's frozen Monday
HX = {"HX-Request": "true"}


@pytest.fixture
def linked(org, cascade, approved_skp):
    """The pegawai's approved SKP (two RHK serving the kabid's) and a colleague's."""
    kabid_rhk = cascade["kabid"][1]
    skp, rhk = approved_skp(
        org["pegawai"],
        ["Terverifikasinya berkas izin usaha", "Terlayaninya konsultasi perizinan"],
        intervenes=[kabid_rhk[0], kabid_rhk[1]],
        approver=org["kabid"],
    )
    _other_skp, other_rhk = approved_skp(
        org["rekan"], ["Terarsipnya dokumen izin"], intervenes=[kabid_rhk[0]], approver=org["kabid"]
    )
    return {"skp": skp, "rhk": rhk, "other_rhk": other_rhk}


def _entry(rhk_id=None, tanggal=TODAY, start="08:00", end="09:00", uraian="Verifikasi berkas"):
    hours = [int(part) for part in start.split(":")], [int(part) for part in end.split(":")]
    return EntryInput(
        tanggal=tanggal,
        jam_mulai=time(*hours[0]),
        jam_selesai=time(*hours[1]),
        uraian=uraian,
        volume=1,
        satuan="berkas",
        lokasi="WFO",
        rhk_id=rhk_id,
    )


def _form(rhk_id="", tanggal=TODAY, start="08:00", end="09:00", uraian="Verifikasi berkas izin"):
    return {
        "tanggal": tanggal.isoformat(),
        "jam_mulai": start,
        "jam_selesai": end,
        "uraian": uraian,
        "volume": "1",
        "satuan": "berkas",
        "lokasi": "WFO",
        "rhk_id": str(rhk_id),
    }


def _sign_in(login_as, employee):
    g.pop("_login_user", None)
    login_as(employee)


# --- the service ---------------------------------------------------------------------------------


def test_pegawai_links_an_entry_to_their_approved_rhk(app, org, linked):
    entry = entries.create_entry(org["pegawai"], _entry(linked["rhk"][0].id))
    assert Activity.get_by_id(entry.id).rhk_id == linked["rhk"][0].id


def test_an_entry_without_rhk_is_fine_unless_the_setting_requires_one(app, org, linked):
    assert options()["rhk_required"] is False  # the default
    entries.create_entry(org["pegawai"], _entry(None))
    settings.put("activities.rhk_required", True)
    with pytest.raises(Invalid) as refused:
        entries.create_entry(org["pegawai"], _entry(None, start="09:00", end="10:00"))
    assert refused.value.status == 422 and refused.value.field == "rhk_id"
    assert "Pilih RHK" in str(refused.value)
    entries.create_entry(org["pegawai"], _entry(linked["rhk"][1].id, start="09:00", end="10:00"))
    assert Activity.select().count() == 2


def test_rhk_of_someone_else_is_refused(app, org, linked):
    with pytest.raises(Invalid) as refused:
        entries.create_entry(org["pegawai"], _entry(linked["other_rhk"][0].id))
    assert refused.value.status == 422 and refused.value.field == "rhk_id"
    assert "SKP Anda yang disetujui" in str(refused.value)
    assert "23 November 2026" in str(refused.value)
    assert Activity.select().count() == 0


def test_rhk_of_an_unapproved_skp_is_refused(app, org, cascade):
    draft = lifecycle.create_skp(org["pegawai"], org["pegawai"])
    rhk = add_rhk(org["pegawai"], draft, "Tersusunnya draf", intervenes=cascade["kabid"][1][0])
    lifecycle.submit_skp(org["pegawai"], draft)  # submitted, not approved
    with pytest.raises(Invalid):
        entries.create_entry(org["pegawai"], _entry(rhk.id))


def test_rhk_outside_its_skp_period_is_refused(app, org, linked):
    # The SKP starts today (a mid-year SKP): last Friday is outside its period.
    Skp.update(start_date=TODAY).where(Skp.id == linked["skp"].id).execute()
    friday = TODAY - timedelta(days=3)
    with pytest.raises(Invalid):
        entries.create_entry(org["pegawai"], _entry(linked["rhk"][0].id, tanggal=friday))
    entries.create_entry(org["pegawai"], _entry(linked["rhk"][0].id))  # today is inside


def test_a_forged_or_unknown_rhk_id_is_refused(app, org, linked):
    for forged in (-1, 2**31 - 1, linked["rhk"][0].id + 10_000):
        with pytest.raises(Invalid):
            entries.create_entry(org["pegawai"], _entry(forged))


def test_an_edit_may_keep_the_rhk_of_a_superseded_version(app, org, linked):
    entry = entries.create_entry(org["pegawai"], _entry(linked["rhk"][0].id))
    draft = lifecycle.new_version(org["pegawai"], linked["skp"])
    lifecycle.submit_skp(org["pegawai"], draft)
    lifecycle.approve_skp(org["kabid"], draft)  # the old version is superseded now
    changed = entries.update_entry(
        org["pegawai"], entry, _entry(linked["rhk"][0].id, uraian="Verifikasi ulang")
    )
    assert changed.rhk_id == linked["rhk"][0].id and changed.uraian == "Verifikasi ulang"
    # ...but a new entry takes the RHK of the version in force.
    with pytest.raises(Invalid):
        entries.create_entry(
            org["pegawai"], _entry(linked["rhk"][0].id, start="10:00", end="11:00")
        )


# --- the pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_entry_form_offers_the_approved_rhk_and_the_day_shows_the_link(
    client, login_as, org, linked, headers
):
    _sign_in(login_as, org["pegawai"])
    page = client.get("/kegiatan").text
    select = re.search(r'<select[^>]*name="rhk_id".*?</select>', page, re.S).group(0)
    assert "Terverifikasinya berkas izin usaha" in select
    assert "Terlayaninya konsultasi perizinan" in select
    assert "Terarsipnya dokumen izin" not in select  # a colleague's RHK
    assert "Tanpa RHK" in select and "Opsional" in page
    response = client.post("/kegiatan/tambah", data=_form(linked["rhk"][1].id), headers=headers)
    assert response.status_code == (200 if headers else 303)
    assert Activity.get().rhk_id == linked["rhk"][1].id
    day = client.get("/kegiatan").text
    entry_html = re.search(r'<li class="list-group-item entry.*?</li>', day, re.S).group(0)
    assert "Terlayaninya konsultasi perizinan" in entry_html


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_refused_rhk_answers_422_with_the_message_and_keeps_the_input(
    client, login_as, org, linked, headers
):
    _sign_in(login_as, org["pegawai"])
    for forged in (linked["other_rhk"][0].id, "abc", "99999999999999"):
        response = client.post(
            "/kegiatan/tambah",
            data=_form(forged, uraian="Menyusun telaah izin reklame"),
            headers=headers,
        )
        assert response.status_code == 422, forged
        assert "Pilih salah satu RHK dari SKP Anda yang disetujui" in response.text
        assert "Menyusun telaah izin reklame" in response.text  # the input is kept
        assert 'aria-invalid="true"' in re.search(
            r'<select[^>]*name="rhk_id"[^>]*>', response.text
        ).group(0)
    assert Activity.select().count() == 0


def test_required_setting_marks_the_field_and_refuses_an_empty_choice(
    client, login_as, org, linked
):
    settings.put("activities.rhk_required", True)
    _sign_in(login_as, org["pegawai"])
    page = client.get("/kegiatan").text
    assert "— Pilih RHK —" in page
    assert "required" in re.search(r'<select[^>]*name="rhk_id"[^>]*>', page).group(0)
    response = client.post("/kegiatan/tambah", data=_form(""))
    assert response.status_code == 422 and "Pilih RHK yang didukung kegiatan ini." in response.text


def test_pegawai_without_an_approved_skp_is_told_why_there_is_no_rhk(client, login_as, org):
    _sign_in(login_as, org["other"])
    page = client.get("/kegiatan").text
    assert "belum memiliki SKP disetujui" in page
    assert client.post("/kegiatan/tambah", data=_form("")).status_code == 303


def test_editing_an_entry_preselects_its_rhk(client, login_as, org, linked):
    entry = entries.create_entry(org["pegawai"], _entry(linked["rhk"][1].id))
    _sign_in(login_as, org["pegawai"])
    page = client.get(f"/kegiatan?tanggal={TODAY.isoformat()}&ubah={entry.id}").text
    selected = re.search(r'<option selected value="(\d+)"', page) or re.search(
        r'<option value="(\d+)" selected', page
    )
    assert selected and int(selected.group(1)) == linked["rhk"][1].id
    response = client.post(
        f"/kegiatan/{entry.id}/ubah",
        data={**_form(linked["rhk"][0].id), "version": entry.version},
    )
    assert response.status_code == 303
    assert Activity.get_by_id(entry.id).rhk_id == linked["rhk"][0].id


def test_week_and_month_sum_minutes_per_rhk(client, login_as, org, linked):
    pegawai, kabid = org["pegawai"], org["kabid"]
    first = entries.create_entry(pegawai, _entry(linked["rhk"][0].id, start="08:00", end="09:30"))
    entries.create_entry(pegawai, _entry(linked["rhk"][0].id, start="10:00", end="10:30"))
    entries.create_entry(pegawai, _entry(linked["rhk"][1].id, start="11:00", end="11:45"))
    entries.create_entry(pegawai, _entry(None, start="13:00", end="13:20"))
    activity_lifecycle.submit_day(pegawai, TODAY, None)
    decisions.approve_entry(kabid, first.id, Activity.get_by_id(first.id).version)
    _sign_in(login_as, pegawai)
    month = client.get("/kegiatan/bulan").text
    table = re.search(r'<section class="mb-3 rhk-totals".*?</section>', month, re.S).group(0)
    rows = re.findall(r"<tr><th scope=\"row\".*?</tr>", table, re.S)
    cells = [re.sub(r"<[^>]+>", "|", row) for row in rows]
    first_row = " ".join(cells[0].split())
    # The RHK with approved minutes first: 2 entries, 120 claimed, 90 approved.
    assert "Terverifikasinya berkas izin usaha" in first_row
    assert re.search(r"\|2\|\|120\|\|90\|", first_row.replace(" ", "")), first_row
    assert "Terlayaninya konsultasi perizinan" in cells[1]
    assert "Tanpa RHK" in cells[-1]
    week = client.get("/kegiatan/minggu").text
    assert "Menit per RHK minggu ini" in week and "Terlayaninya konsultasi perizinan" in week


def test_verification_queue_and_entry_page_show_the_rhk_text(client, login_as, org, linked):
    entry = entries.create_entry(org["pegawai"], _entry(linked["rhk"][0].id))
    activity_lifecycle.submit_day(org["pegawai"], TODAY, None)
    _sign_in(login_as, org["kabid"])
    queue = client.get("/verifikasi").text
    assert "Terverifikasinya berkas izin usaha" in queue
    page = client.get(f"/verifikasi/kegiatan/{entry.id}").text
    assert "Terverifikasinya berkas izin usaha" in page


# --- demo data -----------------------------------------------------------------------------------


def test_demo_entries_serve_approved_rhk_valid_on_their_date(app, org, linked):
    context = {
        "employees": [org[k] for k in ("kepala", "kabid", "pegawai", "rekan", "other")],
        "atasan": org["kabid"],
        "pegawai": org["pegawai"],
        "today": TODAY,
        "units": [org["ptsp"], org["bidang"]],
        "admin": org["admin"],
        "penyelenggara": None,
    }
    activity_demo.seed(random.Random(3), context)
    linked_rows = list(Activity.select().where(Activity.rhk.is_null(False)))
    owners = {row.employee_id for row in linked_rows}
    assert {org["pegawai"].id, org["rekan"].id} <= owners
    assert org["other"].id not in owners  # no approved SKP, no link
    for row in linked_rows:
        valid = {rhk_id for rhk_id, _label in approved_rhk_choices(row.employee_id, row.tanggal)}
        assert row.rhk_id in valid, (row.employee_id, row.tanggal, row.rhk_id)
    unlinked = Activity.select().where(
        Activity.employee == org["pegawai"].id, Activity.rhk.is_null()
    )
    assert unlinked.count() > 0  # some entries serve no RHK, as in real life
