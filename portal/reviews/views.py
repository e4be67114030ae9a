"""Thin routes of /verifikasi (queue, decisions, Plt/Plh) and /umpan-balik (monthly threads)."""

from datetime import date

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import fn

from portal.activities.lifecycle import APPROVE, RETURN
from portal.activities.models import (
    APPROVED,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
)
from portal.activities.statuses import STATUS_LABELS
from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import Invalid
from portal.org.models import Employee
from portal.reviews import bp, decisions, feedback, feedback_bp
from portal.reviews.acting import (
    Appointment,
    acting_assignments,
    acting_list,
    appoint_acting,
    appointments_query,
    can_cancel_acting,
    cancel_acting,
    employee_by_nip,
    know_acting,
    may_manage_acting,
)
from portal.reviews.forms import ActingForm, DecisionForm, EmptyForm, FeedbackForm
from portal.reviews.models import ActingAssignment
from portal.reviews.queue import (
    QueueFilter,
    entry_page,
    viewable_entry,
    waiting_count,
    warned_entries,
)
from portal.reviews.queue import queue as load_queue
from portal.reviews.scope import is_verifier
from portal.web import access, dashboard, nav, respond
from portal.web.forms import attempt, done, submit
from portal.web.respond import respond_changes, wants_fragment

L = access.LOGIN
access.register(
    {
        "reviews.queue": L,
        "reviews.approve_many": L,
        "reviews.entry": L,
        "reviews.decide": L,
        "reviews.entry_feedback": L,
        "reviews.acting": L,
        "reviews.acting_create": L,
        "reviews.acting_cancel": L,
        "feedback.index": L,
        "feedback.thread": L,
        "feedback.post": L,
    }
)

nav.add(
    _l("Verification"),
    "reviews.queue",
    order=30,
    visible=is_verifier,
    badge=waiting_count,
)
nav.add(_l("Feedback"), "feedback.index", order=35)


# Whether the user is a Plt/Plh today, with the navigation facts; when not (most pegawai),
# `is_verifier` and the scope need no query for it. The waiting count stays a query of its own
# (for verifiers only): it filters the escalated entries by working days in Python.
nav.add_fact(
    "acting_today",
    lambda user, day: fn.EXISTS(appointments_query(user, day)),
    know_acting,
)


def _dashboard_context(user):
    if not user.is_authenticated or not is_verifier(user):
        return None
    return {"waiting": waiting_count(user), "acting": acting_assignments(user)}


dashboard.add("reviews/_dashboard_panel.html", _dashboard_context, order=20)

STATUS_FILTERS = [
    *(
        (status, STATUS_LABELS[status])
        for status in (SUBMITTED, APPROVED, NEEDS_REVISION, REJECTED)
    ),
    ("semua", _l("All")),
]


def _date_arg(source, name):
    try:
        return date.fromisoformat(source.get(name, ""))
    except ValueError:
        return None


def _filters(source):
    status = source.get("status") or SUBMITTED
    if status not in {value for value, _label in STATUS_FILTERS}:
        status = SUBMITTED
    try:
        employee_id = int(source.get("pegawai") or 0) or None
    except ValueError:
        employee_id = None
    return QueueFilter(
        employee_id=employee_id,
        start=_date_arg(source, "dari"),
        end=_date_arg(source, "sampai"),
        status=status,
    )


def _filter_args(filters):
    args = {}
    if filters.employee_id:
        args["pegawai"] = filters.employee_id
    if filters.start:
        args["dari"] = filters.start.isoformat()
    if filters.end:
        args["sampai"] = filters.end.isoformat()
    if filters.status != SUBMITTED:
        args["status"] = filters.status
    return args


def _require_verifier():
    if not is_verifier(current_user):
        abort(404)


def _queue_page(filters, status=200):
    data = load_queue(current_user, filters)
    return respond(
        "reviews/queue.html",
        "queue",
        status=status,
        queue=data,
        filters=filters,
        filter_args=_filter_args(filters),
        status_filters=STATUS_FILTERS,
        form=EmptyForm(),
        today=local_today(),
    )


@bp.get("")
def queue():
    # The page's navigation facts first (one statement): for most, they settle is_verifier.
    # (A POST reads them only when it renders, after its change.)
    nav.facts(current_user)
    _require_verifier()
    return _queue_page(_filters(request.args))


