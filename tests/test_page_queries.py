"""Key pages run a fixed, small number of queries: the layout reads the settings once, renders
the navigation (badges, bell) once."""

import importlib
import re
from datetime import date, datetime, time, timedelta

import pytest
from flask import url_for

from portal.activities.models import SUBMITTED, Activity
from portal.notifications.services import mark_read, notify
from portal.performance.models import SUBMITTED as SKP_SUBMITTED
from portal.performance.models import Skp
from portal.public_service.models import IN_PROGRESS, Complaint
from portal.reviews.models import ActingAssignment
from portal.trainings.models import AWAITING_APPROVAL, OPEN, Registration, Training
from tests.conftest import count_queries


def test_the_layout_reads_settings_and_the_bell_once(client, login_as, make_employee):
    boss = make_employee()
    login_as(make_employee(supervisor=boss))
    client.get("/")  # warm-up (first request of the app)
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    statements = queries.queries
    settings_reads = [q for q in statements if 'FROM "setting"' in q or "FROM `setting`" in q]
    bell = [q for q in statements if 'FROM "notification"' in q or "FROM `notification`" in q]
    assert len(settings_reads) == 1, settings_reads
    assert len(bell) == 1, bell


# --- the navigation's facts (issue 15): one statement per page, the same menus and badges ---

NAV_FACTS = (
    "is_atasan",
    "roles",
    "acting_today",
    "unread_notifications",
    "complaints_assigned",
    "training_approvals",
    "skp_waiting",
)
NAV_LINK = re.compile(
    r'<a class="nav-link[^"]*"[^>]*href="([^"]+)">[^<]*'
    r'(?:<span class="badge[^"]*">([\d.]+))?'
)
BELL = re.compile(r'notification-bell.*?</svg>[^<]*<span class="bell-label">[^<]*</span>'
                  r'(?: <span class="badge[^"]*">([\d.]+))?', re.S)  # fmt: skip


def _touches(statement, table):
    return re.search(rf'[`"]{table}[`"]', statement) is not None


def _menu(html):
    """{href: badge number} of the main menu, and the bell's number."""
    main = html.split('<ul class="navbar-nav me-auto', 1)[1].split("</ul>", 1)[0]
    links = {href: int((badge or "0").replace(".", "")) for href, badge in NAV_LINK.findall(main)}
    bell = BELL.search(html)
    assert bell, "the bell is shown"
    return links, int(bell.group(1) or 0)


@pytest.fixture
def office(app, make_unit, make_employee):
    """kepala -> atasan -> pegawai; a Plh standing in for the atasan today; an admin. The atasan
    has one entry, one SKP and one training sign-up of the pegawai waiting, three unread
    notices; the pegawai handles a complaint and has two unread notices (and one read)."""
    unit = make_unit(nama="Dinas Komunikasi dan Informatika")
    kepala = make_employee(nama="Kepala Dinas", unit=unit)
    atasan = make_employee(nama="Kepala Bidang", unit=unit, supervisor=kepala)
    pegawai = make_employee(nama="Staf Bidang", unit=unit, supervisor=atasan)
    plh = make_employee(nama="Pelaksana Harian", unit=unit, supervisor=kepala)
    admin = make_employee(nama="Admin Kota", unit=unit, roles=[("admin", None)])
    today = date(2026, 11, 23)
    ActingAssignment.create(absent=atasan, acting=plh, start_date=today, end_date=today)
    Activity.create(
        employee=pegawai, tanggal=today, jam_mulai=time(8), jam_selesai=time(9), minutes=60,
        uraian="Menyusun laporan", volume=1, satuan="laporan", status=SUBMITTED,
        version=2, submitted_at=datetime(2026, 11, 23, 2, 0),
    )  # fmt: skip
    Skp.create(
        employee=pegawai, penilai=atasan, unit=unit, tahun=2026, status=SKP_SUBMITTED,
        start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
    )  # fmt: skip
    now = datetime(2026, 11, 23, 8, 0)
    training = Training.create(
        judul="Bimtek Penyusunan SKP", jenis="bimtek", unit=unit, jp=8, kuota=30,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=6),
        status=OPEN, starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=4),
    )  # fmt: skip
    Registration.create(training=training, employee=pegawai, status=AWAITING_APPROVAL)
    Complaint.create(
        kode="ADU-NAVQ2345", kategori="Perizinan", unit=unit, teks="Izin belum terbit.",
        kontak="0812 3456 7890", status=IN_PROGRESS, filed_on=today, due_date=today,
        assignee=pegawai,
    )  # fmt: skip
    for index in range(3):
        notify(atasan, "uji", f"Pemberitahuan {index}")
    for index in range(2):
        notify(pegawai, "uji", f"Pemberitahuan {index}")
    read = notify(pegawai, "uji", "Sudah dibaca")
    mark_read(pegawai, read.id)
    return {"kepala": kepala, "atasan": atasan, "pegawai": pegawai, "plh": plh, "admin": admin}


