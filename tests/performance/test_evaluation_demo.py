"""The evaluation demo: a finished period for the PTSP office whose predikat follow the matrix,
one keberatan waiting within its 14 days for the atasan pejabat penilai, and an office whose
annual ratings break the Baik curve so the warning shows."""

import random

from portal.auth.passwords import hash_password
from portal.clock import local_today
from portal.org import seed as org_seed
from portal.org.models import Employee, Unit
from portal.performance import demo
from portal.performance.evaluation import distribution, lifecycle, pages
from portal.performance.evaluation.rules import can_object, objection_deadline, predikat_of
from portal.performance.models import (
    ANNUAL,
    EV_FINAL,
    OBJ_FILED,
    Evaluation,
    EvaluationPeriod,
    Objection,
    Realisasi,
)


def test_the_evaluation_demo_obeys_the_rules(app):
    context = org_seed.seed(random.Random(2026), local_today(), hash_password("x" * 16), 150)
    demo.seed(random.Random(2026), context)
    final = list(Evaluation.select().where(Evaluation.status == EV_FINAL))
    assert len(final) >= 5
    objection = Objection.get()
    assert objection.status == OBJ_FILED
    for evaluation in final:
        assert evaluation.period.jenis != ANNUAL and evaluation.period.end_date < local_today()
        assert evaluation.predikat == predikat_of(evaluation.hasil, evaluation.perilaku)
        assert Realisasi.select().where(Realisasi.evaluation == evaluation.id).exists()
        assert evaluation.feedback.count() > 0
    # the keberatan waits for the penilai's own atasan, within the 14 days
    evaluation = objection.evaluation
    penilai = Employee.get_by_id(evaluation.penilai_id)
    assert objection.decider_id == penilai.supervisor_id
    assert objection_deadline(evaluation) >= local_today()
    decider = Employee.get_by_id(objection.decider_id)
    assert pages.evaluation_page(decider, evaluation).can_decide
    assert not can_object(evaluation.employee, evaluation, objection)
    # the office breaks the Baik curve; its Kepala sees the warning
    ptsp = Unit.get(Unit.kode == "DPMPTSP")
    head = Employee.get(Employee.unit == ptsp.id, Employee.jenis_jabatan == "JPT")
    data = distribution.distribution(head, ptsp, local_today().year)
    assert data.org_predikat == "baik" and data.total >= 5
    assert data.problems
    annual = EvaluationPeriod.get(EvaluationPeriod.jenis == ANNUAL)
    assert all(e.status != EV_FINAL for e in annual.evaluations)
    assert lifecycle.snapshot(evaluation)["status"] == EV_FINAL
