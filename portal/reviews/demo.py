"""Demo data of verifikasi: decisions on the older entries of the demo atasan's team (approved in
a batch, one returned with a note), a Plt/Plh appointment, feedback threads and notifications.

Runs after the activities demo; when that left the demo team without entries, the activities
demo writes a small working week of submitted entries so the queue has something to show.
"""

from datetime import timedelta

from portal.activities import demo as activities_demo
from portal.activities.models import SUBMITTED, Activity
from portal.org.models import Employee
from portal.reviews import decisions, feedback, reminders
from portal.reviews.models import ActingAssignment


def seed(rng, context):
    atasan = context.get("atasan")
    pegawai = context.get("pegawai")
    today = context["today"]
    if atasan is None:
        return
    team = list(
        Employee.select()
        .where(Employee.supervisor == atasan.id, Employee.active == True)  # noqa: E712
        .order_by(Employee.nama)
    )
    if not team:
        return
    if pegawai is not None and pegawai.id in {e.id for e in team}:
        team = [e for e in team if e.id == pegawai.id] + [e for e in team if e.id != pegawai.id]
    activities_demo.ensure_submitted_week(rng, team, today)

    # Decisions on the older half of the waiting entries: a batch approval and one return.
    waiting = list(
        Activity.select()
        .where(
            Activity.employee.in_([e.id for e in team]),
            Activity.status == SUBMITTED,
            Activity.deleted_at.is_null(),
        )
        .order_by(Activity.tanggal, Activity.jam_mulai)
    )
    older = [a for a in waiting if a.tanggal <= today - timedelta(days=4)]
    returned = None
    if pegawai is not None:
        returned = next((a for a in older if a.employee_id == pegawai.id), None)
    if returned is not None:
        decisions.return_for_revision(
            atasan,
            returned.id,
            returned.version,
            "Mohon lampirkan daftar hadir rapat sebagai bukti dukung, lalu ajukan kembali.",
            today=today,
        )
    batch = [(a.id, a.version) for a in older if returned is None or a.id != returned.id]
    if batch:
        decisions.approve_entries(atasan, batch[: max(1, len(batch) * 2 // 3)], today=today)

    # Feedback: on the returned entry, and the monthly dialog kinerja.
    if returned is not None and pegawai is not None:
        returned = Activity.get_by_id(returned.id)
        returned.employee = pegawai
        feedback.post(
            pegawai,
            pegawai,
            "Baik, Bu. Daftar hadirnya masih di bagian umum, besok pagi saya unggah.",
            activity=returned,
        )
    if pegawai is not None:
        month = feedback.month_start(today)
        feedback.post(
            atasan,
            pegawai,
            "Capaian input SKP bulan ini sudah baik. Mohon kegiatan "
            "pelayanan cuti dikaitkan dengan RHK yang sesuai.",
            period=month,
        )
        feedback.post(
            pegawai, pegawai, "Siap, Bu. Mulai minggu ini saya kaitkan ke RHK 2.", period=month
        )

    # A Plh: another atasan of the same unit stands in for the demo atasan next week; and the
    # demo atasan's own atasan has a current Plh when there is a suitable colleague.
    colleague = (
        Employee.select()
        .where(
            Employee.unit == atasan.unit_id,
            Employee.id != atasan.id,
            Employee.supervisor == atasan.supervisor_id,
            Employee.active == True,  # noqa: E712
        )
        .first()
    )
    if colleague is None:
        colleague = next((e for e in team if pegawai is None or e.id != pegawai.id), None)
    if colleague is not None:
        ActingAssignment.create(
            absent=atasan,
            acting=colleague,
            kind="Plh",
            start_date=today + timedelta(days=7),
            end_date=today + timedelta(days=9),
            reason="Dinas luar: bimtek SIASN di Jakarta",
            appointed_by=atasan,
        )
    boss = (
        Employee.get_or_none(Employee.id == atasan.supervisor_id) if atasan.supervisor_id else None
    )
    if boss is not None and colleague is not None:
        ActingAssignment.create(
            absent=boss,
            acting=colleague,
            kind="Plh",
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=2),
            reason="Cuti tahunan",
            appointed_by=boss,
        )

    reminders.send(today)