@bp.post("/setujui")
def approve_many():
    """Bulk approval: the clicked button's `ids` (a pegawai's day, or everything shown) or the
    ticked `pilih` boxes. Without JavaScript a confirmation page comes first."""
    _require_verifier()
    form = EmptyForm()
    filters = _filters(request.form)
    if not form.validate_on_submit():
        abort(400)
    queue_url = url_for("reviews.queue", **_filter_args(filters))
    values = request.form.getlist("ids") or request.form.getlist("pilih")
    outcome = attempt(lambda: _chosen(values))
    if outcome.ok and not wants_fragment() and request.form.get("confirmed") != "1":
        items = outcome.result
        return respond(
            "reviews/confirm.html",
            items=",".join(f"{i}:{v}" for i, v in items),
            count=len(items),
            warned=warned_entries(current_user, filters, {i for i, _v in items}),
            filter_args=_filter_args(filters),
            form=form,
        )
    if outcome.ok:
        items = outcome.result
        outcome = attempt(lambda: decisions.approve_entries(current_user, items))
    if not outcome.ok:
        status = outcome.status
        return done(None, queue_url, lambda: _queue_page(filters, status=status))
    result = outcome.result
    category = "success" if result.decided else "warning"
    return done(
        result.message(),
        queue_url,
        lambda: _queue_changes(filters, result.decided),
        category=category,
    )


def _queue_changes(filters, decided):
    """For htmx, after a decision: only the days and pegawai it touched, the summary and the
    toolbar (out of band); the whole queue when it is empty now."""
    data = load_queue(current_user, filters)
    if not data.groups:
        return _queue_page(filters)
    groups = {group.employee.id: group for group in data.groups}
    owners = {}
    touched = sorted({(row.employee_id, row.tanggal) for row in decided})
    changed_days = []
    for owner_id, tanggal in touched:
        group = groups.get(owner_id)
        if group is None:
            if owner_id not in owners:
                owners[owner_id] = Employee(id=owner_id)
                changed_days.append((owners[owner_id], tanggal, None, None))
            continue
        day = next((d for d in group.days if d.tanggal == tanggal), None)
        changed_days.append((group.employee, tanggal, day, group))
    touched_owners = {owner_id for owner_id, _tanggal in touched}
    changed_groups = [(g.employee, g) for g in data.groups if g.employee.id in touched_owners]
    return respond_changes(
        "reviews/_queue_changed.html",
        queue=data,
        changed_days=changed_days,
        changed_groups=changed_groups,
        waiting=data.status == SUBMITTED,
        filters=filters,
        filter_args=_filter_args(filters),
        today=local_today(),
    )


def _chosen(values):
    items = decisions.parse_items(values)
    if not items:
        raise Invalid(_("Choose at least one entry."))
    return items


def _load_entry(activity_id):
    return viewable_entry(current_user, activity_id)


def _entry_page(activity, decision_form=None, feedback_form=None, status=200, block=None):
    source = request.form if request.method == "POST" else request.args
    return respond(
        "reviews/entry.html",
        block,
        status=status,
        queue_args=_filter_args(_filters(source)),
        **entry_page(current_user, activity),
        decision_form=decision_form or DecisionForm(formdata=None, version=activity.version),
        feedback_form=feedback_form or FeedbackForm(formdata=None),
    )


@bp.get("/kegiatan/<int:activity_id>")
def entry(activity_id):
    return _entry_page(_load_entry(activity_id))


@bp.post("/kegiatan/<int:activity_id>/putuskan")
def decide(activity_id):
    activity = _load_entry(activity_id)
    form = DecisionForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in decisions.ACTIONS:
        return _entry_page(activity, decision_form=form, status=422)
    try:
        version = int(form.version.data)
    except ValueError:
        abort(400)

    def run():
        if action == APPROVE:
            return decisions.approve_entry(
                current_user, activity.id, version, form.menit_diakui.data, form.note.data
            )
        if action == RETURN:
            return decisions.return_for_revision(current_user, activity.id, version, form.note.data)
        return decisions.reject_entry(current_user, activity.id, version, form.note.data)

    outcome = submit(form, run, validate=False)
    if not outcome.ok:
        return _entry_page(_load_entry(activity_id), decision_form=form, status=outcome.status)
    if request.form.get("next") == "entry":
        target = url_for("reviews.entry", activity_id=activity.id)
    else:
        # Back to the queue as the verifier filtered it.
        target = url_for("reviews.queue", **_filter_args(_filters(request.form)))
    return done(outcome.result.message(), target)


