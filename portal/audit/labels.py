"""How the audit log reads to a person: Indonesian labels of the action codes every domain
writes, the object named humanly ("Pertanyaan #34"), and only what changed, field by field.

The action codes of every domain are listed here, grouped by domain: a domain that writes a new
code with `record()` / `Entry()` adds its label below (tests/audit checks that every code the
code base writes has one). The log itself stores the codes, never the words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from portal import settings
from portal.web.formatting import tanggal_pendek, waktu

ACTIONS: dict[str, Any] = {
    # auth
    "auth.locked": _l("Account locked after failed sign-ins"),
    "auth.end_sessions": _l("Other sessions ended"),
    "auth.password_change": _l("Password changed"),
    "auth.password_reset": _l("Password reset"),
    "auth.password_reset_by_atasan": _l("Password reset by the atasan"),
    "auth.password_reset_link": _l("Password reset through the e-mailed link"),
    "auth.reset_requested": _l("Password reset link requested"),
    "auth.language": _l("Language changed"),
    # org and admin
    "unit.create": _l("Unit added"),
    "unit.update": _l("Unit changed"),
    "employee.create": _l("Pegawai added"),
    "employee.update": _l("Pegawai changed"),
    "employee.activate": _l("Pegawai activated"),
    "employee.deactivate": _l("Pegawai deactivated"),
    "employee.import": _l("Personnel file imported"),
    "employee.import_create": _l("Pegawai added by import"),
    "employee.import_update": _l("Pegawai changed by import"),
    "role.grant": _l("Role granted"),
    "role.revoke": _l("Role revoked"),
    "setting.update": _l("Setting changed"),
    # activities
    "activity.created": _l("Entry added"),
    "activity.edited": _l("Entry changed"),
    "activity.deleted": _l("Entry deleted"),
    "activity.submitted": _l("Entry submitted"),
    "activity.resubmitted": _l("Entry resubmitted"),
    "activity.approved": _l("Entry approved"),
    "activity.returned": _l("Entry returned for revision"),
    "activity.rejected": _l("Entry rejected"),
    "activity.evidence_added": _l("Evidence added"),
    "activity.evidence_removed": _l("Evidence removed"),
    # reviews
    "acting.appoint": _l("Plt/Plh appointed"),
    "acting.cancel": _l("Plt/Plh appointment cancelled"),
    "feedback.post": _l("Feedback sent"),
    # trainings
    "training.create": _l("Training added"),
    "training.update": _l("Training changed"),
    "training.publish": _l("Training published"),
    "training.close": _l("Training registration closed"),
    "training.reopen": _l("Training registration reopened"),
    "training.cancel": _l("Training cancelled"),
    "training.complete": _l("Training completed"),
    "training.attendance": _l("Attendance saved"),
    "registration.sign_up": _l("Signed up for a training"),
    "registration.cancel": _l("Training sign-up cancelled"),
    "registration.confirm": _l("Offered seat confirmed"),
    "registration.offer": _l("Seat offered from the waiting list"),
    "registration.offer_expired": _l("Seat offer expired"),
    "registration.approve": _l("Training sign-up approved"),
    "registration.reject": _l("Training sign-up rejected"),
    "registration.feedback": _l("Training feedback given"),
    "jp_record.create": _l("External JP record submitted"),
    "jp_record.verify": _l("External JP record verified"),
    "jp_record.reject": _l("External JP record rejected"),
    "calendar_token.create": _l("Calendar address made"),
    "calendar_token.renew": _l("Calendar address renewed"),
    # dialogs
    "dialog.created": _l("Dialog added"),
    "dialog.updated": _l("Dialog changed"),
    "dialog.announced": _l("Dialog announced"),
    "dialog.registration_closed": _l("Dialog registration closed"),
    "dialog.registration_reopened": _l("Dialog registration reopened"),
    "dialog.finished": _l("Dialog finished"),
    "dialog.postponed": _l("Dialog postponed"),
    "dialog.cancelled": _l("Dialog cancelled"),
    "dialog.minutes_saved": _l("Dialog minutes saved"),
    "dialog.results_published": _l("Dialog results published"),
    "dialog.registrants_exported": _l("Registrants exported"),
    "dialog.attachment_added": _l("Attachment added"),
    "dialog.attachment_removed": _l("Attachment removed"),
    "dialog.registered": _l("Citizen registered"),
    "dialog.registration_cancelled": _l("Citizen registration cancelled"),
    "dialog.code_resent": _l("Registration code sent again"),
    "dialog.question_submitted": _l("Question submitted"),
    "dialog.question_approved": _l("Question approved"),
    "dialog.question_rejected": _l("Question rejected"),
    "dialog.question_merged": _l("Question merged"),
    "dialog.follow_up_added": _l("Follow-up added"),
    "dialog.follow_up_updated": _l("Follow-up updated"),
    # public service (complaints)
    "complaint.filed": _l("Complaint filed"),
    "complaint.verified": _l("Complaint verified"),
    "complaint.assigned": _l("Complaint assigned"),
    "complaint.answered": _l("Complaint answered"),
    "complaint.rejected": _l("Complaint rejected"),
    "complaint.published": _l("Complaint answer published"),
    "complaint.unpublished": _l("Complaint answer withdrawn"),
    "complaint.logged": _l("Complaint logged as a daily entry"),
    "complaint.escalated": _l("Complaint escalated past its deadline"),
    "service_indicator.create": _l("Service indicator added"),
    "service_indicator.target": _l("Service indicator target set"),
    "service_indicator.value": _l("Service indicator realisasi entered"),
    "service_indicator.import": _l("Service indicator realisasi imported"),
    "service_indicator.rhk": _l("Service indicator linked to an RHK"),
    "skm.service_create": _l("Surveyed service added"),
    # performance (SKP)
    "skp.create": _l("SKP created"),
    "skp.submit": _l("SKP submitted"),
    "skp.approve": _l("SKP approved"),
    "skp.return": _l("SKP returned for revision"),
    "skp.new_version": _l("New SKP version"),
    "skp.close": _l("SKP closed"),
    "skp.expectations": _l("Special expectations set"),
    "skp.lampiran": _l("SKP attachments changed"),
    "rhk.add": _l("RHK added"),
    "rhk.update": _l("RHK changed"),
    "rhk.delete": _l("RHK deleted"),
    "rhk.share": _l("RHK shared with subordinates"),
    "indicator.add": _l("Indicator added"),
    "indicator.delete": _l("Indicator deleted"),
    "iku.create": _l("IKU added"),
    # performance (evaluation)
    "evaluation.calendar": _l("Evaluation calendar made"),
    "evaluation.window": _l("Evaluation window moved"),
    "evaluation.open": _l("Evaluation opened"),
    "evaluation.realisasi": _l("Realisasi saved"),
    "evaluation.submit": _l("Realisasi submitted"),
    "evaluation.rate": _l("Performance rated"),
    "evaluation.finalize": _l("Predikat set (Tetapkan)"),
    "evaluation.calibrate": _l("Predikat calibrated"),
    "evaluation.predikat": _l("Predikat changed by a keberatan"),
    "evaluation.object": _l("Keberatan filed"),
    "evaluation.objection_decider": _l("Keberatan decider named"),
    "evaluation.objection_decide": _l("Keberatan decided"),
    "evaluation.unit_predikat": _l("Organisation predikat set"),
    "evaluation.follow_up": _l("Follow-up recorded"),
    "evaluation.peer_request": _l("Colleague asked for input"),
    "evaluation.peer_input": _l("Colleague input given"),
    "iku.deactivate": _l("IKU deactivated"),
    # reports
    "recap.month_closed": _l("Month closed for the recap"),
    "recap.month_reopened": _l("Month reopened for the recap"),
    "attendance.imported": _l("Kehadiran imported"),
}

OBJECTS: dict[str, Any] = {
    "Activity": _l("Entry"),
    "Attendance": _l("Kehadiran"),
    "ActingAssignment": _l("Plt/Plh appointment"),
    "CalendarToken": _l("Calendar address"),
    "Complaint": _l("Complaint"),
    "ServiceIndicator": _l("Service indicator"),
    "SkmService": _l("Surveyed service"),
    "Dialog": _l("Dialog"),
    "DialogAttachment": _l("Attachment"),
    "Employee": _l("Pegawai"),
    "Evidence": _l("Evidence"),
    "ExternalRecord": _l("External JP record"),
    "Feedback": _l("Feedback"),
    "FollowUp": _l("Follow-up"),
    "Question": _l("Question"),
    "Registration": _l("Registration"),
    "Setting": _l("Setting"),
    "Skp": _l("SKP"),
    "Rhk": _l("RHK"),
    "Indicator": _l("Indicator"),
    "Iku": _l("IKU"),
    "Training": _l("Training"),
    "Unit": _l("Unit"),
}

FIELDS: dict[str, Any] = {
    "status": _l("Status"),
    "role": _l("Role"),
    "unit": _l("Unit"),
    "registration": _l("Registration"),
    "question": _l("Question"),
    "file": _l("File"),
    "url": _l("Link"),
    "version": _l("Version"),
    "value": _l("Value"),
    "active": _l("Active"),
    "language": _l("Language"),
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


def action_label(code: str) -> str:
    """'dialog.question_approved' -> 'Pertanyaan disetujui'; an unknown code shows as itself."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def action_options(codes: list[str]) -> list[tuple[str, str]]:
    """(code, label) pairs for the log's action filter, by label."""
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])


