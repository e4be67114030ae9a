"""The Atom feeds (feedgen): the answers published with the citizen's consent (the public summary
and the answer, never the citizen's name, contact or photo) and the changes of the public
figures (portal.public_service.changes), newest first, of the city or of one unit."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from portal.clock import utcnow
from portal.public_service.changes import Change
from portal.public_service.models import Complaint

ID_PREFIX = "urn:portal-kinerja:layanan:"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    summary: str
    link: str
    author: str
    category: str
    updated: datetime  # UTC, naive (as stored)


def answer_entries(
    answers: Sequence[Complaint], url_for_item: Callable[[Complaint], str]
) -> list[Entry]:
    entries = []
    for item in answers:
        assert item.published_at is not None  # a published item has its publication time
        unit = item.unit.nama if item.unit is not None else _("Not yet routed")
        entries.append(
            Entry(
                id=url_for_item(item),
                title=f"{item.kategori} · {unit}",
                summary=f"{item.public_summary}\n\n{_('Answer')}: {item.answer}",
                link=url_for_item(item),
                author=unit,
                category=item.kategori,
                updated=item.published_at,
            )
        )
    return entries


def change_entries(changes: Sequence[Change], url_for_unit: Callable[[int], str]) -> list[Entry]:
    return [
        Entry(
            id=ID_PREFIX + change.key,
            title=change.title,
            summary=change.summary,
            link=url_for_unit(change.unit_id),
            author=change.unit_name,
            category=change.category,
            updated=change.changed_at,
        )
        for change in changes
    ]


def atom(
    entries: Sequence[Entry],
    feed_url: str,
    site_url: str,
    title: str,
    subtitle: str,
    limit: int = 50,
) -> bytes:
    """Newest first, at most `limit` entries."""
    shown = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)[:limit]
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("id")
    for item in reversed(shown):  # feedgen prepends each entry
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.summary(item.summary)
        entry.published(item.updated.replace(tzinfo=UTC))
        entry.updated(item.updated.replace(tzinfo=UTC))
        entry.author({"name": item.author})
        entry.category(term=item.category)
    latest = shown[0].updated if shown else utcnow()
    feed.updated(latest.replace(tzinfo=UTC))
    return feed.atom_str(pretty=True)