def _urls(app):
    with app.test_request_context():
        return {
            name: url_for(endpoint)
            for name, endpoint in {
                "verification": "reviews.queue",
                "performance": "performance.index",
                "training": "trainings.index",
                "complaints": "public_service.manage",
                "reports": "reports.index",
                "admin": "admin.index",
                "activities": "activities.day",
            }.items()
        }


@pytest.mark.parametrize("role", ["pegawai", "atasan", "plh", "admin"])
@pytest.mark.parametrize("page", ["/", "/kegiatan", "/verifikasi"])
def test_a_page_reads_the_navigation_facts_in_one_statement(
    app, client, login_as, office, role, page
):
    login_as(office[role])
    client.get(page)  # warm-up (first request of the app)
    with count_queries() as queries:
        response = client.get(page)
    assert response.status_code in (200, 404)
    facts = [q for q in queries.queries if "unread_notifications" in q]
    assert len(facts) == 1, queries.queries
    assert all(f'{name}"' in facts[0] or f"{name}`" in facts[0] for name in NAV_FACTS)
    for table in ("notification", "complaint", "role_assignment"):  # the admin's roles too
        touching = [q for q in queries.queries if _touches(q, table)]
        assert touching == facts, (table, touching)
    # Whether the user has subordinates is asked there, not once more on its own.
    alone = [q for q in queries.queries if q.startswith("('SELECT EXISTS") and q not in facts]
    assert alone == [], alone


def test_a_full_page_reads_its_user_facts_and_settings_in_one_statement(
    app, client, login_as, office
):
    """One round trip instead of three: the signed-in user's load on a full page carries the
    navigation facts and the settings table; a POST or an htmx request, the settings only."""
    login_as(office["atasan"])
    client.get("/kegiatan")  # warm-up (first request of the app)
    with count_queries() as page:
        assert client.get("/kegiatan").status_code == 200
    first, rest = page.queries[0], page.queries[1:]
    assert _touches(first, "employee") and _touches(first, "unit"), first
    assert _touches(first, "setting") and "nav_unread_notifications" in first, first
    assert not any(_touches(q, "setting") or "unread_notifications" in q for q in rest), rest
    with count_queries() as fragment:
        response = client.get("/kegiatan", headers={"HX-Request": "true"})
    assert response.status_code == 200
    first, rest = fragment.queries[0], fragment.queries[1:]
    assert _touches(first, "employee") and _touches(first, "setting"), first
    assert "unread_notifications" not in first  # read after a change, or not at all
    assert not any(_touches(q, "setting") for q in rest), rest


def test_a_page_shows_a_setting_changed_since_the_last_page(app, client, login_as, office):
    """The settings carried by the user's load are read afresh on every page."""
    from portal import settings

    login_as(office["pegawai"])
    assert "6.750" in client.get("/").text  # the dasbor's monthly target (the default)
    with app.test_request_context():
        settings.put("activities.monthly_target_minutes", 7777)
    page = client.get("/").text
    assert "7.777" in page and "6.750" not in page