def object_label(object_type: str, object_id: str) -> str:
    """'Question', '34' -> 'Pertanyaan #34'; a setting by its label."""
    if object_type == "Setting" and object_id:
        definition = settings.DEFINITIONS.get(object_id)
        if definition is not None:
            return f"{OBJECTS['Setting']}: {definition.label}"
    name = OBJECTS.get(object_type)
    name = str(name) if name is not None else object_type
    if not object_id:
        return name
    return f"{name} #{object_id}" if object_id.isdigit() else f"{name} {object_id}"


def show_value(value: Any) -> str:
    """A logged value for a person: None '–', True 'Ya', False 'Tidak', dates local."""
    if value is None or value == "":
        return "–"
    if value is True:
        return str(_l("Yes (a yes/no value)"))
    if value is False:
        return str(_l("No (a yes/no value)"))
    if isinstance(value, list):
        return ", ".join(show_value(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {show_value(v)}" for k, v in value.items())
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            try:  # stored timestamps are UTC (portal rule); shown in local time
                return waktu(datetime.fromisoformat(value))
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            try:
                return tanggal_pendek(date.fromisoformat(value))
            except ValueError:
                return value
    return str(value)


def field_label(key: str) -> str:
    label = FIELDS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def _load(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def changes(before: str | None, after: str | None) -> list[Change]:
    """What changed between the stored before and after, one row per field: only fields whose
    value differs (all of them when one side is empty: a creation or a deletion)."""
    old, new = _load(before), _load(after)
    if isinstance(old, dict) or isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
        keys = list(old) + [key for key in new if key not in old]
        return [
            Change(field_label(key), show_value(old.get(key)), show_value(new.get(key)))
            for key in keys
            if old.get(key) != new.get(key)
        ]
    if old is None and new is None:
        return []
    return [Change("", show_value(old), show_value(new))]
