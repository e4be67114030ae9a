"""The satisfaction survey (SKM, PermenPANRB 14/2017) per service of a unit and per period
(semester): nine unsur, each with its own four answer words, the respondent's profile, one
answer per respondent, IKM = mean of the unsur means x 25 with its band (the dialogs' `ikm_band`),
and the minimum sample for the service's population (Krejcie-Morgan).

A respondent is identified by a token the portal signs (itsdangerous, with the app's secret):
issued on the survey page (kept in a cookie and echoed by the form) or printed by the service
desk as a link; a forged or altered token is refused, and a token answers once per service and
period (unique index)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import peewee as pw
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from portal.audit import services as audit
from portal.db import db, kept, write_transaction
from portal.dialogs.rules import clean_text
from portal.dialogs.survey import SURVEY_UNSUR, ikm_band
from portal.errors import Invalid, NotFound
from portal.org import services as org
from portal.org.models import Unit
from portal.public_service.models import (
    AGE_BANDS,
    EDUCATIONS,
    JOBS,
    SEXES,
    SkmResponse,
    SkmService,
)

FIELDS = [f"u{n}" for n in range(1, 10)]
# The four answer words of each unsur (1 = worst .. 4 = best), as PermenPANRB 14/2017 words them.
ANSWER_WORDS = [
    [_l("Not appropriate"), _l("Less appropriate"), _l("Appropriate"), _l("Very appropriate")],
    [_l("Not easy"), _l("Less easy"), _l("Easy"), _l("Very easy")],
    [_l("Not fast"), _l("Less fast"), _l("Fast"), _l("Very fast")],
    [_l("Very expensive"), _l("Fairly expensive"), _l("Cheap"), _l("Free of charge")],
    [_l("Not appropriate"), _l("Less appropriate"), _l("Appropriate"), _l("Very appropriate")],
    [_l("Not competent"), _l("Less competent"), _l("Competent"), _l("Very competent")],
    [
        _l("Not polite and friendly"),
        _l("Less polite and friendly"),
        _l("Polite and friendly"),
        _l("Very polite and friendly"),
    ],
    [
        _l("Not available"),
        _l("Available but not working"),
        _l("Working, not at its best"),
        _l("Well managed"),
    ],
    [_l("Poor"), _l("Fair"), _l("Good"), _l("Very good")],
]
MAX_SARAN = 1000
SALT = "skm-respondent"


def period_of(day: date) -> str:
    """The survey period of a date: the semester, e.g. '2026-S2'."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def minimum_sample(population: int) -> int:
    """Krejcie-Morgan: n = X2 N P(1-P) / (d2 (N-1) + X2 P(1-P)), X2 = 3.841, P = 0.5, d = 0.05."""
    if population <= 0:
        return 0
    chi, share, margin = 3.841, 0.5, 0.05
    n = (
        chi
        * population
        * share
        * (1 - share)
        / (margin**2 * (population - 1) + chi * share * (1 - share))
    )
    return math.ceil(round(n, 6))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_token() -> str:
    return str(_serializer().dumps(secrets.token_urlsafe(16)))


def respondent_of(token: str | None) -> str | None:
    """The respondent id inside a token the portal signed, or None (absent, forged, altered)."""
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) and 8 <= len(value) <= 64 else None


# --- services of a unit ---------------------------------------------------------------------------


def public_services(unit: Unit) -> list[SkmService]:
    """The unit's active services (its public page: compiled once per unit)."""
    query = (
        SkmService.select()
        .where(SkmService.unit == unit.id, SkmService.active == True)  # noqa: E712
        .order_by(SkmService.nama)
    )
    return list(kept(query, "skm.public_services", unit.id))


def get_public(service_id: int) -> SkmService:
    service = (
        SkmService.select(SkmService, Unit)
        .join(Unit)
        .where(SkmService.id == service_id, SkmService.active == True)  # noqa: E712
        .first()
    )
    if service is None:
        raise NotFound(_("This service was not found."))
    return service


