"""The monthly recap: figures against hand-computed ones, TPP, filters, drill-down, access per
role and a constant number of queries."""

from datetime import date

import pytest

from portal import settings
from portal.reports.recap import Filters, Month, month_recap
from portal.reports.scope import scope_for
from portal.reviews.models import ActingAssignment
from tests.conftest import count_queries
from tests.reports.conftest import entry

OCTOBER = Month(2026, 10)


def _rows(actor, filters=None):
    recap = month_recap(scope_for(actor), OCTOBER, filters or Filters())
    return {row.employee.nama: row for row in recap.rows}


def test_recap_figures_match_the_hand_computed_ones(october):
    rows = _rows(october["admin"])
    siti = rows["Siti Rahmawati"]
    # October 2026: 22 weekdays, minus Wed 14 (holiday); Sat 17 is no working day anyway.
    assert siti.working_days == 21
    assert siti.days_with_entries == 4  # 5, 6, 7 and 9 October (draft counts, rejected not)
    assert siti.minutes_submitted == 360 + 90
    assert siti.minutes_approved == 200 + 120  # menit diakui where the atasan set it
    assert siti.waiting == 1
    assert siti.returned == 1
    assert siti.target == 6750
    assert siti.capaian == pytest.approx(4.74)
    budi = rows["Budi Santoso"]
    # The 6-day week: 27 days Mon-Sat, minus Wed 14 and Sat 17.
    assert budi.working_days == 25
    assert budi.days_with_entries == 1
    assert budi.minutes_approved == 420
    assert rows["Dewi Lestari"].minutes_submitted == 0


def test_tpp_follows_the_weight_cap_and_floor_settings(october):
    settings.put("activities.monthly_target_minutes", 300)
    rows = _rows(october["admin"])
    siti = rows["Siti Rahmawati"]
    assert siti.capaian == 100  # 320 of 300, capped
    assert siti.tpp_kinerja == 70
    assert siti.tpp_kehadiran is None
    settings.put("reports.tpp_cap", 90)
    settings.put("reports.tpp_weight_kinerja", 60)
    assert _rows(october["admin"])["Siti Rahmawati"].tpp_kinerja == 54  # 90 x 60%
    settings.put("activities.monthly_target_minutes", 6750)
    settings.put("reports.tpp_floor", 50)
    assert _rows(october["admin"])["Siti Rahmawati"].tpp_kinerja == 0  # 4.74% < floor


def test_an_atasan_sees_only_their_team(october):
    names = set(_rows(october["kabid"]))
    assert names == {"Siti Rahmawati", "Dewi Lestari"}
    assert set(_rows(october["kepala"])) == {"Hendra Saputra"}


def test_an_admin_opd_sees_their_unit_tree_and_the_admin_everyone(october):
    names = set(_rows(october["admin_opd"]))
    assert names == {
        "Rahmat Hidayat",
        "Hendra Saputra",
        "Siti Rahmawati",
        "Dewi Lestari",
        "Rina Marlina",
    }
    assert "Budi Santoso" in _rows(october["admin"])


def test_filters_by_unit_subtree_jabatan_and_capaian_band(october):
    admin = october["admin"]
    bidang = _rows(admin, Filters(unit=october["bidang"]))
    assert set(bidang) == {"Hendra Saputra", "Siti Rahmawati", "Dewi Lestari"}
    assert set(_rows(admin, Filters(jabatan="JPT"))) == {"Rahmat Hidayat"}
    settings.put("activities.monthly_target_minutes", 400)  # Budi 420 -> 100%, Siti 80%
    assert set(_rows(admin, Filters(band="penuh"))) == {"Budi Santoso"}
    assert set(_rows(admin, Filters(band="baik"))) == {"Siti Rahmawati"}
    ordered = month_recap(scope_for(admin), OCTOBER, Filters(sort="capaian", descending=True))
    assert [row.employee.nama for row in ordered.rows[:2]] == ["Budi Santoso", "Siti Rahmawati"]


def test_the_drill_down_sums_each_unit_below(october):
    recap = month_recap(scope_for(october["admin"]), OCTOBER, Filters(unit=october["ptsp"]))
    (bidang,) = recap.units
    assert bidang.unit.nama == "Bidang Pelayanan Perizinan"
    assert bidang.pegawai == 3
    assert bidang.approved == 320
    assert bidang.waiting == 1


