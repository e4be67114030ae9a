"""Closing a month: a snapshot that entries no longer move; reopening needs a reason; both
audited; overlapping closings refused; only the admin OPD of the unit (or the admin)."""

from datetime import date

import pytest

from portal.audit.models import AuditLog
from portal.errors import Conflict, Invalid, NotFound
from portal.reports import closing
from portal.reports.models import CLOSED, REOPENED, MonthClosure, RecapSnapshot
from portal.reports.recap import Filters, Month, month_recap
from portal.reports.scope import scope_for
from tests.reports.conftest import entry

OCTOBER = Month(2026, 10)


def _siti(city):
    recap = month_recap(scope_for(city["admin"]), OCTOBER, Filters())
    return next(row for row in recap.rows if row.employee.id == city["siti"].id)


def test_a_closed_month_no_longer_moves_when_entries_change(october):
    closure = closing.close_month(october["admin_opd"], october["ptsp"], OCTOBER)
    assert closure.status == CLOSED
    assert RecapSnapshot.select().where(RecapSnapshot.closure == closure.id).count() == 5
    before = _siti(october)
    assert before.closed and before.minutes_approved == 320
    entry(october["siti"], date(2026, 10, 20), 400, "disetujui")
    after = _siti(october)
    assert after.minutes_approved == 320
    assert after.days_with_entries == before.days_with_entries
    audit = AuditLog.get(AuditLog.action == "recap.month_closed")
    assert audit.actor_id == october["admin_opd"].id

    with pytest.raises(Invalid):
        closing.reopen_month(october["admin_opd"], closure, "short")
    closing.reopen_month(october["admin_opd"], closure, "Koreksi verifikasi yang terlambat")
    assert MonthClosure.get_by_id(closure.id).status == REOPENED
    assert _siti(october).minutes_approved == 720
    reopened = AuditLog.get(AuditLog.action == "recap.month_reopened")
    assert reopened.note == "Koreksi verifikasi yang terlambat"
    # and it can be closed again
    closing.close_month(october["admin_opd"], october["ptsp"], OCTOBER)


def test_closings_of_one_month_never_overlap(october):
    closing.close_month(october["admin_opd"], october["bidang"], OCTOBER)
    with pytest.raises(Conflict):
        closing.close_month(october["admin_opd"], october["ptsp"], OCTOBER)
    with pytest.raises(Conflict):
        closing.close_month(october["admin_opd"], october["bidang"], OCTOBER)


def test_only_the_admin_opd_of_the_unit_or_the_admin_closes(october):
    for who in ("kabid", "siti", "outsider"):
        with pytest.raises(NotFound):
            closing.close_month(october[who], october["ptsp"], OCTOBER)
    with pytest.raises(NotFound):
        closing.close_month(october["admin_opd"], october["dinkes"], OCTOBER)
    closing.close_month(october["admin"], october["dinkes"], OCTOBER)


def test_a_future_month_cannot_be_closed(october):
    with pytest.raises(Invalid):
        closing.close_month(october["admin_opd"], october["ptsp"], Month(2026, 12))


def test_the_admin_opd_closes_and_reopens_through_the_pages(client, login_as, october):
    login_as(october["admin_opd"])
    unit = october["bidang"]
    page = client.get(f"/laporan/?unit={unit.id}&bulan=2026-10").get_data(as_text=True)
    assert "Tutup Oktober 2026" in page
    response = client.post("/laporan/tutup", data={"unit": unit.id, "bulan": "2026-10"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Buka kembali bulan ini" in page
    closure = MonthClosure.get(MonthClosure.unit == unit.id)
    again = client.post("/laporan/tutup", data={"unit": unit.id, "bulan": "2026-10"})
    assert again.status_code == 303  # refused with a flash, nothing changes
    assert MonthClosure.select().count() == 1
    form = client.get(f"/laporan/buka/{closure.id}")
    assert form.status_code == 200
    short = client.post(f"/laporan/buka/{closure.id}", data={"alasan": "pendek"})
    assert short.status_code == 422
    done = client.post(f"/laporan/buka/{closure.id}", data={"alasan": "Koreksi data verifikasi"})
    assert done.status_code == 303
    assert MonthClosure.get_by_id(closure.id).status == REOPENED


@pytest.mark.parametrize("who", ["kabid", "siti", "outsider"])
def test_others_cannot_close_or_reopen_through_the_pages(client, login_as, october, who):
    closure = closing.close_month(october["admin_opd"], october["bidang"], OCTOBER)
    login_as(october[who])
    response = client.post(
        "/laporan/tutup", data={"unit": october["bidang"].id, "bulan": "2026-10"}
    )
    assert response.status_code == 404
    assert client.get(f"/laporan/buka/{closure.id}").status_code == 404
    assert client.post(f"/laporan/buka/{closure.id}", data={"alasan": "x" * 20}).status_code == 404
