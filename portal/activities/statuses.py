"""How an entry's status, location and history events read on a page: labels and badge colours.

The one place for them; activities and reviews both use it (the states themselves, and which
of them are editable, are in portal.activities.models).
"""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from portal.activities.models import APPROVED, DRAFT, NEEDS_REVISION, REJECTED, SUBMITTED

STATUS_LABELS = {
    DRAFT: _l("Draft"),
    SUBMITTED: _l("Submitted"),
    APPROVED: _l("Approved"),
    NEEDS_REVISION: _l("Needs revision"),
    REJECTED: _l("Rejected"),
}
# Bootstrap colour of a status badge: `text-bg-<tone>`.
STATUS_TONES = {
    DRAFT: "secondary",
    SUBMITTED: "primary",
    APPROVED: "success",
    NEEDS_REVISION: "warning",
    REJECTED: "danger",
}
LOCATION_LABELS = {"WFO": _l("Office (WFO)"), "WFH": _l("Home (WFH)"), "DL": _l("Official trip")}
# What an event is called in the pegawai's own history (a heading).
EVENT_LABELS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "copied": _l("Copied from an earlier day"),
    "submitted": _l("Submitted"),
    "resubmitted": _l("Resubmitted"),
    "approved": _l("Approved"),
    "returned": _l("Returned for revision"),
    "rejected": _l("Rejected"),
    "deleted": _l("Deleted"),
    "evidence_added": _l("Evidence added"),
    "evidence_removed": _l("Evidence removed"),
}
# What an event is called in a sentence of the verifier's history ("X returned for revision").
EVENT_PHRASES = {
    "created": _l("created"),
    "edited": _l("edited"),
    "submitted": _l("submitted"),
    "approved": _l("approved"),
    "returned": _l("returned for revision"),
    "rejected": _l("rejected"),
    "deleted": _l("deleted"),
    "withdrawn": _l("withdrawn"),
    "resubmitted": _l("resubmitted"),
    "copied": _l("copied from an earlier day"),
    "evidence_added": _l("added evidence"),
    "evidence_removed": _l("removed evidence"),
}


def labels(lazy_map: Mapping[str, object]) -> dict[str, str]:
    """A dict of lazy labels translated once (templates look them up per row)."""
    return {key: str(value) for key, value in lazy_map.items()}


def status_label(status: str) -> str:
    """The translated name of a status (the status itself when unknown)."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def status_tone(status: str) -> str:
    """The badge colour of a status."""
    return STATUS_TONES.get(status, "secondary")


def event_phrase(action: str) -> str:
    """The translated verb of a history event, for a sentence."""
    phrase = EVENT_PHRASES.get(action)
    return str(phrase) if phrase is not None else action
