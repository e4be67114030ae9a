"""Flask-WTF forms of the public-service pages (labels with _l())."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.dialogs.survey import SURVEY_UNSUR
from portal.public_service.models import AGE_BANDS, CATEGORIES, EDUCATIONS, JOBS
from portal.public_service.rules import (
    MAX_ANSWER,
    MAX_CONTACT,
    MAX_NAME,
    MAX_RATING_NOTE,
    MAX_REASON,
    MAX_SUMMARY,
    MAX_TEXT,
    RATINGS,
)
from portal.public_service.skm import ANSWER_WORDS
from portal.web.forms import PortalForm
from portal.web.public_forms import HoneypotMixin


class ComplaintForm(HoneypotMixin, PortalForm):
    kategori = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("— choose —"))] + [SelectChoice(c, c) for c in CATEGORIES],
        validators=[DataRequired(_l("Choose a category."))],
    )
    unit_id = SelectField(
        _l("Office concerned"),
        choices=[],  # filled by the view: ("", "I don't know") and the public units
        validate_choice=False,
        description=_l("Choose “I don't know” if you are unsure: we will route it."),
    )
    teks = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(_l("Describe the problem.")),
            Length(max=MAX_TEXT, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"rows": 5, "maxlength": MAX_TEXT},
        description=_l("Where and when, what you expected. At most 2,000 characters."),
    )
    foto = FileField(_l("Photo (optional, JPG or PNG, at most 3 MB)"))
    nama = StringField(
        _l("Your name (optional)"),
        validators=[Optional(), Length(max=MAX_NAME)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )
    kontak = StringField(
        _l("Phone/WhatsApp number or e-mail"),
        validators=[
            DataRequired(_l("Enter a phone number or an e-mail address.")),
            Length(max=MAX_CONTACT),
        ],
        render_kw={"autocomplete": "tel", "maxlength": MAX_CONTACT},
        description=_l("Used only to reply to you; never shown publicly."),
    )
    consent_publish = BooleanField(
        _l("The answer may be published, without my name, contact or photo")
    )
    setuju = BooleanField(
        _l("I have read the privacy notice"),
        validators=[DataRequired(_l("Agree to the privacy notice to send the complaint."))],
    )


class TrackForm(PortalForm):
    class Meta(PortalForm.Meta):
        csrf = False  # a GET look-up

    kode = StringField(
        _l("Tracking code"),
        validators=[DataRequired(_l("Enter the tracking code.")), Length(max=20)],
        render_kw={"autocomplete": "off", "maxlength": 20, "placeholder": "ADU-XXXXXXXX"},
    )


class RatingForm(HoneypotMixin, PortalForm):
    rating = RadioField(
        _l("How satisfied are you with the answer?"),
        coerce=int,
        choices=[SelectChoice(value, text) for value, text in RATINGS],
        validators=[InputRequired(_l("Choose a rating."))],
    )
    note = TextAreaField(
        _l("Comment (optional)"),
        validators=[Optional(), Length(max=MAX_RATING_NOTE)],
        render_kw={"rows": 2, "maxlength": MAX_RATING_NOTE},
    )


class VerifyForm(PortalForm):
    unit_id = SelectField(_l("Unit that handles it"), choices=[], validate_choice=False)


class AssignForm(PortalForm):
    employee_id = SelectField(_l("Pegawai"), choices=[], validate_choice=False)


class RejectForm(PortalForm):
    reason = TextAreaField(
        _l("Reason (the citizen reads it)"),
        validators=[DataRequired(_l("Give the reason for the rejection.")), Length(max=MAX_REASON)],
        render_kw={"rows": 3, "maxlength": MAX_REASON},
    )


class AnswerForm(PortalForm):
    answer = TextAreaField(
        _l("Answer to the citizen"),
        validators=[DataRequired(_l("Write the answer.")), Length(max=MAX_ANSWER)],
        render_kw={"rows": 5, "maxlength": MAX_ANSWER},
    )


class PublishForm(PortalForm):
    summary = TextAreaField(
        _l("Public summary of the complaint"),
        validators=[DataRequired(_l("Write the public summary.")), Length(max=MAX_SUMMARY)],
        render_kw={"rows": 3, "maxlength": MAX_SUMMARY},
        description=_l("No names, contacts, addresses or numbers that identify the citizen."),
    )


class ButtonForm(PortalForm):
    """A button with only the CSRF token (log as entry, unpublish)."""


class IndicatorForm(PortalForm):
    unit_id = SelectField(_l("Unit"), choices=[], validate_choice=False)
    nama = StringField(
        _l("Indicator"),
        validators=[DataRequired(_l("Name the indicator.")), Length(max=200)],
        render_kw={"maxlength": 200},
        description=_l("e.g. Waktu penyelesaian izin usaha"),
    )
    satuan = StringField(
        _l("Satuan"),
        validators=[DataRequired(_l("Enter the satuan, e.g. hari or persen.")), Length(max=50)],
        render_kw={"maxlength": 50},
    )
    direction = SelectField(
        _l("Better when"),
        choices=[SelectChoice("naik", _l("higher")), SelectChoice("turun", _l("lower"))],
    )
    source = SelectField(
        _l("Realisasi"),
        choices=[
            SelectChoice("manual", _l("entered or imported monthly")),
            SelectChoice("waktu_respons", _l("computed: complaint response time (working days)")),
            SelectChoice("penyelesaian", _l("computed: complaints answered (percent)")),
            SelectChoice("ikm", _l("computed: IKM of the satisfaction survey")),
        ],
    )


class TargetForm(PortalForm):
    year = StringField(_l("Year"), validators=[DataRequired()], render_kw={"inputmode": "numeric"})
    target = StringField(
        _l("Target"),
        validators=[DataRequired(_l("Enter a number."))],
        render_kw={"inputmode": "decimal"},
    )


class ValueForm(PortalForm):
    month = SelectField(_l("Month"), choices=[], validate_choice=False)
    value = StringField(
        _l("Realisasi"),
        validators=[DataRequired(_l("Enter a number."))],
        render_kw={"inputmode": "decimal"},
    )


class ImportForm(PortalForm):
    berkas = FileField(_l("CSV or XLSX file with the columns tahun, bulan, nilai"))


class SkmServiceForm(PortalForm):
    unit_id = SelectField(_l("Unit"), choices=[], validate_choice=False)
    nama = StringField(
        _l("Service surveyed"),
        validators=[DataRequired(_l("Name the service.")), Length(max=200)],
        render_kw={"maxlength": 200},
    )
    populasi = StringField(
        _l("Service users per semester"),
        validators=[DataRequired()],
        render_kw={"inputmode": "numeric"},
        description=_l("Sets the minimum number of respondents (Krejcie-Morgan)."),
    )


def _choices(values):
    return [SelectChoice("", _l("— choose —"))] + [SelectChoice(v, v) for v in values]


class SkmForm(HoneypotMixin, PortalForm):
    """SKM per service: u1..u9 (added below, each with its own words) and the profile."""

    token = HiddenField()
    usia = SelectField(
        _l("Age"),
        choices=_choices(AGE_BANDS),
        validators=[DataRequired(_l("Choose one of the options."))],
    )
    jenis_kelamin = SelectField(
        _l("Sex"),
        choices=[
            SelectChoice("", _l("— choose —")),
            SelectChoice("L", _l("Male")),
            SelectChoice("P", _l("Female")),
        ],
        validators=[DataRequired(_l("Choose one of the options."))],
    )
    pendidikan = SelectField(
        _l("Education"),
        choices=_choices(EDUCATIONS),
        validators=[DataRequired(_l("Choose one of the options."))],
    )
    pekerjaan = SelectField(
        _l("Occupation"),
        choices=_choices(JOBS),
        validators=[DataRequired(_l("Choose one of the options."))],
    )
    saran = TextAreaField(
        _l("Suggestions (optional)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3, "maxlength": 1000},
    )


for _number, (_label, _words) in enumerate(zip(SURVEY_UNSUR, ANSWER_WORDS, strict=True), start=1):
    setattr(
        SkmForm,
        f"u{_number}",
        RadioField(
            _label,
            coerce=int,
            choices=[SelectChoice(value, word) for value, word in enumerate(_words, start=1)],
            validators=[InputRequired(_l("Choose an answer."))],
        ),
    )


class RhkLinkForm(PortalForm):
    rhk_id = SelectField(_l("RHK of the unit head's SKP"), choices=[], validate_choice=False)
