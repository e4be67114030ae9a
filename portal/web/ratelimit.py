"""Fixed-window rate limits kept in the database, so every worker and instance shares them
(no in-memory counters: the portal runs as several processes)."""

from portal import clock
from portal.db import db, is_mysql
from portal.web.models import RateCounter


def hit(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one event for `key`; True while the count in this window is within `limit`."""
    now = int(now if now is not None else clock.epoch_seconds())
    window = now - now % window_seconds
    insert = RateCounter.insert(key=key[:190], window=window, count=1)
    if is_mysql():
        insert = insert.on_conflict(update={RateCounter.count: RateCounter.count + 1})
    else:
        insert = insert.on_conflict(
            conflict_target=[RateCounter.key, RateCounter.window],
            update={RateCounter.count: RateCounter.count + 1},
        )
    with db.atomic():
        insert.execute()
        count = (
            RateCounter.select(RateCounter.count)
            .where(RateCounter.key == key[:190], RateCounter.window == window)
            .scalar()
        )
    return count <= limit


def purge(older_than_seconds: int = 86400, now: float | None = None) -> int:
    """Delete old windows (run from cron with the reminders)."""
    now = int(now if now is not None else clock.epoch_seconds())
    return RateCounter.delete().where(RateCounter.window < now - older_than_seconds).execute()
