"""The keberatan (objection) of a pegawai against a final predikat: filed with reasons within
14 calendar days (counted in the pemda's time zone), decided once by the atasan pejabat penilai
(the penilai's atasan, named at filing; an admin names one when there is none): refused, or
accepted with a new predikat (which `lifecycle.apply_objection_decision` writes). Every decision
is a conditional UPDATE on the objection's status: two deciders give one decision. Audited; both
sides notified.
"""

from __future__ import annotations

import peewee as pw
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import utcnow
from portal.db import write_transaction
from portal.errors import Conflict, Forbidden, Invalid
from portal.org import services as org
from portal.org.models import Employee
from portal.performance.evaluation import lifecycle
from portal.performance.evaluation.lifecycle import TEXT_MAX, tell
from portal.performance.evaluation.rules import (
    can_decide_objection,
    can_object,
    can_view,
    require,
)
from portal.performance.models import (
    OBJ_ACCEPTED,
    OBJ_FILED,
    OBJ_REFUSED,
    PREDIKAT,
    Evaluation,
    Objection,
)

# --- keberatan -------------------------------------------------------------------------------


def decider_for(evaluation: Evaluation) -> int | None:
    """The atasan pejabat penilai: the penilai's own atasan (None when there is none)."""
    if evaluation.penilai_id is None:
        return None
    penilai = Employee.get_or_none(Employee.id == evaluation.penilai_id)
    return penilai.supervisor_id if penilai is not None else None


def file_objection(actor: Employee, evaluation: Evaluation, alasan: str) -> Objection:
    """The pegawai objects to a final predikat with reasons, within 14 calendar days (local)."""
    require(can_view(actor, evaluation))
    existing = Objection.get_or_none(Objection.evaluation == evaluation.id)
    if not can_object(actor, evaluation, existing):
        raise Conflict(_("A keberatan can be filed once, within 14 days of the predikat."))
    alasan = (alasan or "").strip()
    if not alasan:
        raise Invalid(_("Write the reasons of your keberatan."), field="alasan")
    if len(alasan) > TEXT_MAX:
        raise Invalid(_("The text is too long."), field="alasan")
    decider = decider_for(evaluation)
    try:
        with write_transaction():
            objection = Objection.create(
                evaluation=evaluation,
                employee=actor.id,
                decider=decider,
                alasan=alasan,
                old_predikat=evaluation.predikat,
            )
            record(actor, "evaluation.object", objection, after={"decider": decider}, note=alasan)
            tell(
                decider,
                "objection_filed",
                lambda: _("%(name)s filed a keberatan against their predikat.", name=actor.nama),
                evaluation,
            )
    except pw.IntegrityError as error:
        raise Conflict(_("A keberatan was already filed.")) from error
    return objection


def name_decider(actor: Employee, objection: Objection, decider: Employee) -> Objection:
    """When there is no atasan pejabat penilai, an admin names who decides."""
    if not org.is_admin(actor):
        raise Forbidden(_("Only the admin names who decides a keberatan."))
    if decider.id == objection.employee_id:
        raise Invalid(_("The pegawai cannot decide their own keberatan."), field="decider")
    with write_transaction():
        changed = (
            Objection.update(decider=decider.id, updated_at=utcnow())
            .where(Objection.id == objection.id, Objection.status == OBJ_FILED)
            .execute()
        )
        if not changed:
            raise Conflict(_("This keberatan was already decided."))
        record(actor, "evaluation.objection_decider", objection, after={"decider": decider.id})
        objection.decider_id = decider.id
        evaluation = objection.evaluation
        tell(
            decider.id,
            "objection_filed",
            lambda: _(
                "You were named to decide the keberatan of %(name)s.",
                name=evaluation.employee.nama,
            ),
            evaluation,
        )
    return objection


def decide_objection(
    actor: Employee,
    objection: Objection,
    accept: bool,
    new_predikat: str | None = None,
    note: str = "",
) -> Objection:
    """The atasan pejabat penilai decides once: refused, or accepted with a new predikat."""
    evaluation = objection.evaluation
    require(can_view(actor, evaluation, objection))
    if not can_decide_objection(actor, objection):
        raise Conflict(_("Only the atasan pejabat penilai decides this keberatan, once."))
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise Invalid(_("The text is too long."), field="note")
    if accept and new_predikat not in PREDIKAT:
        raise Invalid(_("Choose the new predikat."), field="new_predikat")
    if not note:
        raise Invalid(_("Write the reasons of the decision."), field="note")
    status = OBJ_ACCEPTED if accept else OBJ_REFUSED
    with write_transaction():
        changed = (
            Objection.update(
                status=status,
                new_predikat=new_predikat if accept else None,
                decision_note=note,
                decided_by=actor.id,
                decided_at=utcnow(),
                updated_at=utcnow(),
            )
            .where(Objection.id == objection.id, Objection.status == OBJ_FILED)
            .execute()
        )
        if not changed:
            raise Conflict(_("This keberatan was already decided."))
        if accept and new_predikat is not None:
            lifecycle.apply_objection_decision(actor, evaluation, new_predikat)
        record(
            actor,
            "evaluation.objection_decide",
            objection,
            before={"status": OBJ_FILED},
            after={"status": status, "predikat": new_predikat},
            note=note,
        )
        objection.__data__.update(Objection.get_by_id(objection.id).__data__)
        for recipient in (evaluation.employee_id, evaluation.penilai_id):
            tell(
                recipient,
                "objection_decided",
                lambda: _("The keberatan of %(name)s was decided.", name=evaluation.employee.nama),
                evaluation,
            )
    return objection
