"""The leaders' dashboard: figures per OPD checked by hand, access, constant queries."""

from datetime import date, datetime

from portal.activities import month_totals
from portal.activities.models import Activity
from portal.reports import dashboard
from portal.reports.recap import Month
from tests.conftest import count_queries
from tests.reports.conftest import entry

OCTOBER = Month(2026, 10)


def _every_working_day(person, month_days):
    for day in month_days:
        entry(person, day, 60, "disetujui")


def test_the_figures_per_opd_match_hand_counts(october):
    # Dewi logs every working day of October (21: weekdays without Wed 14)
    days = [date(2026, 10, d) for d in range(1, 32) if date(2026, 10, d).weekday() < 5 and d != 14]
    assert len(days) == 21
    _every_working_day(october["dewi"], days)
    # Siti's approved entries were decided 2 and 4 days after submission
    for index, activity in enumerate(
        Activity.select().where(
            Activity.employee == october["siti"].id, Activity.tanggal == date(2026, 10, 5)
        )
    ):
        activity.submitted_at = datetime(2026, 10, 5, 3)
        activity.decided_at = datetime(2026, 10, 7 + 2 * index, 3)
        activity.save()
    month_totals.mark([(october["siti"].id, date(2026, 10, 5))])  # as the lifecycle would
    board = dashboard.build(october["admin"], OCTOBER)
    by_name = {o.unit.nama: o for o in board.opds}
    ptsp = by_name["Dinas Penanaman Modal dan PTSP"]
    assert ptsp.pegawai == 5
    assert ptsp.logged_every_day == 1  # Dewi only
    assert ptsp.logged_share == 20.0
    assert ptsp.median_days == 3.0  # (2 + 4) / 2
    assert by_name["Dinas Kesehatan"].pegawai == 3
    assert by_name["Dinas Kesehatan"].median_days is None
    trend = board.trend
    assert [point["month"].key for point in trend][-1] == "2026-10"
    assert len(trend) == 12
    # October: 420 (Budi) + 320 (Siti) + 21 x 60 (Dewi) approved of 8 pegawai x 6750
    assert trend[-1]["approved"] == 420 + 320 + 21 * 60


def test_the_admin_opd_sees_their_tree_and_others_get_404(client, login_as, october):
    login_as(october["admin_opd"])
    page = client.get("/laporan/dasbor?bulan=2026-10")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dinas Penanaman Modal dan PTSP" in html
    assert "Dinas Kesehatan" not in html
    assert "<svg" in html and "<desc" in html
    assert client.get(f"/laporan/dasbor?unit={october['dinkes'].id}").status_code == 404
    drill = client.get(f"/laporan/dasbor?unit={october['ptsp'].id}&bulan=2026-10")
    assert "Bidang Pelayanan Perizinan" in drill.get_data(as_text=True)
    for who in ("kabid", "siti", "outsider"):
        login_as(october[who])
        assert client.get("/laporan/dasbor").status_code == 404


def test_the_dashboard_query_count_does_not_grow(client, login_as, make_employee, city):
    login_as(city["admin"])
    counts = []
    for added in (1, 40):
        for _number in range(added):
            person = make_employee(unit=city["bidang"], supervisor=city["kabid"])
            entry(person, date(2026, 10, 5), 60, "disetujui")
        client.get("/laporan/dasbor?bulan=2026-10")
        with count_queries() as queries:
            assert client.get("/laporan/dasbor?bulan=2026-10").status_code == 200
        counts.append(len(queries.queries))
    assert counts[0] == counts[1], counts
