"""The catalogue read-model: what the pages list, with seat counts and my sign-up, in a fixed
number of queries whatever the number of trainings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import peewee as pw

from portal.db import kept, utcnow
from portal.org.models import Employee, Unit
from portal.trainings.models import (
    ACTIVE,
    AWAITING_APPROVAL,
    CLOSED,
    JENIS,
    OFFERED,
    OPEN,
    REGISTERED,
    SEAT_HOLDING,
    WAITING,
    Registration,
    Training,
)
from portal.trainings.rules import in_audience, local_to_utc, organizer_units, registration_open
from portal.trainings.seats import process_expired_offers


@dataclass
class CatalogueRow:
    training: Training
    taken: int
    waiting: int
    mine: Registration | None
    eligible: bool

    @property
    def seats_left(self) -> int:
        return max(self.training.kuota - self.taken, 0)


@dataclass
class CatalogueFilter:
    """The catalogue's GET filters: jenis, organizing unit, a local month "YYYY-MM", and only
    the trainings I can sign up for now."""

    jenis: str = ""
    unit_id: int | None = None
    month: str = ""
    eligible_only: bool = False


def catalogue(
    actor: Employee, filters: CatalogueFilter | None = None, now: datetime | None = None
) -> list[CatalogueRow]:
    """Published trainings that are upcoming or running, with seats and my status (3 queries
    whatever the number of trainings)."""
    filters = filters or CatalogueFilter()
    now = now or utcnow()
    process_expired_offers(now=now)
    # The list's statement is compiled once a minute per filter (`portal.db.kept`): a training
    # that ended less than a minute ago may still be listed (not open for sign-up: `now` says).
    minute = now.replace(second=0, microsecond=0)
    query = Training.select(Training, Unit).join(Unit)
    query = query.where(Training.status.in_((OPEN, CLOSED)), Training.ends_at >= minute)
    if filters.jenis in JENIS:
        query = query.where(Training.jenis == filters.jenis)
    if filters.unit_id:
        query = query.where(Training.unit == filters.unit_id)
    if filters.month:
        try:
            start = datetime.strptime(filters.month, "%Y-%m")  # noqa: DTZ007 (a local month)
        except ValueError:
            start = None
        if start:
            end = (start + timedelta(days=32)).replace(day=1)
            query = query.where(
                Training.starts_at >= local_to_utc(start), Training.starts_at < local_to_utc(end)
            )
    query = query.order_by(Training.starts_at, Training.id).limit(200)
    key = (filters.jenis, filters.unit_id, filters.month, minute)
    trainings = list(kept(query, "trainings.catalogue", *key))
    return _rows(actor, trainings, now, filters.eligible_only)


def _rows(
    actor: Employee, trainings: list[Training], now: datetime, eligible_only: bool = False
) -> list[CatalogueRow]:
    ids = tuple(t.id for t in trainings) or (0,)
    per_status = (
        Registration.select(
            Registration.training, Registration.status, pw.fn.COUNT(Registration.id)
        )
        .where(Registration.training.in_(ids), Registration.status.in_((*SEAT_HOLDING, WAITING)))
        .group_by(Registration.training, Registration.status)
        .tuples()
    )
    per_status = kept(per_status, "trainings.seats_taken", ids)
    counts = {
        (training_id, status): n
        for training_id, status, n in cast(Iterable[tuple[int, str, int]], per_status)
    }
    query = Registration.select().where(
        Registration.training.in_(ids), Registration.employee == actor.id
    )
    mine = {reg.training_id: reg for reg in kept(query, "trainings.mine", ids, actor.id)}
    unit = actor.unit
    rows = []
    for t in trainings:
        taken = counts.get((t.id, REGISTERED), 0) + counts.get((t.id, OFFERED), 0)
        eligible = in_audience(actor, t, unit) and registration_open(t, now)
        if eligible_only and not eligible:
            continue
        waiting = counts.get((t.id, WAITING), 0)
        rows.append(CatalogueRow(t, taken, waiting, mine.get(t.id), eligible))
    return rows


def managed_trainings(actor: Employee) -> list[CatalogueRow]:
    """Every training `actor` organizes (all states), newest first, with seat counts."""
    units = organizer_units(actor)
    if not units:
        return []
    trainings = list(
        Training.select(Training, Unit)
        .join(Unit)
        .where(Training.unit.in_(units))
        .order_by(Training.starts_at.desc(), Training.id.desc())
        .limit(300)
    )
    return _rows(actor, trainings, utcnow())


def my_registration(actor: Employee, training: Training) -> Registration | None:
    return Registration.get_or_none(
        Registration.training == training.id, Registration.employee == actor.id
    )


def seat_counts(training: Training) -> dict[str, int]:
    """{"taken", "waiting", "awaiting"} of one training, in one query."""
    per_status = (
        Registration.select(Registration.status, pw.fn.COUNT(Registration.id))
        .where(Registration.training == training.id)
        .group_by(Registration.status)
        .tuples()
    )
    rows = dict(cast(Iterable[tuple[str, int]], per_status))
    return {
        "taken": rows.get(REGISTERED, 0) + rows.get(OFFERED, 0),
        "waiting": rows.get(WAITING, 0),
        "awaiting": rows.get(AWAITING_APPROVAL, 0),
    }


def my_upcoming(actor: Employee, limit: int = 5) -> list[Registration]:
    """My active sign-ups of trainings that have not ended (one query, compiled once a minute:
    a training that ended less than a minute ago may still be listed)."""
    minute = utcnow().replace(second=0, microsecond=0)
    # only what the dasbor shows: MariaDB sorts a join in a temporary table, which its long
    # text columns (a training's description) would make an on-disk one (0.3 ms more)
    query = (
        Registration.select(
            Registration.id, Registration.status, Training.id, Training.judul, Training.starts_at
        )
        .join(Training)
        .where(
            Registration.employee == actor.id,
            Registration.status.in_(ACTIVE),
            Training.status.in_((OPEN, CLOSED)),
            Training.ends_at >= minute,
        )
        .order_by(Training.starts_at)
        .limit(limit)
    )
    return list(kept(query, "trainings.my_upcoming", actor.id, limit, minute))
