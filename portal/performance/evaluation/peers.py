"""Rekan kerja: the penilai names colleagues who give advisory input on the BerAKHLAK values of
an evaluation. A rekan sees only the input form they were asked for (everything else stays
404); the penilai reads the input with names while rating; the pegawai reads it without names.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import utcnow
from portal.db import db, kept, write_transaction
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.performance import rules as skp_rules
from portal.performance.evaluation.rules import can_rate, can_view, is_penilai, require
from portal.performance.models import EV_FINAL, Evaluation, PeerInput, PeerRequest
from portal.web.paths import path_for

NOTE_MAX = 2000
PEERS_MAX = 5


def request_input(actor: Employee, evaluation: Evaluation, peer: Employee) -> PeerRequest:
    """The penilai asks a colleague of the pegawai (not the pegawai, not themself) for input."""
    require(can_view(actor, evaluation))
    if not can_rate(actor, evaluation):
        raise Conflict(_("Only the penilai asks colleagues, until the predikat is set."))
    if peer.id in (evaluation.employee_id, actor.id) or not peer.active:
        raise Invalid(_("Choose a colleague of the pegawai."), field="peer")
    with write_transaction():
        count = PeerRequest.select().where(PeerRequest.evaluation == evaluation.id).count()
        if count >= PEERS_MAX:
            raise Conflict(_("At most %(max)s colleagues per evaluation.", max=PEERS_MAX))
        if (
            PeerRequest.select()
            .where(PeerRequest.evaluation == evaluation.id, PeerRequest.peer == peer.id)
            .exists()
        ):
            raise Conflict(_("This colleague was already asked."), field="peer")
        request = PeerRequest.create(evaluation=evaluation, peer=peer, requested_by=actor.id)
        record(actor, "evaluation.peer_request", request, after={"peer": peer.id})
        with force_locale(peer.language or "id"):
            message = _(
                "%(name)s asks for your input on the work behaviour of %(colleague)s.",
                name=actor.nama,
                colleague=evaluation.employee.nama,
            )
        notify(
            peer, "peer_request", message, path_for("evaluation.peer_form", request_id=request.id)
        )
    return request


def own_request(actor: Employee, request_id: int) -> PeerRequest:
    """The request addressed to `actor` (404 for anybody else)."""
    request = PeerRequest.get_or_none(PeerRequest.id == request_id)
    if request is None or request.peer_id != actor.id:
        raise NotFound(_("The request was not found."))
    return request


def give_input(actor: Employee, request: PeerRequest, notes: dict[str, str]) -> PeerRequest:
    """The rekan gives advisory notes per value (once), while the evaluation is open."""
    if request.peer_id != actor.id:
        raise NotFound(_("The request was not found."))
    if request.evaluation.status == EV_FINAL:
        raise Conflict(_("The predikat is already final."))
    codes = set(skp_rules.value_codes())
    cleaned = {k: (v or "").strip() for k, v in notes.items() if k in codes and (v or "").strip()}
    if not cleaned:
        raise Invalid(_("Write at least one note."))
    if any(len(v) > NOTE_MAX for v in cleaned.values()):
        raise Invalid(_("The text is too long."))
    with write_transaction():
        changed = (
            PeerRequest.update(submitted_at=utcnow(), updated_at=utcnow())
            .where(PeerRequest.id == request.id, PeerRequest.submitted_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict(_("You already gave your input."))
        with db.atomic():
            for kode, catatan in cleaned.items():
                PeerInput.create(request=request, kode=kode, catatan=catatan)
        record(actor, "evaluation.peer_input", request, after={"values": sorted(cleaned)})
    return request


@dataclass
class PeerNote:
    kode: str
    catatan: str
    author: str | None  # None for the pegawai: advisory input without names


def notes_for(actor: Employee, evaluation: Evaluation) -> list[PeerNote]:
    """The rekan input on an evaluation: with names for the penilai, without for others (the
    pegawai, admins): two queries."""
    with_names = is_penilai(actor, evaluation)
    rows = (
        PeerInput.select(PeerInput, PeerRequest, Employee)
        .join(PeerRequest)
        .join(Employee, on=(PeerRequest.peer == Employee.id))
        .where(PeerRequest.evaluation == evaluation.id)
        .order_by(PeerInput.kode, PeerInput.id)
    )
    return [
        PeerNote(row.kode, row.catatan, row.request.peer.nama if with_names else None)
        for row in rows
    ]


def requests_for(evaluation: Evaluation) -> list[PeerRequest]:
    return list(
        PeerRequest.select(PeerRequest, Employee)
        .join(Employee, on=(PeerRequest.peer == Employee.id))
        .where(PeerRequest.evaluation == evaluation.id)
        .order_by(PeerRequest.id)
    )


def waiting_for(actor: Employee) -> list[PeerRequest]:
    """Requests waiting for `actor`'s input: one query."""
    query = (
        PeerRequest.select(PeerRequest, Evaluation, Employee)
        .join(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(PeerRequest.peer == actor.id, PeerRequest.submitted_at.is_null())
        .order_by(PeerRequest.id)
    )
    return list(kept(query, "evaluation.peer_waiting", actor.id))
