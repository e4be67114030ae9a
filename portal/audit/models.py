"""The append-only audit log: who did what, from what to what, when and from where."""

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee


class AuditLog(BaseModel):
    id = pw.AutoField()
    actor_id: int | None
    actor = pw.ForeignKeyField(Employee, null=True, backref="audit_rows", on_delete="SET NULL")
    actor_label = pw.CharField(max_length=200, default="")
    action = pw.CharField(max_length=64, index=True)
    object_type = pw.CharField(max_length=64)
    object_id = pw.CharField(max_length=64, default="")
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)
    note = pw.TextField(null=True)
    ip = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("object_type", "object_id"), False), (("created_at",), False))


MODELS = [AuditLog]
