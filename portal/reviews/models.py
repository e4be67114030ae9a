"""Acting verifiers (Plt/Plh) and feedback (umpan balik berkelanjutan).

The decisions themselves live on `portal.activities.models.Activity` (status, version,
decided_by, decided_as, ...) and its `ActivityEvent` history.
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.activities.models import Activity
from portal.db import BaseModel
from portal.org.models import Employee

PLT = "Plt"
PLH = "Plh"
ACTING_KINDS = [PLH, PLT]


class ActingAssignment(BaseModel):
    """`acting` verifies in place of `absent` (an atasan) from `start_date` to `end_date`
    (local dates, both included) unless cancelled."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        absent_id: int
        acting_id: int
        appointed_by_id: int | None
        cancelled_by_id: int | None

    absent = pw.ForeignKeyField(Employee, backref="acting_replacements", on_delete="CASCADE")
    acting = pw.ForeignKeyField(Employee, backref="acting_assignments", on_delete="CASCADE")
    kind = pw.CharField(max_length=3, default=PLH)
    start_date = pw.DateField()
    end_date = pw.DateField()
    reason = pw.CharField(max_length=300, default="")
    appointed_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    cancelled_at = pw.DateTimeField(null=True)
    cancelled_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        indexes = (
            (("acting", "start_date"), False),
            (("absent", "start_date"), False),
        )

    @classmethod
    def active_on(cls, day):
        return cls.select().where(
            cls.start_date <= day, cls.end_date >= day, cls.cancelled_at.is_null()
        )


class Feedback(BaseModel):
    """One message of a feedback thread about `employee`: on one entry (`activity`), or the
    monthly dialog kinerja thread (`period` = the first day of the month, no activity)."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        employee_id: int
        activity_id: int | None
        author_id: int | None
        acting_for_id: int | None

    employee = pw.ForeignKeyField(Employee, backref="feedback_threads", on_delete="CASCADE")
    activity = pw.ForeignKeyField(Activity, null=True, backref="feedback", on_delete="CASCADE")
    period = pw.DateField(null=True)
    author = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    acting_for = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    body = pw.TextField()

    class Meta:
        table_name = "feedback_message"
        indexes = (
            (("activity", "created_at"), False),
            (("employee", "period", "created_at"), False),
        )


MODELS = [ActingAssignment, Feedback]
