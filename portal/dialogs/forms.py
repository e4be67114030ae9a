from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.dialogs.models import FOLLOW_UP_STATUSES, TOPICS
from portal.dialogs.rules import (
    FOLLOW_UP_LABELS,
    MAX_CONTACT,
    MAX_NAME,
    MAX_ORGANISATION,
    MAX_QUESTION,
    MAX_REASON,
)
from portal.dialogs.survey import SURVEY_SCALE, SURVEY_UNSUR
from portal.web.forms import PortalForm
from portal.web.public_forms import HoneypotMixin
from portal.web.validators import VisibleRequired


class RegistrationForm(HoneypotMixin, PortalForm):
    nama = StringField(
        _l("Full name"),
        validators=[VisibleRequired(_l("Enter your name.")), Length(max=MAX_NAME)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    organisasi = StringField(
        _l("Organisation or community (optional)"),
        validators=[Optional(), Length(max=MAX_ORGANISATION)],
        render_kw={"autocomplete": "organization", "maxlength": MAX_ORGANISATION},
    )
    kontak = StringField(
        _l("Phone/WhatsApp number or e-mail"),
        validators=[
            VisibleRequired(_l("Enter a phone number or an e-mail address.")),
            Length(max=MAX_CONTACT),
        ],
        render_kw={"autocomplete": "tel", "maxlength": MAX_CONTACT},
        description=_l("Used only to contact you about this dialog."),
    )
    setuju = BooleanField(
        _l("I have read and agree to the privacy notice"),
        validators=[DataRequired(_l("Agree to the privacy notice to register."))],
    )


class QuestionForm(HoneypotMixin, PortalForm):
    penanya = StringField(
        _l("Your name"),
        validators=[Optional(), Length(max=MAX_NAME)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    teks = TextAreaField(
        _l("Question or input"),
        validators=[
            VisibleRequired(_l("Write your question or input.")),
            Length(max=MAX_QUESTION, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"rows": 4, "maxlength": MAX_QUESTION},
        description=_l("At most 1,000 characters. It appears publicly only after moderation."),
    )
    anonim = BooleanField(_l("Ask anonymously (your name is not shown)"))


class CancelRegistrationForm(PortalForm):
    kode = StringField(
        _l("Registration code"),
        validators=[VisibleRequired(_l("Enter your registration code.")), Length(max=20)],
        render_kw={"autocomplete": "off", "maxlength": 20, "placeholder": "DP-XXXXXXXX"},
    )


class ForgotCodeForm(HoneypotMixin, PortalForm):
    """A citizen asks for their registration code again with the contact they registered with."""

    kontak_lupa = StringField(
        _l("The phone/WhatsApp number or e-mail you registered with"),
        validators=[
            VisibleRequired(_l("Enter a phone number or an e-mail address.")),
            Length(max=MAX_CONTACT),
        ],
        render_kw={"autocomplete": "email", "maxlength": MAX_CONTACT},
    )


class DialogForm(PortalForm):
    judul = StringField(
        _l("Title"), validators=[VisibleRequired(_l("Enter the title.")), Length(max=200)]
    )
    topik = SelectField(
        _l("Topic"), choices=[SelectChoice(t, t) for t in TOPICS], validators=[DataRequired()]
    )
    layanan = StringField(
        _l("Service or policy discussed"), validators=[Optional(), Length(max=200)]
    )
    deskripsi = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 5}
    )
    unit = SelectField(_l("Organising unit"), coerce=int, validators=[InputRequired()])
    tempat = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    alamat = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=300)],
        render_kw={"inputmode": "url", "placeholder": "https://"},
    )
    tanggal = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    jam_mulai = TimeField(_l("Start time"), validators=[DataRequired(_l("Enter the start time."))])
    jam_selesai = TimeField(_l("End time"), validators=[DataRequired(_l("Enter the end time."))])
    tutup_pendaftaran = DateField(
        _l("Registration closes on (optional)"),
        validators=[Optional()],
        description=_l("Empty: registration stays open until the dialog starts."),
    )
    kuota = IntegerField(
        _l("Quota of participants (optional)"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
        description=_l("Empty: no limit."),
    )
    unsur_peserta = TextAreaField(
        _l("Participants invited (unsur peserta)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3},
    )


class TransitionForm(PortalForm):
    action = HiddenField()
    notice = TextAreaField(
        _l("Notice to the public"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 2},
    )


class RejectForm(PortalForm):
    reason = StringField(
        _l("Reason for rejecting"),
        validators=[VisibleRequired(_l("Write the reason for rejecting.")), Length(max=MAX_REASON)],
    )


class ResultsForm(PortalForm):
    notulen = TextAreaField(
        _l("Minutes (notulen / berita acara)"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 8},
    )
    hadir_total = IntegerField(
        _l("Total present"), validators=[Optional(), NumberRange(min=0, max=1000000)]
    )
    hadir_masyarakat = IntegerField(
        _l("Citizens present"), validators=[Optional(), NumberRange(min=0, max=1000000)]
    )


class FollowUpForm(PortalForm):
    uraian = TextAreaField(
        _l("Follow-up commitment"),
        validators=[VisibleRequired(_l("Describe the follow-up.")), Length(max=1000)],
        render_kw={"rows": 2},
    )
    owner_unit = SelectField(_l("Unit responsible"), coerce=int, validators=[InputRequired()])
    due_date = DateField(_l("Due date"), validators=[DataRequired(_l("Enter the due date."))])


class FollowUpStatusForm(PortalForm):
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s, FOLLOW_UP_LABELS[s]) for s in FOLLOW_UP_STATUSES]
    )
    progress_note = StringField(_l("Progress note"), validators=[Optional(), Length(max=1000)])


class AttachmentForm(PortalForm):
    label = StringField(_l("Label (optional)"), validators=[Optional(), Length(max=150)])
    berkas = FileField(_l("File (PDF, DOCX, XLSX, JPG, PNG; at most 10 MB)"))


class SurveyForm(HoneypotMixin, PortalForm):
    """SKM: nine unsur, each rated 1-4 (fields u1..u9 are added below)."""

    saran = TextAreaField(
        _l("Suggestions (optional)"),
        validators=[Optional(), Length(max=MAX_QUESTION)],
        render_kw={"rows": 3, "maxlength": MAX_QUESTION},
    )


def _survey_field(label):
    return RadioField(
        label,
        coerce=int,
        choices=[SelectChoice(value, text) for value, text in SURVEY_SCALE],
        validators=[InputRequired(_l("Choose a rating."))],
    )


for _number, _label in enumerate(SURVEY_UNSUR, start=1):
    setattr(SurveyForm, f"u{_number}", _survey_field(_label))
