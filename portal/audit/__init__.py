"""The audit log: who did what, from what to what, when and from where. Written by every domain
through `services.record()`; read by people through the labels in `labels` (template globals
below, used by the admin's audit log page)."""

from flask import Blueprint

from portal.audit import labels

bp = Blueprint("audit", __name__)

bp.add_app_template_global(labels.action_label, "audit_action")
bp.add_app_template_global(labels.action_options, "audit_action_options")
bp.add_app_template_global(labels.object_label, "audit_object")
bp.add_app_template_global(labels.changes, "audit_changes")
