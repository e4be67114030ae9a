"""In-app notifications (the bell). Delivery by e-mail is optional (SMTP settings)."""

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee


class Notification(BaseModel):
    id = pw.AutoField()
    recipient_id: int
    recipient = pw.ForeignKeyField(Employee, backref="notifications", on_delete="CASCADE")
    kind = pw.CharField(max_length=40)  # e.g. activity_returned, training_promoted
    message = pw.TextField()  # already in the recipient's language when created
    link = pw.CharField(max_length=500, default="")
    dedupe_key = pw.CharField(max_length=190, null=True)  # one notice per key and recipient
    read_at = pw.DateTimeField(null=True)
    emailed_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("recipient", "read_at"), False),
            (("recipient", "dedupe_key"), True),
        )


MODELS = [Notification]
