"""Flask-WTF forms of the training pages, on PortalForm (WTForms' own messages translated)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from portal.org.models import JENIS_JABATAN
from portal.trainings.models import KLASIKAL, NONKLASIKAL
from portal.web.forms import PortalForm
from portal.web.validators import VisibleRequired


def jenis_choices():
    return [SelectChoice(j, f"{j.capitalize()} (klasikal)") for j in KLASIKAL] + [
        SelectChoice(j, f"{j.capitalize()} (nonklasikal)") for j in NONKLASIKAL
    ]


class SessionForm(Form):
    tanggal = DateField(_l("Date"), validators=[Optional()])
    mulai = TimeField(_l("Start"), validators=[Optional()])
    selesai = TimeField(_l("End"), validators=[Optional()])
    topik = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])

    def is_blank(self):
        return not (self.tanggal.data or self.mulai.data or self.selesai.data)


class TrainingForm(PortalForm):
    judul = StringField(
        _l("Title"), validators=[VisibleRequired(_l("Enter the title.")), Length(max=200)]
    )
    deskripsi = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    jenis = SelectField(_l("Type"), choices=jenis_choices())
    unit = SelectField(_l("Organizing unit"), coerce=int)
    penyelenggara = StringField(
        _l("Organizer"), validators=[Length(max=200)], description=_l("e.g. BKPSDM, BPSDM Provinsi")
    )
    narasumber = StringField(_l("Speakers"), validators=[Length(max=300)])
    tempat = StringField(_l("Venue"), validators=[Length(max=200)])
    link_daring = URLField(_l("Online link"), validators=[Optional(), URL(), Length(max=500)])
    jp = IntegerField(
        _l("JP (1 JP = 45 minutes)"),
        validators=[
            InputRequired(_l("Enter the JP.")),
            NumberRange(min=1, max=500, message=_l("JP must be a positive number.")),
        ],
    )
    kuota = IntegerField(
        _l("Quota (seats)"),
        validators=[
            InputRequired(_l("Enter the quota.")),
            NumberRange(min=1, max=5000, message=_l("The quota must be at least 1.")),
        ],
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when registration opens."))],
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when registration closes."))],
    )
    target_units = SelectMultipleField(
        _l("Only for these units (empty: everyone)"), coerce=int, validators=[Optional()]
    )
    target_jabatan = SelectMultipleField(
        _l("Only for these position types (empty: all)"),
        choices=[SelectChoice(j, j) for j in JENIS_JABATAN],
        validators=[Optional()],
    )
    needs_approval = BooleanField(_l("The atasan must approve each sign-up"))
    sessions = FieldList(FormField(SessionForm), min_entries=1)


class EmptyForm(PortalForm):
    """CSRF only (sign-up, cancel, confirm, publish ...)."""


class CancelTrainingForm(PortalForm):
    reason = TextAreaField(_l("Reason (sent to the participants)"), validators=[Length(max=1000)])


class FeedbackForm(PortalForm):
    rating = RadioField(
        _l("Rating"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[DataRequired(_l("Choose a rating from 1 to 5."))],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class ExternalRecordForm(PortalForm):
    judul = StringField(
        _l("Training title"), validators=[VisibleRequired(_l("Enter the title.")), Length(max=200)]
    )
    penyelenggara = StringField(
        _l("Organizer"), validators=[VisibleRequired(_l("Enter the organizer.")), Length(max=200)]
    )
    tanggal = DateField(_l("Date finished"), validators=[InputRequired(_l("Enter the date."))])
    jp = IntegerField(
        _l("JP"),
        validators=[
            InputRequired(_l("Enter the JP.")),
            NumberRange(min=1, max=500, message=_l("JP must be a positive number.")),
        ],
    )
    berkas = FileField(_l("Certificate (PDF, JPG or PNG)"))


class DecisionForm(PortalForm):
    note = TextAreaField(_l("Note"), validators=[Length(max=1000)])
