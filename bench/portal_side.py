"""The bench's in-process steps on the bench database, run by run.py in a subprocess with the
bench environment (DATABASE_URL, SECRET_KEY): JSON on stdin, one JSON line on stdout.

    accounts       one account per role (pegawai, atasan, admin), never one person for two,
                   each given the bench password
    count          SQL statements per request of each page (peewee's logger, as tests count them)
    surge-prep     the period-end surge's people (atasan with their own staff) and its date
    surge-verify   what the surge clients believe they saved, against the database

Measurement only: nothing here is a test, and nothing here changes the portal.
"""

import json
import logging
import sys
from datetime import timedelta

BENCH_PASSWORD = "bench-kata-sandi-2026"


def _people():
    """(id, supervisor_id, active) of everyone, and the ids of people holding any role."""
    from portal.org.models import Employee, RoleAssignment

    rows = list(Employee.select(Employee.id, Employee.supervisor, Employee.active).tuples())
    roles = {}
    for employee_id, role in RoleAssignment.select(
        RoleAssignment.employee, RoleAssignment.role
    ).tuples():
        roles.setdefault(employee_id, set()).add(role)
    active = {row[0] for row in rows if row[2]}
    staff = {}  # supervisor id -> active subordinates
    for employee_id, supervisor_id, _active in rows:
        if supervisor_id and employee_id in active:
            staff.setdefault(supervisor_id, []).append(employee_id)
    leaves = {e for e in active if e not in staff}
    return active, staff, leaves, roles


def _set_password(ids):
    from portal.auth.passwords import hash_password
    from portal.org.models import Employee

    hashed = hash_password(BENCH_PASSWORD)
    ids = list(ids)
    for start in range(0, len(ids), 500):
        Employee.update(
            password_hash=hashed, must_change_password=False, failed_logins=0, locked_until=None
        ).where(Employee.id.in_(ids[start : start + 500])).execute()


def _nips(ids):
    from portal.org.models import Employee

    return dict(
        Employee.select(Employee.id, Employee.nip).where(Employee.id.in_(list(ids))).tuples()
    )


def accounts(_request):
    """The atasan with the most staff who supervise nobody (a typical verifier), one of those
    staff as the pegawai, and an admin who is neither; three different people, none of the
    first two holding a role."""
    active, staff, leaves, roles = _people()
    plain_leaves = {
        s: [e for e in subs if e in leaves and e not in roles] for s, subs in staff.items()
    }
    candidates = sorted(
        (s for s in plain_leaves if s in active and s not in roles and plain_leaves[s]),
        key=lambda s: (-len(plain_leaves[s]), s),
    )
    picked = {}
    if candidates:
        picked["atasan"] = candidates[0]
        picked["pegawai"] = min(plain_leaves[candidates[0]])
    admins = sorted(
        (e for e, held in roles.items() if "admin" in held and e in active),
        key=lambda e: (e in staff, e),  # prefer an admin who supervises nobody
    )
    admins = [e for e in admins if e not in picked.values()]
    if admins:
        picked["admin"] = admins[0]
    assert len(set(picked.values())) == len(picked), picked  # one person, one role
    _set_password(picked.values())
    nips = _nips(picked.values())
    return {
        "accounts": {role: nips[e] for role, e in picked.items()},
        "staff_of_atasan": len(staff.get(picked.get("atasan"), [])),
    }


