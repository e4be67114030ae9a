"""The Atom feed (feedgen) of answers published with the citizen's consent: the public summary
and the answer, never the citizen's name, contact or photo."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from portal.clock import utcnow
from portal.public_service.models import Complaint


def _utc(moment: datetime | None) -> datetime:
    assert moment is not None  # a published item has its publication time
    return moment.replace(tzinfo=UTC)


def answers_feed(
    answers: Sequence[Complaint],
    feed_url: str,
    site_url: str,
    title: str,
    subtitle: str,
    url_for_item: Callable[[Complaint], str],
) -> bytes:
    """Newest publication first."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("id")
    latest = None
    for item in reversed(answers):  # feedgen prepends each entry
        entry = feed.add_entry()
        link = url_for_item(item)
        entry.id(link)
        unit = item.unit.nama if item.unit is not None else _("Not yet routed")
        entry.title(f"{item.kategori} · {unit}")
        entry.link(href=link, rel="alternate")
        entry.summary(f"{item.public_summary}\n\n{_('Answer')}: {item.answer}")
        entry.published(_utc(item.published_at))
        entry.updated(_utc(item.published_at))
        entry.author({"name": unit})
        entry.category(term=item.kategori)
        if item.published_at and (latest is None or item.published_at > latest):
            latest = item.published_at
    feed.updated(_utc(latest if latest is not None else utcnow()))
    return feed.atom_str(pretty=True)
