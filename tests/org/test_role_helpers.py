"""The role helpers other domains rely on."""

from portal.org import editing, services
from portal.org.models import ROLE_ADMIN, ROLE_ADMIN_OPD, ROLE_PENYELENGGARA


def test_admin_opd_administers_only_their_subtree(make_unit, make_employee):
    dinas = make_unit(nama="Dinas Pendidikan")
    bidang = make_unit(nama="Bidang SD", parent=dinas, jenis="UPT")
    other = make_unit(nama="Dinas Kesehatan")
    opd = make_employee(unit=dinas, roles=[(ROLE_ADMIN_OPD, dinas)])
    admin = make_employee(roles=[(ROLE_ADMIN, None)])
    plain = make_employee(unit=dinas)
    assert services.can_admin_unit(opd, dinas)
    assert services.can_admin_unit(opd, bidang)
    assert not services.can_admin_unit(opd, other)
    assert services.can_admin_unit(admin, other)
    assert not services.can_admin_unit(plain, dinas)
    assert [u.id for u in services.units_in_subtree(dinas)] == [dinas.id, bidang.id]
    assert {u.id for u in services.units_administered(opd)} == {dinas.id, bidang.id}


def test_penyelenggara_covers_unit_and_descendants_not_parent(make_unit, make_employee):
    dinas = make_unit()
    bidang = make_unit(parent=dinas)
    organizer = make_employee(unit=bidang, roles=[(ROLE_PENYELENGGARA, bidang)])
    assert services.is_penyelenggara_for(organizer, bidang)
    assert services.is_penyelenggara_for(organizer, make_unit(parent=bidang))
    assert not services.is_penyelenggara_for(organizer, dinas)


def test_supervisor_chain_and_subordinates(make_employee):
    kepala = make_employee(nama="Kepala")
    sekretaris = make_employee(nama="Sekretaris", supervisor=kepala)
    kasubag = make_employee(nama="Kasubag", supervisor=sekretaris)
    staf = make_employee(nama="Staf", supervisor=kasubag)
    assert [e.nama for e in services.supervisor_chain(staf)] == ["Kasubag", "Sekretaris", "Kepala"]
    assert [e.nama for e in services.subordinates(sekretaris)] == ["Kasubag"]
    assert editing.would_cycle(kepala.id, staf)
    assert not editing.would_cycle(staf.id, kepala)


def test_supervisor_chain_stops_at_a_cycle_in_bad_data(make_employee):
    from portal.org.models import Employee

    first = make_employee()
    second = make_employee(supervisor=first)
    Employee.update(supervisor=second).where(Employee.id == first.id).execute()
    first = Employee.get_by_id(first.id)
    assert [e.id for e in services.supervisor_chain(first)] == [second.id]