def test_pages_without_a_signed_in_user_or_without_the_layout_read_no_facts(
    app, client, login_as, office
):
    client.get("/dialog-publik")
    with count_queries() as anonymous:
        assert client.get("/dialog-publik").status_code == 200
    assert not any("unread_notifications" in q for q in anonymous.queries)
    login_as(office["pegawai"])
    with count_queries() as fragment:
        response = client.get("/kegiatan", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "navbar-nav" not in response.text
    # the menu is not in a fragment: neither its facts nor its checks are asked
    assert not any("unread_notifications" in q for q in fragment.queries)
    for table in ("notification", "complaint", "training_registration", "role_assignment"):
        assert not any(_touches(q, table) for q in fragment.queries), table


def test_each_role_sees_its_menus_with_their_numbers(app, client, login_as, office):
    url = _urls(app)
    seen = {}
    for role in ("pegawai", "atasan", "plh", "admin", "kepala"):
        login_as(office[role])
        seen[role] = _menu(client.get("/kegiatan").text)

    links, bell = seen["pegawai"]
    assert bell == 2
    assert url["complaints"] in links and url["activities"] in links
    assert links[url["performance"]] == 0 and links[url["training"]] == 0
    assert url["verification"] not in links and url["reports"] not in links
    assert url["admin"] not in links

    links, bell = seen["atasan"]
    assert bell == 3
    assert links[url["verification"]] == 1
    assert links[url["performance"]] == 1
    assert links[url["training"]] == 1
    assert url["reports"] in links
    assert url["complaints"] not in links and url["admin"] not in links

    links, bell = seen["plh"]  # verifies for the atasan today, without subordinates
    assert bell == 0
    assert links[url["verification"]] == 1
    assert links[url["performance"]] == 0 and links[url["training"]] == 0
    assert url["reports"] in links
    assert url["complaints"] not in links and url["admin"] not in links

    links, bell = seen["admin"]
    assert bell == 0
    assert url["admin"] in links and url["complaints"] in links and url["reports"] in links
    assert url["verification"] not in links
    assert links[url["performance"]] == 0 and links[url["training"]] == 0

    links, bell = seen["kepala"]  # the entry has not waited long enough to escalate
    assert url["verification"] in links and links[url["verification"]] == 0
    assert links[url["performance"]] == 0 and links[url["training"]] == 0


def test_the_facts_statement_is_compiled_once_per_user_and_day_and_read_fresh(
    app, client, login_as, office, frozen_clock, monkeypatch
):
    """Peewee builds the facts' SQL once per user and day in a process (building it costs far
    more than running it); every page still reads the answers afresh."""
    portal_db = importlib.import_module("portal.db")  # (the package exports the proxy `db`)
    from portal.web import nav

    built = []

    def spy(name, build):
        def counted(user, day):
            built.append((name, user.id, day))
            return build(user, day)

        return counted

    for name, (build, read) in list(nav._FACTS.items()):
        monkeypatch.setitem(nav._FACTS, name, (spy(name, build), read))
    monkeypatch.setattr(portal_db, "_KEPT_SQL", {})
    monkeypatch.setattr(portal_db, "_check_kept_sql", False)  # as in production: built once
    atasan = office["atasan"]
    login_as(atasan)
    client.get("/")
    assert {(user, day) for _, user, day in built} == {(atasan.id, date(2026, 11, 23))}
    assert len(built) == len(NAV_FACTS)
    built.clear()
    bell_before = _menu(client.get("/").get_data(as_text=True))[1]
    notify(atasan, "info", "Pemberitahuan baru")
    bell_after = _menu(client.get("/").get_data(as_text=True))[1]
    assert built == []  # the same statement, not built again ...
    assert bell_after == bell_before + 1  # ... and a fresh answer

    frozen_clock.shift(timedelta(days=1))  # a new day: the Plt/Plh of yesterday no longer holds
    tomorrow = login_as(atasan, app.test_client())  # (yesterday's session has ended)
    assert tomorrow.get("/").status_code == 200
    assert {day for _, _, day in built} == {date(2026, 11, 24)}
    assert len(built) == len(NAV_FACTS)


ACTING_LOOKUP = re.compile(r"""^\('SELECT [`"]t1[`"]\.[`"]absent_id[`"] FROM""")


def test_the_evaluation_page_learns_who_acts_as_plt_from_the_facts(client, login_as, office):
    """The SKP rules ask whom the user stands in for; the facts' one statement answers "nobody"
    for most, and only a Plt/Plh's page looks the appointments up."""
    login_as(office["atasan"])
    with count_queries() as log:
        page = client.get("/kinerja/evaluasi")
    assert page.status_code == 200
    assert not [q for q in log.queries if ACTING_LOOKUP.match(q)]
    login_as(office["plh"])
    with count_queries() as log:
        page = client.get("/kinerja/evaluasi")
    assert page.status_code == 200
    assert len([q for q in log.queries if ACTING_LOOKUP.match(q)]) == 1


WAITING_COUNT = re.compile(r"""^\('SELECT [`"]t1[`"]\.[`"]id[`"], [`"]t1[`"]\.[`"]submitted_at""")
SUBORDINATE_LIST = re.compile(
    r"""^\('SELECT [`"]t1[`"]\.[`"]id[`"], [`"]t1[`"]\.[`"]nama[`"], [`"]t1[`"]\.[`"]supervisor"""
)


def test_the_queue_page_counts_its_badge_from_the_queue_it_shows(app, client, login_as, office):
    """The whole waiting queue on the page is the menu badge's number: no statement of its own
    (elsewhere, the badge counts)."""
    url = _urls(app)
    login_as(office["atasan"])
    client.get("/verifikasi")  # warm-up
    with count_queries() as log:
        page = client.get("/verifikasi")
    assert page.status_code == 200
    assert not [q for q in log.queries if WAITING_COUNT.match(q)], log.queries
    assert _menu(page.text)[0][url["verification"]] == 1
    with count_queries() as log:
        elsewhere = client.get("/kegiatan")
    assert len([q for q in log.queries if WAITING_COUNT.match(q)]) == 1
    # ... and only that one: the badge needs no list of the subordinates
    assert not [q for q in log.queries if SUBORDINATE_LIST.match(q)], log.queries
    assert _menu(elsewhere.text)[0][url["verification"]] == 1
    filtered = client.get("/verifikasi?status=disetujui")  # another list: the badge counts
    assert _menu(filtered.text)[0][url["verification"]] == 1
