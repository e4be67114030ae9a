"""Forms of the /laporan pages (labels with _l())."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.web.forms import PortalForm


class CloseForm(PortalForm):
    """Close the month shown for the unit shown (both hidden: the page chose them)."""

    unit = HiddenField()
    bulan = HiddenField()


class ReopenForm(PortalForm):
    alasan = TextAreaField(
        _l("Reason for reopening"),
        validators=[InputRequired(), Length(min=10, max=1000)],
        description=_l("At least 10 characters; it is kept in the audit log."),
    )


class AttendanceForm(PortalForm):
    berkas = FileField(
        _l("Kehadiran file (CSV or XLSX)"),
        description=_l("Columns: nip, tahun, bulan, kehadiran (a percentage, e.g. 97,5)."),
    )


class ExportForm(PortalForm):
    """The recap's filters come along as hidden fields; the format is the button pressed."""

    format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("xlsx", "Excel (XLSX)"),
            SelectChoice("csv", "CSV"),
            SelectChoice("pdf", "PDF"),
        ],
        validators=[InputRequired()],
    )
    bulan = HiddenField()
    unit = HiddenField()
    jabatan = HiddenField()
    capaian = HiddenField()
    urut = HiddenField()
    arah = HiddenField()