@bp.post("/kegiatan/<int:activity_id>/umpan-balik")
def entry_feedback(activity_id):
    activity = _load_entry(activity_id)
    form = FeedbackForm()
    outcome = submit(
        form,
        lambda: feedback.post(current_user, activity.employee, form.body.data, activity=activity),
    )
    if outcome.ok:
        return done(
            _("Message sent."),
            url_for("reviews.entry", activity_id=activity.id) + "#umpan-balik",
            lambda: _entry_page(activity, block="thread"),
        )
    return _entry_page(activity, feedback_form=form, status=outcome.status, block="thread")


# --- Plt/Plh --------------------------------------------------------------------------------


def _acting_page(form=None, status=200):
    if not may_manage_acting(current_user):
        abort(404)
    rows = acting_list(current_user)
    today = local_today()
    return respond(
        "reviews/acting.html",
        "acting_list",
        status=status,
        rows=rows,
        today=today,
        form=form or ActingForm(formdata=None, start_date=today, end_date=today),
        cancel_form=EmptyForm(),
        can_cancel=lambda row: can_cancel_acting(current_user, row),
    )


@bp.get("/plh")
def acting():
    return _acting_page()


@bp.post("/plh")
def acting_create():
    if not may_manage_acting(current_user):
        abort(404)
    form = ActingForm()

    def appoint():
        absent = employee_by_nip(form.absent_nip.data) if form.absent_nip.data else current_user
        return appoint_acting(
            current_user,
            Appointment(
                absent,
                employee_by_nip(form.acting_nip.data),
                form.kind.data,
                form.start_date.data,
                form.end_date.data,
                form.reason.data,
            ),
        )

    outcome = submit(form, appoint)
    if outcome.ok:
        return done(_("The Plt/Plh has been appointed."), url_for("reviews.acting"))
    return _acting_page(form, status=outcome.status)


@bp.post("/plh/<int:assignment_id>/batal")
def acting_cancel(assignment_id):
    assignment = get_or_404(ActingAssignment, assignment_id)
    if not can_cancel_acting(current_user, assignment):
        abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt(lambda: cancel_acting(current_user, assignment))
    message = _("The appointment has been cancelled.") if outcome.ok else None
    return done(message, url_for("reviews.acting"), _acting_page)


# --- monthly feedback threads (/umpan-balik) --------------------------------------------------


@feedback_bp.get("")
def index():
    today = local_today()
    own, subordinates = feedback.thread_list(current_user, today)
    return respond(
        "reviews/feedback_index.html",
        own=own,
        subordinates=subordinates,
        current=f"{today:%Y-%m}",
        today=today,
    )


def _thread_target(employee_id, period):
    employee = get_or_404(Employee, employee_id)
    month = feedback.parse_period(period)
    if month is None or not feedback.can_open_thread(current_user, employee):
        abort(404)
    return employee, month


def _thread_page(employee, month, form=None, status=200, block=None):
    return respond(
        "reviews/thread.html",
        block,
        status=status,
        employee=employee,
        month=month,
        messages=feedback.messages(employee, period=month),
        form=form or FeedbackForm(formdata=None),
    )


@feedback_bp.get("/<int:employee_id>/<period>")
def thread(employee_id, period):
    employee, month = _thread_target(employee_id, period)
    return _thread_page(employee, month)


@feedback_bp.post("/<int:employee_id>/<period>")
def post(employee_id, period):
    employee, month = _thread_target(employee_id, period)
    form = FeedbackForm()
    outcome = submit(
        form, lambda: feedback.post(current_user, employee, form.body.data, period=month)
    )
    if outcome.ok:
        return done(
            _("Message sent."),
            url_for("feedback.thread", employee_id=employee.id, period=period),
            lambda: _thread_page(employee, month, block="thread"),
        )
    return _thread_page(employee, month, form=form, status=outcome.status, block="thread")