class _Counter(logging.Handler):
    """SQL statements only: peewee logs each one on the "peewee" logger (a pool logs its own
    messages on "peewee.pool"; those are not statements)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries = []

    def emit(self, record):
        if record.name == "peewee":
            self.queries.append(record.getMessage())


def count(request):
    """For each target: one warm-up request, then one counted request (same process)."""
    if request.get("app") == "floor":
        from bench.floor_app import app
    else:
        from portal import create_app

        app = create_app()
    client = app.test_client(use_cookies=False)
    logger = logging.getLogger("peewee")
    results = {}
    for target in request["targets"]:
        headers = {"Cookie": target["cookie"]} if target.get("cookie") else {}
        client.get(target["path"], headers=headers)
        handler = _Counter()
        old = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        try:
            response = client.get(target["path"], headers=headers)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(old)
        results[target["name"]] = {
            "status": response.status_code,
            "queries": len(handler.queries),
            "sample": [q[:160] for q in handler.queries[:3]],
        }
    return results


def surge_prep(request):
    """`sessions` people: atasan (about `atasan_share` of them) each with their own staff who
    supervise nobody; the surge date (yesterday, local: open for input, never today's clock
    limit); the staff's entries of that date set aside (soft-deleted) so every pegawai starts
    the afternoon with an empty day."""
    from portal.activities.models import Activity
    from portal.clock import local_today, utcnow

    sessions = int(request["sessions"])
    share = float(request.get("atasan_share", 0.1))
    active, staff, leaves, _roles = _people()
    groups = sorted(
        ((s, sorted(e for e in subs if e in leaves)) for s, subs in staff.items() if s in active),
        key=lambda group: (-len(group[1]), group[0]),
    )
    groups = [(s, subs) for s, subs in groups if subs]
    atasan_target = max(1, round(sessions * share))
    per_atasan = max(1, -(-(sessions - atasan_target) // atasan_target))
    chosen_atasan, chosen_pegawai = [], []
    for supervisor, subs in groups:
        if len(chosen_atasan) + len(chosen_pegawai) >= sessions:
            break
        room = sessions - len(chosen_atasan) - len(chosen_pegawai) - 1
        if room < 1:
            break
        chosen_atasan.append(supervisor)
        chosen_pegawai.extend(subs[: min(per_atasan, room)])
    day = local_today() - timedelta(days=1)
    set_aside = 0
    if chosen_pegawai:
        set_aside = (
            Activity.update(deleted_at=utcnow())
            .where(
                Activity.employee.in_(chosen_pegawai),
                Activity.tanggal == day,
                Activity.deleted_at.is_null(),
            )
            .execute()
        )
    _set_password(chosen_atasan + chosen_pegawai)
    nips = _nips(chosen_atasan + chosen_pegawai)
    return {
        "date": day.isoformat(),
        "set_aside": set_aside,
        "accounts": [{"role": "atasan", "nip": nips[e]} for e in chosen_atasan]
        + [{"role": "pegawai", "nip": nips[e]} for e in chosen_pegawai],
    }


def surge_verify(request):
    """Compare the clients' beliefs with the rows: every acknowledged entry exists (by its
    unique description), every entry acknowledged as submitted is no longer a draft, every
    entry acknowledged as approved is approved."""
    from portal.activities.models import APPROVED, SUBMITTED, Activity

    token = request["token"]
    rows = list(
        Activity.select(Activity.id, Activity.uraian, Activity.status, Activity.deleted_at).where(
            Activity.uraian.startswith(token)
        )
    )
    by_text = {row.uraian: row for row in rows if row.deleted_at is None}
    by_id = {row.id: row for row in rows}
    created = request["created"]
    missing = [text for text in created if text not in by_text]
    not_submitted = [
        text
        for text in request["submitted"]
        if text in by_text and by_text[text].status not in (SUBMITTED, APPROVED)
    ]
    approved_ids = [int(i) for i in request["approved"]]
    not_approved = [i for i in approved_ids if i in by_id and by_id[i].status != APPROVED]
    unacknowledged = [text for text in by_text if text not in set(created)]
    statuses = {}
    for row in by_text.values():
        statuses[row.status] = statuses.get(row.status, 0) + 1
    return {
        "rows": len(by_text),
        "statuses": statuses,
        "missing": len(missing),
        "missing_sample": missing[:5],
        "not_submitted": len(not_submitted),
        "not_submitted_sample": not_submitted[:5],
        "approved_checked": len([i for i in approved_ids if i in by_id]),
        "not_approved": len(not_approved),
        "not_approved_sample": not_approved[:5],
        "unacknowledged": len(unacknowledged),
    }


COMMANDS = {
    "accounts": accounts,
    "count": count,
    "surge-prep": surge_prep,
    "surge-verify": surge_verify,
}


def main():
    command = sys.argv[1]
    request = json.loads(sys.stdin.read() or "{}")
    if command == "count":  # requests connect and close as they do when served
        result = count(request)
    else:
        from portal import create_app
        from portal.db import db

        app = create_app()
        with app.app_context():
            db.connect(reuse_if_open=True)
            try:
                result = COMMANDS[command](request)
            finally:
                if not db.is_closed():
                    db.close()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
