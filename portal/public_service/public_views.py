"""The public pages of the public service (no login): file a complaint, follow it by its
tracking code and rate the answer (/pengaduan), each unit's complaint figures and the published
answers (/layanan), and the Atom feeds (the city's and each unit's) of published answers and
of the changes of the public figures.

Every public form passes the shared gate first (`portal.web.public_forms`): the per-IP limit
(429), the form's validation (422) and the honeypot (422). No page here reads a citizen's name,
contact or photo.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, make_response, redirect, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.org import services as org
from portal.org.models import Unit
from portal.public_service import (
    bp,
    changes,
    feeds,
    filing,
    indicator_views,
    indicators,
    reading,
    skm,
)
from portal.public_service.forms import ComplaintForm, RatingForm, TrackForm
from portal.public_service.rules import STATUS_LABELS, STATUS_TONES, setting
from portal.web import public_forms, respond
from portal.web.forms import done, submit

WINDOW = 600


def _limit() -> int:
    return current_app.config.get("PUBLIC_SERVICE_POSTS_PER_IP") or setting("posts_per_ip")


def _gate(form: Any, render: Any) -> Any:
    return public_forms.refuse_public_post(form, render, "pengaduan:post", _limit(), WINDOW)


def _missed() -> Any:
    """A look-up of a code that does not exist counts against the IP (guessing codes); a found
    code costs nothing, so many citizens behind one NAT follow theirs freely."""
    return public_forms.rate_limited("pengaduan:lacak", _limit() * 10, WINDOW)


def _unit_choices() -> list[SelectChoice]:
    units = Unit.select(Unit.id, Unit.nama).where(Unit.active == True).order_by(Unit.nama)  # noqa: E712
    return [SelectChoice("", _("I don't know"))] + [
        SelectChoice(str(unit.id), unit.nama) for unit in units
    ]


def _complaint_form() -> ComplaintForm:
    form = ComplaintForm()
    form.unit_id.choices = _unit_choices()
    return form


def _render_index(form: ComplaintForm | None = None, status: int = 200) -> Response:
    if form is None:
        form = ComplaintForm(formdata=None)
        form.unit_id.choices = _unit_choices()
    return respond(
        "public_service/index.html",
        "complaint_form",
        status,
        form=form,
        track_form=TrackForm(formdata=None),
        answers=reading.published_answers(limit=10),
        response_days=setting("response_days"),
    )


@bp.get("/pengaduan", strict_slashes=False)
def index():
    return _render_index()


@bp.post("/pengaduan", strict_slashes=False)
def file_complaint():
    form = _complaint_form()
    refused = _gate(form, lambda status: _render_index(form, status))
    if refused:
        return refused
    data = filing.ComplaintInput(
        kategori=form.kategori.data,
        unit_id=form.unit_id.data,
        teks=form.teks.data,
        kontak=form.kontak.data,
        nama=form.nama.data,
        consent_publish=form.consent_publish.data,
        foto=form.foto.data,
    )
    outcome = submit(form, lambda: filing.file_complaint(data), validate=False)
    if not outcome.ok:
        return _render_index(form, outcome.status)
    complaint = outcome.result
    return done(
        _(
            "Your complaint has been received. Keep your tracking code: %(code)s.",
            code=complaint.kode,
        ),
        url_for("public_service.track", kode=complaint.kode, baru=1),
    )


@bp.get("/pengaduan/privasi")
def privacy():
    return respond("public_service/privacy.html")


@bp.get("/pengaduan/lacak")
def lookup():
    """The tracking form (GET): a valid code goes to its page, anything else is told so."""
    form = TrackForm(request.args)
    if "kode" not in request.args:
        return respond("public_service/lookup.html", form=form)
    if form.validate():
        complaint = filing.find_by_code(form.kode.data)
        if complaint is not None:
            return redirect(url_for("public_service.track", kode=complaint.kode), 303)
        limited = _missed()
        if limited:
            return limited
        form.kode.errors = [_("No complaint has this tracking code. Check it and try again.")]
    return respond("public_service/lookup.html", status=404 if form.kode.data else 422, form=form)


def _render_track(complaint: Any, rating_form: RatingForm | None = None, status: int = 200):
    response = respond(
        "public_service/track.html",
        "rating_panel",
        status,
        complaint=complaint,
        history=filing.history(complaint),
        rating_form=rating_form or RatingForm(formdata=None),
        labels=STATUS_LABELS,
        tones=STATUS_TONES,
        new=request.args.get("baru") == "1",
        overdue=complaint.status in ("diterima", "diverifikasi", "diproses")
        and complaint.due_date < local_today(),
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/pengaduan/lacak/<string(maxlength=20):kode>")
def track(kode):
    complaint = filing.find_by_code(kode)
    if complaint is None:
        return _missed() or abort(404)
    return _render_track(complaint)


@bp.post("/pengaduan/lacak/<string(maxlength=20):kode>/nilai")
def rate(kode):
    complaint = filing.find_by_code(kode)
    if complaint is None:
        abort(404)
    form = RatingForm()
    refused = _gate(form, lambda status: _render_track(complaint, form, status))
    if refused:
        return refused
    outcome = submit(
        form, lambda: filing.rate(complaint.kode, form.rating.data, form.note.data), validate=False
    )
    if not outcome.ok:
        return _render_track(complaint, form, outcome.status)
    return done(
        _("Thank you for rating the answer."),
        url_for("public_service.track", kode=complaint.kode, _anchor="penilaian"),
        fragment=lambda: _render_track(filing.find_by_code(complaint.kode)),
    )


# --- the public figures -------------------------------------------------------------------------


@bp.get("/layanan", strict_slashes=False)
def services():
    today = local_today()
    start = today.replace(month=1, day=1)
    return respond(
        "public_service/services.html",
        figures=reading.unit_figures(today, start, today),
        year=today.year,
        answers=reading.published_answers(limit=5),
    )


@bp.get("/layanan/unit/<int:unit_id>")
def unit_page(unit_id):
    unit = org.active_unit(unit_id)
    if unit is None:
        abort(404)
    today = local_today()
    start = today.replace(month=1, day=1)
    figures = reading.unit_figures(today, start, today, unit_id=unit.id)
    shown = indicators.public_of(unit)
    targets = indicators.targets_of(shown, today.year)
    points = indicators.series_of(shown, today.year)
    trends = [
        (
            indicator,
            indicator_views.trend_context(indicator, today.year, targets, points[indicator.id]),
        )
        for indicator in shown
    ]
    services = skm.public_services(unit)
    period = skm.period_of(today)
    return respond(
        "public_service/unit.html",
        unit=unit,
        trends=trends,
        skm_services=services,
        skm_results=skm.results([s.id for s in services], period),
        skm_period=period,
        minimum_sample=skm.minimum_sample,
        month_names=indicator_views.month_names(),
        figures=figures[0] if figures else None,
        year=today.year,
        answers=reading.published_answers(limit=20, unit=unit),
    )


def _atom(body: bytes) -> Response:
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _unit_url(unit_id: int) -> str:
    return url_for("public_service.unit_page", unit_id=unit_id, _external=True)


@bp.get("/pengaduan/feed.atom")
def feed():
    """The city's feed: published answers and the changes of every unit's public figures."""
    limit = setting("feed_entries")
    answers = reading.published_answers(limit=limit)
    entries = feeds.answer_entries(
        answers,
        lambda c: url_for("public_service.index", _external=True, _anchor=f"jawaban-{c.id}"),
    ) + feeds.change_entries(changes.recent(local_today(), limit), _unit_url)
    pemda = current_app.config["PEMDA_NAME"]
    return _atom(
        feeds.atom(
            entries,
            feed_url=url_for("public_service.feed", _external=True),
            site_url=url_for("public_service.services", _external=True),
            title=_("Public services of %(pemda)s", pemda=pemda),
            subtitle=_(
                "Answers published with the citizens' consent and changes of the service figures"
            ),
            limit=limit,
        )
    )


@bp.get("/layanan/unit/<int:unit_id>/feed.atom")
def unit_feed(unit_id):
    """One unit's feed: its published answers and the changes of its figures."""
    unit = org.active_unit(unit_id)
    if unit is None:
        abort(404)
    limit = setting("feed_entries")
    answers = reading.published_answers(limit=limit, unit=unit)
    entries = feeds.answer_entries(
        answers, lambda c: _unit_url(unit.id) + f"#jawaban-{c.id}"
    ) + feeds.change_entries(changes.recent(local_today(), limit, unit=unit), _unit_url)
    return _atom(
        feeds.atom(
            entries,
            feed_url=url_for("public_service.unit_feed", unit_id=unit.id, _external=True),
            site_url=_unit_url(unit.id),
            title=_("Public services of %(unit)s", unit=unit.nama),
            subtitle=_(
                "Answers published with the citizens' consent and changes of the service figures"
            ),
            limit=limit,
        )
    )
