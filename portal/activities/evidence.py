"""Bukti dukung: files and links attached to a pegawai's own editable entry, and who may
download them."""

from typing import Any
from urllib.parse import urlparse

from flask_babel import gettext as _

from portal.activities import lifecycle
from portal.activities.models import EVIDENCE_LINK, MAX_EVIDENCE, Activity, Evidence
from portal.activities.rules import (
    MAX_UPLOAD_BYTES,
    can_view_entries_of,
    check_editable,
    lock_employee,
    own_entry,
)
from portal.db import write_transaction
from portal.errors import Invalid, NotFound
from portal.org.models import Employee
from portal.web import uploads
from portal.web.validators import visible_text


def _room_for_evidence(actor: Employee, activity: Activity) -> Activity:
    """The actor's own entry, if it is editable and has fewer than 5 pieces of evidence."""
    current = own_entry(actor, activity.id)
    check_editable(current)
    count = Evidence.select().where(Evidence.activity == current.id).count()
    if count >= MAX_EVIDENCE:
        raise Invalid(
            _("An activity can have at most %(n)s pieces of evidence.", n=MAX_EVIDENCE), "berkas"
        )
    return current


def file_size(file_storage: Any) -> int:
    stream = file_storage.stream
    try:
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
    except (AttributeError, OSError):
        return 0
    return size


def add_file(actor: Employee, activity: Activity, file_storage: Any) -> Evidence:
    """Attach an uploaded file (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB; checked by content)
    to the pegawai's own Draf or Perlu Revisi entry; at most 5 pieces of evidence per entry."""
    _room_for_evidence(actor, activity)
    if file_size(file_storage) > MAX_UPLOAD_BYTES:
        raise Invalid(_("The file is larger than 10 MB."), "berkas", status=413)
    try:
        stored = uploads.save(file_storage, max_bytes=MAX_UPLOAD_BYTES)
    except uploads.UploadError as error:
        raise Invalid(str(error), "berkas") from None
    try:
        with write_transaction():
            lock_employee(actor)
            current = _room_for_evidence(actor, activity)
            evidence = Evidence.create(
                activity=current.id,
                kind=stored.kind,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                size=stored.size,
            )
            lifecycle.touch(
                actor,
                current,
                "evidence_added",
                stored.original_name,
                after={"file": stored.original_name},
            )
    except Exception:
        uploads.delete(stored.stored_name)
        raise
    return evidence


def add_link(
    actor: Employee, activity: Activity, url: str | None, label: str | None = ""
) -> Evidence:
    """Attach a link (http or https only) as evidence to the pegawai's own editable entry."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
        raise Invalid(_("Enter a link that starts with http:// or https://."), "tautan")
    label = visible_text(label)[:200] or parsed.netloc
    with write_transaction():
        lock_employee(actor)
        current = _room_for_evidence(actor, activity)
        evidence = Evidence.create(
            activity=current.id, kind=EVIDENCE_LINK, original_name=label, url=url
        )
        lifecycle.touch(actor, current, "evidence_added", url, after={"url": url})
    return evidence


def delete_evidence(actor: Employee, activity: Activity, evidence_id: int) -> None:
    """Remove evidence from the pegawai's own editable entry (the stored file is deleted)."""
    with write_transaction():
        lock_employee(actor)
        current = own_entry(actor, activity.id)
        evidence = Evidence.get_or_none(Evidence.id == evidence_id, Evidence.activity == current.id)
        if evidence is None:
            raise NotFound(_("The evidence does not exist."))
        check_editable(current)
        evidence.delete_instance()
        lifecycle.touch(
            actor,
            current,
            "evidence_removed",
            evidence.original_name,
            before={"name": evidence.original_name},
        )
    if evidence.stored_name:
        uploads.delete(evidence.stored_name)


def evidence_for_download(actor: Any, evidence_id: int) -> Evidence:
    """The evidence row if `actor` may download it (owner, atasan chain, admins of the owner's
    unit), else NotFound."""
    row = (
        Evidence.select(Evidence, Activity)
        .join(Activity)
        .where(Evidence.id == evidence_id, Activity.deleted_at.is_null())
        .first()
    )
    if row is None or row.kind == EVIDENCE_LINK or not row.stored_name:
        raise NotFound(_("The evidence does not exist."))
    owner = Employee.get_by_id(row.activity.employee_id)
    if not can_view_entries_of(actor, owner):
        raise NotFound(_("The evidence does not exist."))
    return row