def test_nobody_else_gets_a_recap(client, login_as, october):
    login_as(october["outsider"])
    assert client.get("/laporan/").status_code == 404
    assert client.get(f"/laporan/pegawai/{october['siti'].id}").status_code == 404


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("kabid", "siti", 200),
        ("kabid", "budi", 404),
        ("kepala", "siti", 404),
        ("admin_opd", "siti", 200),
        ("admin_opd", "budi", 404),
        ("admin", "budi", 200),
        ("siti", "siti", 404),
    ],
)
def test_the_pegawai_month_page_obeys_the_scope(client, login_as, october, who, target, status):
    login_as(october[who])
    response = client.get(f"/laporan/pegawai/{october[target].id}?bulan=2026-10")
    assert response.status_code == status
    if status == 200:
        assert "5 Oktober 2026" in response.get_data(as_text=True) or "Oktober" in (
            response.get_data(as_text=True)
        )


@pytest.mark.parametrize("htmx", [False, True])
def test_the_recap_page_per_role_plain_and_htmx(client, login_as, october, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    login_as(october["admin_opd"])
    page = client.get("/laporan/?bulan=2026-10", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Siti Rahmawati" in html
    assert "Budi Santoso" not in html
    assert ("<html" in html) is not htmx
    assert page.headers["Vary"].count("HX-Request") == 1
    # another OPD's unit is not theirs to open
    assert client.get(f"/laporan/?unit={october['dinkes'].id}", headers=headers).status_code == 404
    drill = client.get(f"/laporan/?unit={october['bidang'].id}&bulan=2026-10", headers=headers)
    assert drill.status_code == 200
    assert "Dewi Lestari" in drill.get_data(as_text=True)


def test_hostile_query_strings_fall_back_without_an_error(client, login_as, october):
    login_as(october["admin"])
    for query in (
        "bulan=9999-99",
        "bulan=abc",
        "unit=99999999999999999999",
        "unit=-3",
        "page=999999999999",
        "capaian=x&urut=y&arah=z&jabatan=q",
    ):
        assert client.get(f"/laporan/?{query}").status_code == 200, query


def _many(make_employee, unit, supervisor, count):
    for number in range(count):
        person = make_employee(nama=f"Staf {number:03d}", unit=unit, supervisor=supervisor)
        entry(person, date(2026, 10, 5), 60, "disetujui")
        entry(person, date(2026, 10, 6), 30, "diajukan")


def test_the_recap_runs_the_same_queries_for_1_and_many_pegawai(
    client, login_as, make_employee, city
):
    login_as(city["admin_opd"])
    url = f"/laporan/?unit={city['bidang'].id}&bulan=2026-10"
    _many(make_employee, city["bidang"], city["kabid"], 1)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _many(make_employee, city["bidang"], city["kabid"], 60)
    with count_queries() as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "Staf 059" in page.get_data(as_text=True)
    assert len(many.queries) == len(few.queries), len(many.queries)


def test_a_plt_sees_the_team_of_the_atasan_they_stand_in_for(october, make_employee):
    plt = make_employee(nama="Pelaksana Tugas", unit=october["bidang"])
    assert _rows(plt) == {}
    ActingAssignment.create(
        absent=october["kabid"],
        acting=plt,
        kind="plt",
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 30),
        appointed_by=october["admin"],
    )
    plt = type(plt).get_by_id(plt.id)  # a fresh object: the scope is cached per object
    assert set(_rows(plt)) == {"Siti Rahmawati", "Dewi Lestari"}


def test_the_htmx_filter_swaps_the_month_heading_too_and_pages_are_linked(
    client, login_as, make_employee, october
):
    settings.put("reports.page_size", 10)
    _many(make_employee, october["bidang"], october["kabid"], 12)
    login_as(october["admin"])
    html = client.get(
        "/laporan/?bulan=2026-09&urut=capaian", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="recap-body">')
    assert "September 2026" in html
    assert "page=2" in html and "urut=capaian" in html
    second = client.get("/laporan/?bulan=2026-10&page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in second
