"""The demo data: a cascade from the head of the PTSP office down three levels, one returned SKP,
a few pegawai without one, and every seeded SKP obeys the rules."""

import random

from portal.auth.passwords import hash_password
from portal.clock import local_today
from portal.org import seed as org_seed
from portal.org.models import Employee, Unit
from portal.performance import demo, lifecycle, tree
from portal.performance.models import APPROVED, RETURNED, SUBMITTED, UTAMA, Rhk, Skp
from portal.performance.rules import link_is_valid


def test_the_demo_cascades_and_obeys_the_rules(app):
    context = org_seed.seed(random.Random(2026), local_today(), hash_password("x" * 16), 150)
    demo.seed(random.Random(2026), context)
    ptsp = Unit.get(Unit.kode == "DPMPTSP")
    people = tree.load_people([ptsp], local_today().year)
    head = tree.heads(people)[0]
    assert head.jenis_jabatan == "JPT" and people.state(head.id) == APPROVED
    result = tree.pohon(people)
    depth = 0
    level = result.roots
    while level:
        depth += 1
        level = [child for node in level for child in node.children]
    assert depth == 4  # the head and three levels below
    in_ptsp = (
        Skp.select()
        .join(Employee, on=(Skp.employee == Employee.id))
        .where(Employee.unit.in_([u.id for u in Unit.within([ptsp])]))
    )
    assert in_ptsp.where(Skp.status == RETURNED).count() == 1
    assert in_ptsp.where(Skp.status == RETURNED).get().return_note
    assert len([p for p, state in result.without_approved if state == "none"]) >= 3
    # Every submitted or approved SKP is complete and its links are valid.
    for skp in Skp.select().where(Skp.status.in_([SUBMITTED, APPROVED, RETURNED])):
        assert lifecycle.problems(skp) == [], (skp.id, lifecycle.problems(skp))
        for rhk in Rhk.select().where(Rhk.skp == skp.id, Rhk.jenis == UTAMA):
            if not skp.jpt:
                assert link_is_valid(skp, rhk.intervenes), rhk.uraian
    pegawai = context["pegawai"]
    assert Skp.get(Skp.employee == pegawai.id).status == SUBMITTED
