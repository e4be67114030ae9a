"""The demo data is made through the services and obeys their rules."""

import random

from portal.clock import local_today
from portal.org.models import ROLE_ADMIN
from portal.public_service import demo, indicators, reading, skm
from portal.public_service.models import (
    STATUSES,
    Complaint,
    IndicatorValue,
    ServiceIndicator,
    SkmService,
)


def test_demo_has_complaints_in_every_status_and_public_figures(
    app, client, make_unit, make_employee
):
    ptsp = make_unit(nama="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")
    admin = make_employee(roles=[(ROLE_ADMIN, None)])
    staff = [make_employee(unit=ptsp) for _ in range(3)]
    context = {"units": [ptsp], "employees": staff, "admin": admin, "today": local_today()}
    demo.seed(random.Random(1), context)
    statuses = {c.status for c in Complaint.select()}
    assert statuses == set(STATUSES)
    assert Complaint.select().where(Complaint.unit.is_null()).count() == 1
    published = reading.published_answers(limit=50)
    assert published and all(
        c.consent_publish for c in Complaint.select().where(Complaint.published)
    )
    assert Complaint.select().where(Complaint.rating.is_null(False)).count() >= 3
    for complaint in Complaint.select():
        assert complaint.due_date > complaint.filed_on
        if complaint.status == "selesai":
            assert complaint.closed_on >= complaint.filed_on
            assert complaint.response_days is not None
    figures = reading.unit_figures(local_today())
    assert figures[0].done == 12 and figures[0].overdue >= 1
    assert figures[0].on_time < figures[0].done  # some answers were late
    permit = ServiceIndicator.get(ServiceIndicator.source == "manual")
    assert IndicatorValue.select().where(IndicatorValue.indicator == permit.id).count() == 12
    assert sum(p.value is not None for p in indicators.series(permit, local_today().year)) == 11
    html = client.get("/layanan").get_data(as_text=True)
    assert ptsp.nama in html
    assert client.get("/pengaduan/feed.atom").status_code == 200
    unit_page = client.get(f"/layanan/unit/{ptsp.id}").get_data(as_text=True)
    assert "Waktu penyelesaian izin usaha" in unit_page and unit_page.count("<svg") >= 3
    survey = SkmService.get()
    result = skm.results([survey.id], skm.period_of(local_today()))[survey.id]
    assert result["count"] == 60 >= skm.minimum_sample(0)
    assert result["band"] in ("A", "B") and "IKM " in unit_page
