"""The public dialogs as iCalendar (.ics, one event per dialog) and as an Atom feed (feedgen)."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, vText

from portal.dialogs.models import CANCELLED, POSTPONED, Dialog


def _utc(moment: datetime | None) -> datetime | None:
    """A stored naive UTC timestamp as an aware one (a public dialog is always announced)."""
    return moment.replace(tzinfo=UTC) if moment is not None else None


def _location(dialog: Dialog) -> str:
    parts = [part for part in (dialog.tempat, dialog.alamat) if part]
    if dialog.online_url:
        parts.append(dialog.online_url)
    return ", ".join(parts)


def dialog_ics(dialog: Dialog, url: str, host: str, organizer_name: str) -> bytes:
    """One VEVENT; STATUS follows the dialog (CANCELLED, TENTATIVE when postponed)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Portal Kinerja ASN//Dialog Publik//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"dialog-{dialog.id}@{host}")
    event.add("dtstamp", _utc(dialog.updated_at))
    event.add("dtstart", _utc(dialog.starts_at))
    event.add("dtend", _utc(dialog.ends_at))
    event.add("summary", dialog.judul)
    description = [dialog.layanan, dialog.deskripsi, url]
    if dialog.notice:
        description.insert(0, dialog.notice)
    event.add("description", "\n\n".join(part for part in description if part))
    location = _location(dialog)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("sequence", dialog.version)
    event["organizer"] = vText(organizer_name)
    if dialog.status == CANCELLED:
        event.add("status", "CANCELLED")
    elif dialog.status == POSTPONED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def atom_feed(
    dialogs: Sequence[Dialog],
    feed_url: str,
    site_url: str,
    title: str,
    subtitle: str,
    url_for_dialog: Callable[[Dialog], str],
    summary_for: Callable[[Dialog], str],
) -> bytes:
    """An Atom feed of announced dialogs, newest announcement first."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("id")
    latest = None
    for dialog in reversed(dialogs):  # feedgen prepends each entry
        entry = feed.add_entry()
        link = url_for_dialog(dialog)
        entry.id(link)
        entry.title(dialog.judul)
        entry.link(href=link, rel="alternate")
        entry.summary(summary_for(dialog))
        entry.published(_utc(dialog.announced_at))
        entry.updated(_utc(dialog.updated_at))
        entry.author({"name": dialog.unit.nama})
        entry.category(term=dialog.topik)
        if latest is None or dialog.updated_at > latest:
            latest = dialog.updated_at
    if latest is not None:
        feed.updated(_utc(latest))
    return feed.atom_str(pretty=True)