def create_service(actor: Any, unit_id: Any, nama: str | None, populasi: Any) -> SkmService:
    """The unit's admin names a surveyed service and its users per period."""
    try:
        unit_id = int(unit_id or 0)
    except (TypeError, ValueError):
        unit_id = 0
    if not unit_id or not org.can_admin_unit(actor, unit_id):
        raise Invalid(_("Choose a unit you administer."), "unit_id")
    name = clean_text(nama, 200)
    if len(name) < 3:
        raise Invalid(_("Name the service."), "nama")
    try:
        population = int(populasi or 0)
    except (TypeError, ValueError):
        population = -1
    if not 0 <= population <= 10_000_000:
        raise Invalid(_("Enter the number of service users (0 to 10,000,000)."), "populasi")
    with write_transaction():
        service = SkmService.create(unit=unit_id, nama=name, populasi=population)
        audit.record(actor, "skm.service_create", service, after={"nama": name})
    return service


# --- answering ------------------------------------------------------------------------------------


@dataclass
class Profile:
    usia: str | None
    jenis_kelamin: str | None
    pendidikan: str | None
    pekerjaan: str | None


def submit(
    service: SkmService,
    token: str | None,
    answers: Mapping[str, Any],
    profile: Profile,
    saran: str | None,
    today: date,
) -> SkmResponse:
    """One answer per respondent (a portal-signed token) per service and period."""
    respondent = respondent_of(token)
    if respondent is None:
        raise Invalid(_("This survey link is not valid; open the survey page again."))
    values = {}
    for index, name in enumerate(FIELDS):
        value = answers.get(name)
        if value not in (1, 2, 3, 4):
            raise Invalid(
                _("Rate every element (%(unsur)s is missing).", unsur=SURVEY_UNSUR[index]), name
            )
        values[name] = value
    for field, value, allowed in (
        ("usia", profile.usia, AGE_BANDS),
        ("jenis_kelamin", profile.jenis_kelamin, SEXES),
        ("pendidikan", profile.pendidikan, EDUCATIONS),
        ("pekerjaan", profile.pekerjaan, JOBS),
    ):
        if value not in allowed:
            raise Invalid(_("Choose one of the options."), field)
    text = clean_text(saran, MAX_SARAN, multiline=True)
    try:
        with db.atomic():
            return SkmResponse.create(
                service=service.id,
                period=period_of(today),
                respondent=respondent,
                usia=profile.usia,
                jenis_kelamin=profile.jenis_kelamin,
                pendidikan=profile.pendidikan,
                pekerjaan=profile.pekerjaan,
                saran=text,
                **values,
            )
    except pw.IntegrityError:
        raise Invalid(_("You have already filled in the survey for this service.")) from None


def has_answered(service: SkmService, token: str | None, today: date) -> bool:
    respondent = respondent_of(token)
    if respondent is None:
        return False
    return bool(
        SkmResponse.select(SkmResponse.id)
        .where(
            SkmResponse.service == service.id,
            SkmResponse.period == period_of(today),
            SkmResponse.respondent == respondent,
        )
        .exists()
    )


# --- results --------------------------------------------------------------------------------------


def results(service_ids: list[int], period: str) -> dict[int, dict[str, Any]]:
    """{service id: count, unsur means, IKM, band} for a period, one grouped query."""
    if not service_ids:
        return {}
    columns = [pw.fn.AVG(getattr(SkmResponse, name)) for name in FIELDS]
    query = (
        SkmResponse.select(SkmResponse.service, pw.fn.COUNT(SkmResponse.id), *columns)
        .where(SkmResponse.service.in_(service_ids), SkmResponse.period == period)
        .group_by(SkmResponse.service)
        .tuples()
    )
    found: dict[int, dict[str, Any]] = {}
    rows = kept(query, "skm.results", period, *service_ids)
    for row in cast(list[tuple[Any, ...]], list(rows)):
        means = [float(value) for value in row[2:]]
        ikm = sum(means) / len(means) * 25
        letter, label = ikm_band(ikm)
        found[row[0]] = {
            "count": int(row[1]),
            "unsur": list(zip(SURVEY_UNSUR, means, strict=True)),
            "ikm": ikm,
            "band": letter,
            "band_label": label,
        }
    return found
