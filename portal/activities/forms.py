from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FileField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.activities.entries import EntryInput
from portal.activities.statuses import LOCATION_LABELS
from portal.web.forms import PortalForm
from portal.web.validators import VisibleRequired

TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]
MAX_ID = 2**31 - 1


def rhk_choice(value: object) -> int | None:
    """The RHK select's value: '' is none; a bounded positive id; anything else -1, which the
    service refuses like any RHK that is not the pegawai's."""
    if value is None or value in ("", "None"):
        return None
    text = str(value)
    if text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return -1


class ActivityForm(PortalForm):
    """An entry. Only these fields reach the service; status or owner fields are ignored."""

    tanggal = DateField(_l("Date"), validators=[InputRequired(_l("Enter a valid date."))])
    jam_mulai = TimeField(
        _l("Start time"),
        format=TIME_FORMATS,
        validators=[InputRequired(_l("Enter the start time, e.g. 08:00."))],
    )
    jam_selesai = TimeField(
        _l("End time"),
        format=TIME_FORMATS,
        validators=[InputRequired(_l("Enter the end time, e.g. 09:30."))],
    )
    uraian = TextAreaField(
        _l("Activity description"),
        validators=[VisibleRequired(_l("Describe the activity.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    volume = IntegerField(
        _l("Volume"),
        default=1,
        validators=[
            InputRequired(_l("The volume must be a whole number of at least 1.")),
            NumberRange(1, 100000, _l("The volume must be a whole number of at least 1.")),
        ],
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    satuan = StringField(
        _l("Output unit"),
        default="kegiatan",
        validators=[
            VisibleRequired(_l("Enter the unit of the output, e.g. dokumen.")),
            Length(max=50),
        ],
        render_kw={"list": "satuan-list"},
    )
    lokasi = SelectField(
        _l("Location"), choices=[SelectChoice(key, label) for key, label in LOCATION_LABELS.items()]
    )
    # The choices (the pegawai's approved RHK valid on the date) are set by the view; the service
    # checks the value, so a forged one gets its clear message, not WTForms' "Not a valid choice".
    rhk_id = SelectField(
        _l("RHK served (Rencana Hasil Kerja)"),
        choices=[],
        coerce=rhk_choice,
        validate_choice=False,
    )
    version = HiddenField()

    def data_for_service(self):
        return EntryInput(
            tanggal=self.tanggal.data,
            jam_mulai=self.jam_mulai.data,
            jam_selesai=self.jam_selesai.data,
            uraian=self.uraian.data,
            volume=self.volume.data,
            satuan=self.satuan.data,
            lokasi=self.lokasi.data,
            rhk_id=self.rhk_id.data,
        )


class EvidenceForm(PortalForm):
    berkas = FileField(_l("File (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB)"))
    tautan = StringField(_l("Or a link (http/https)"), validators=[Optional(), Length(max=500)])
    label = StringField(_l("Link label"), validators=[Optional(), Length(max=200)])


class HolidayForm(PortalForm):
    tanggal = DateField(_l("Date"), validators=[InputRequired(_l("Enter a valid date."))])
    jenis = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("libur_nasional", _l("National holiday")),
            SelectChoice("cuti_bersama", _l("Joint leave")),
        ],
    )
    keterangan = StringField(
        _l("Holiday name"),
        validators=[VisibleRequired(_l("Write what the holiday is.")), Length(max=200)],
    )


class UnlockForm(PortalForm):
    nip = StringField(
        _l("NIP of the pegawai"),
        validators=[DataRequired(_l("Enter the NIP.")), Length(max=18)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    tanggal = DateField(_l("Date to reopen"), validators=[InputRequired(_l("Enter a valid date."))])
    alasan = TextAreaField(
        _l("Reason"),
        validators=[
            VisibleRequired(_l("Write the reason (at least 10 characters).")),
            Length(max=1000),
        ],
        render_kw={"rows": 2},
    )
