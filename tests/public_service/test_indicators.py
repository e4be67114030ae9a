"""Service indicators: defined and fed by the unit's admin, computed from complaints, imported
whole or not at all, shown publicly as a chart with a table."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from portal.clock import local_today
from portal.errors import Invalid, NotFound
from portal.public_service import handling, indicators, skm
from portal.public_service.models import IndicatorValue, ServiceIndicator
from tests.conftest import count_queries


def _indicator(actor, unit, source="manual", **changes):
    data = indicators.IndicatorInput(
        unit.id,
        changes.get("nama", "Waktu penyelesaian izin usaha"),
        changes.get("satuan", "hari"),
        changes.get("direction", "turun"),
        source,
    )
    return indicators.create_indicator(actor, data)


def test_unit_admin_defines_an_indicator_with_target_and_realisasi(unit, unit_admin):
    indicator = _indicator(unit_admin, unit)
    indicators.set_target(unit_admin, indicator, 2026, "5")
    indicators.set_target(unit_admin, indicator, 2026, "4,5")  # replaces
    indicators.record_value(unit_admin, indicator, 2026, 10, "6,25", local_today())
    indicators.record_value(unit_admin, indicator, 2026, 11, "4", local_today())
    assert indicators.target_of(indicator, 2026) == 4.5
    points = indicators.series(indicator, 2026)
    assert [p.value for p in points][9:11] == [6.25, 4.0]
    assert indicators.meets(indicator, 4.0, 4.5) is True  # lower is better
    assert indicators.meets(indicator, 6.25, 4.5) is False
    with pytest.raises(Invalid):
        indicators.record_value(unit_admin, indicator, 2026, 12, "3", local_today())  # future
    with pytest.raises(Invalid):
        indicators.record_value(unit_admin, indicator, 2026, 13, "3", local_today())
    with pytest.raises(Invalid):
        indicators.record_value(unit_admin, indicator, 2026, 1, "banyak", local_today())


@pytest.mark.parametrize("who", ["other_admin", "handler"])
def test_others_cannot_define_or_feed_a_units_indicator(request, unit, unit_admin, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(Invalid):
        _indicator(actor, unit)
    indicator = _indicator(unit_admin, unit)
    with pytest.raises(NotFound):
        indicators.get_managed(actor, indicator.id)
    with pytest.raises(NotFound):
        indicators.record_value(actor, indicator, 2026, 1, "3", local_today())
    with pytest.raises(NotFound):
        indicators.set_target(actor, indicator, 2026, "3")


def test_response_time_and_completion_are_computed_from_complaints(
    unit, unit_admin, handler, make_complaint
):
    days = _indicator(unit_admin, unit, source="waktu_respons", nama="Kecepatan respons")
    rate = _indicator(unit_admin, unit, source="penyelesaian", nama="Penyelesaian pengaduan")
    complaint = make_complaint()
    complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
    handling.answer(handler, complaint, "Sudah kami tangani dengan baik.")
    make_complaint()  # open
    rejected = make_complaint()
    handling.reject(unit_admin, rejected, "Bukan kewenangan kami.")
    assert indicators.series(days, 2026)[10].value == 0.0
    assert indicators.series(rate, 2026)[10].value == 50.0
    with pytest.raises(Invalid):
        indicators.record_value(unit_admin, days, 2026, 11, "3", local_today())


def _csv(text):
    return io.BytesIO(text.encode("utf-8"))


def test_import_is_validated_whole(unit, unit_admin):
    indicator = _indicator(unit_admin, unit)
    bad = "tahun,bulan,nilai\n2026,1,5\n2026,13,4\n2026,2,x\n2026,1,3\n"
    with pytest.raises(Invalid) as refused:
        indicators.import_values(unit_admin, indicator, _csv(bad), "r.csv", local_today())
    message = str(refused.value)
    assert "Tidak ada yang diimpor" in message
    assert "baris 3" in message and "baris 4" in message and "baris 5" in message
    assert IndicatorValue.select().count() == 0
    good = "tahun;bulan;nilai\n2026;1;5,5\n2026;2;4\n"
    count = indicators.import_values(unit_admin, indicator, _csv(good), "r.csv", local_today())
    assert count == 2
    assert [p.value for p in indicators.series(indicator, 2026)][:3] == [5.5, 4.0, None]
    book = Workbook()
    sheet = book.active
    sheet.append(["tahun", "bulan", "nilai"])
    for month in range(1, 12):
        sheet.append([2026, month, 3 + month / 10])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert indicators.import_values(unit_admin, indicator, data, "r.xlsx", local_today()) == 11
    assert IndicatorValue.get(IndicatorValue.month == 11).value == Decimal("4.10")
    with pytest.raises(Invalid):
        indicators.import_values(unit_admin, indicator, _csv("a,b\n1,2\n"), "r.csv", local_today())
    with pytest.raises(Invalid):
        indicators.import_values(unit_admin, indicator, _csv("x"), "r.pdf", local_today())


def test_admin_pages_and_the_public_chart(client, login_as, unit, unit_admin, other_admin):
    login_as(unit_admin)
    assert client.get("/layanan/kelola").status_code == 200
    response = client.post(
        "/layanan/kelola",
        data={
            "unit_id": str(unit.id),
            "nama": "Waktu penyelesaian izin usaha",
            "satuan": "hari",
            "direction": "turun",
            "source": "manual",
        },
    )
    assert response.status_code == 303
    indicator = ServiceIndicator.get()
    url = f"/layanan/kelola/{indicator.id}"
    assert client.post(f"{url}/target", data={"year": "2026", "target": "5"}).status_code == 303
    assert client.post(f"{url}/realisasi", data={"month": "11", "value": "4"}).status_code == 303
    bad = client.post(f"{url}/realisasi", data={"month": "11", "value": "empat"})
    assert bad.status_code == 422 and "Isi angka." in bad.get_data(as_text=True)
    imported = client.post(
        f"{url}/impor",
        data={"berkas": (_csv("tahun,bulan,nilai\n2026,13,1\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 422 and "baris 2" in imported.get_data(as_text=True)
    login_as(other_admin)
    for target in (url, f"{url}/target"):
        method = client.get if target == url else client.post
        assert method(target).status_code == 404
    client.get("/keluar")
    public = client.get(f"/layanan/unit/{unit.id}").get_data(as_text=True)
    assert "Waktu penyelesaian izin usaha" in public
    assert "<svg" in public and "<circle" in public and "ps-target" in public
    assert '<td class="text-end">4</td>' in public  # the table beside the chart


def test_public_unit_page_queries_do_not_grow_with_indicators(client, unit, unit_admin):
    _indicator(unit_admin, unit)
    client.get(f"/layanan/unit/{unit.id}")
    with count_queries() as one:
        client.get(f"/layanan/unit/{unit.id}")
    for number, source in enumerate(["manual", "waktu_respons", "penyelesaian", "ikm"] * 2):
        _indicator(unit_admin, unit, source=source, nama=f"Indikator {number}")
    with count_queries() as nine:
        client.get(f"/layanan/unit/{unit.id}")
    # the series of every indicator in at most three queries (manual values, SKM answers,
    # complaints), the targets in one: the first indicator was manual, so two more at most
    assert len(nine.queries) - len(one.queries) <= 2, len(nine.queries) - len(one.queries)
    for number in range(8, 16):
        _indicator(unit_admin, unit, source="penyelesaian", nama=f"Indikator {number}")
    with count_queries() as seventeen:
        client.get(f"/layanan/unit/{unit.id}")
    assert len(seventeen.queries) == len(nine.queries)


def test_the_series_of_many_indicators_are_each_one_s_series(
    unit, unit_admin, handler, make_complaint
):
    manual = _indicator(unit_admin, unit, nama="Waktu izin")
    indicators.record_value(unit_admin, manual, 2026, 10, "6,25", local_today())
    days = _indicator(unit_admin, unit, source="waktu_respons", nama="Kecepatan respons")
    rate = _indicator(unit_admin, unit, source="penyelesaian", nama="Penyelesaian pengaduan")
    ikm = _indicator(unit_admin, unit, source="ikm", nama="IKM")
    complaint = make_complaint()
    complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
    handling.answer(handler, complaint, "Sudah kami tangani dengan baik.")
    make_complaint()
    service = skm.create_service(unit_admin, unit.id, "Perizinan Berusaha (PBG)", 1000)
    profile = skm.Profile("30-39", "P", "D4/S1", "Swasta")
    for score in (4, 3):
        answers = {f"u{n}": score for n in range(1, 10)}
        skm.submit(service, skm.new_token(), answers, profile, "", local_today())
    shown = [manual, days, rate, ikm]
    together = indicators.series_of(shown, 2026)
    assert together == {i.id: indicators.series(i, 2026) for i in shown}
    assert together[manual.id][9].value == 6.25 and together[rate.id][10].value == 50.0
    assert together[ikm.id][10].value == 87.5  # answers of 4 and 3: 3.5 of 4


INDICATOR_ROUTES = [
    ("get", "/layanan/kelola/{id}"),
    ("post", "/layanan/kelola/{id}/target"),
    ("post", "/layanan/kelola/{id}/realisasi"),
    ("post", "/layanan/kelola/{id}/impor"),
]


@pytest.mark.parametrize(("method", "url"), INDICATOR_ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_access_matrix_of_the_indicator_routes(
    client, login_as, unit, unit_admin, other_admin, handler, method, url, htmx
):
    indicator = _indicator(unit_admin, unit)
    target = url.format(id=indicator.id)
    headers = {"HX-Request": "true"} if htmx else {}
    assert getattr(client, method)(target, headers=headers).status_code == (401 if htmx else 302)
    for outsider in (other_admin, handler):
        login_as(outsider)
        assert getattr(client, method)(target, headers=headers).status_code == 404
    login_as(unit_admin)
    assert getattr(client, method)(target, headers=headers).status_code in (200, 422)
    assert IndicatorValue.select().count() == 0


@pytest.mark.parametrize("url", ["/layanan/kelola", "/layanan/kelola/skm"])
def test_only_admins_reach_the_indicator_admin_pages(client, login_as, handler, unit_admin, url):
    method = client.post if url.endswith("skm") else client.get
    assert method(url).status_code == 302
    login_as(handler)
    assert method(url).status_code == 404
    login_as(unit_admin)
    assert method(url).status_code in (200, 422)


def test_indicator_links_to_an_rhk_of_the_unit_heads_skp(client, unit, unit_admin, make_employee):
    from portal.performance import lifecycle, planning

    head = make_employee(nama="Kepala Dinas", unit=unit, jenis_jabatan="JPT", jabatan="Kepala")
    staff = make_employee(unit=unit, supervisor=head)
    indicator = _indicator(unit_admin, unit)
    assert indicators.rhk_choices(indicator, 2026) == []
    skp = lifecycle.create_skp(head, head)
    rhk = planning.add_rhk(
        head,
        skp,
        planning.RhkInput(
            jenis="utama",
            uraian="Meningkatnya kecepatan pelayanan perizinan",
            perspektif="Penerima Layanan",
        ),
    )
    staff_skp = lifecycle.create_skp(staff, staff)
    staff_rhk = planning.add_rhk(
        staff, staff_skp, planning.RhkInput(jenis="utama", uraian="Verifikasi berkas izin")
    )
    assert [r.id for r in indicators.rhk_choices(indicator, 2026)] == [rhk.id]
    with pytest.raises(Invalid):
        indicators.link_rhk(unit_admin, indicator, staff_rhk.id, 2026)
    indicators.link_rhk(unit_admin, indicator, rhk.id, 2026)
    assert ServiceIndicator.get_by_id(indicator.id).rhk_id == rhk.id
    page = client.get(f"/layanan/unit/{unit.id}").get_data(as_text=True)
    assert "Meningkatnya kecepatan pelayanan perizinan" in page
    indicators.link_rhk(unit_admin, indicator, 0, 2026)
    assert ServiceIndicator.get_by_id(indicator.id).rhk_id is None
