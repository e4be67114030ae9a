"""Forms of the /kinerja/evaluasi pages (labels with _l()). The pegawai, penilai, status and
predikat are never form fields: the predikat comes from the matrix; the realisasi and feedback
fields are named per indicator / RHK / value and read by the view for the service, which ignores
any that do not belong to the evaluation."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.performance.models import DI_ATAS, DI_BAWAH, PREDIKAT, SESUAI
from portal.web.forms import PortalForm


def rating_choices():
    return [
        SelectChoice("", _l("— choose —")),
        SelectChoice(DI_ATAS, _l("Above expectations")),
        SelectChoice(SESUAI, _l("As expected")),
        SelectChoice(DI_BAWAH, _l("Below expectations")),
    ]


def predikat_choices():
    labels = {
        "sangat_baik": _l("Very good"),
        "baik": _l("Good"),
        "butuh_perbaikan": _l("Needs improvement"),
        "kurang": _l("Poor/Misconduct"),
        "sangat_kurang": _l("Very poor"),
    }
    return [SelectChoice("", _l("— choose —"))] + [SelectChoice(k, labels[k]) for k in PREDIKAT]


class EmptyForm(PortalForm):
    """CSRF only."""


class RevisionForm(PortalForm):
    revision = HiddenField()


class RealisasiForm(PortalForm):
    revision = HiddenField()
    self_note = TextAreaField(
        _l("Self-assessment (optional)"), validators=[Optional(), Length(max=4000)]
    )


class RatingForm(PortalForm):
    revision = HiddenField()
    hasil = SelectField(_l("Hasil kerja"), choices=rating_choices, validators=[Optional()])
    perilaku = SelectField(_l("Perilaku kerja"), choices=rating_choices, validators=[Optional()])


class CalendarForm(PortalForm):
    tahun = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])


class WindowForm(PortalForm):
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired()])


class ObjectionForm(PortalForm):
    alasan = TextAreaField(
        _l("Reasons of the keberatan"), validators=[InputRequired(), Length(max=4000)]
    )


class DecideObjectionForm(PortalForm):
    keputusan = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("tolak", _l("Refuse the keberatan")),
            SelectChoice("terima", _l("Accept with a new predikat")),
        ],
    )
    new_predikat = SelectField(
        _l("New predikat"), choices=predikat_choices, validators=[Optional()]
    )
    note = TextAreaField(
        _l("Reasons of the decision"), validators=[InputRequired(), Length(max=4000)]
    )


class CalibrationForm(PortalForm):
    predikat = SelectField(_l("Predikat"), choices=predikat_choices, validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=4000)])


def org_predikat_choices():
    return [
        SelectChoice("", _l("— choose —")),
        SelectChoice("istimewa", _l("Outstanding")),
        SelectChoice("baik", _l("Good")),
        SelectChoice("butuh_perbaikan", _l("Needs improvement")),
        SelectChoice("kurang", _l("Poor/Misconduct")),
        SelectChoice("sangat_kurang", _l("Very poor")),
    ]


class UnitPredikatForm(PortalForm):
    predikat = SelectField(
        _l("Organisation predikat"), choices=org_predikat_choices, validators=[InputRequired()]
    )


class PeerForm(PortalForm):
    peer = SelectField(_l("Colleague (rekan kerja)"), coerce=int, validators=[InputRequired()])


def follow_up_choices():
    return [
        SelectChoice("piagam", _l("Certificate of appreciation (piagam)")),
        SelectChoice("pengembangan_kompetensi", _l("Priority for competence development")),
        SelectChoice("tpp_tambahan", _l("Additional TPP")),
        SelectChoice("lainnya", _l("Other reward")),
        SelectChoice("pembinaan", _l("Coaching (pembinaan)")),
        SelectChoice("pelatihan", _l("Training")),
        SelectChoice("disiplin", _l("Discipline (PP 94/2021)")),
    ]


class FollowUpForm(PortalForm):
    jenis = SelectField(_l("Follow-up"), choices=follow_up_choices)
    uraian = TextAreaField(_l("Follow-up description"), validators=[Optional(), Length(max=2000)])
    nomor_dokumen = StringField(
        _l("Document number"), validators=[InputRequired(), Length(max=100)]
    )
    tanggal_dokumen = DateField(_l("Document date"), validators=[InputRequired()])


class DeciderForm(PortalForm):
    nip = StringField(
        _l("NIP of who decides"), validators=[InputRequired(), Length(min=18, max=18)]
    )
