"""Forms of the /kinerja pages (labels with _l(); the owner, the state and the SKP an RHK
belongs to are never form fields)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.performance.models import PERSPEKTIF
from portal.performance.rules import berakhlak
from portal.web.forms import PortalForm
from portal.web.validators import VisibleRequired


def aspek_choices():
    return [
        SelectChoice("kualitatif", _l("Kualitatif (a statement)")),
        SelectChoice("kuantitas", _l("Kuantitas")),
        SelectChoice("kualitas", _l("Kualitas")),
        SelectChoice("waktu", _l("Waktu")),
        SelectChoice("biaya", _l("Biaya")),
    ]


class EmptyForm(PortalForm):
    """CSRF only (submit, new version, delete)."""


class CreateSkpForm(PortalForm):
    tahun = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    salin_dari = SelectField(_l("Start from"), coerce=int, default=0, validate_choice=False)


class RhkForm(PortalForm):
    jenis = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("utama", _l("RHK utama")),
            SelectChoice("tambahan", _l("RHK tambahan")),
        ],
    )
    uraian = TextAreaField(
        _l("Rencana hasil kerja"),
        validators=[VisibleRequired(_l("Write the RHK.")), Length(max=2000)],
    )
    intervenes = SelectField(
        _l("The atasan's RHK it serves"),
        coerce=int,
        default=0,
        validate_choice=False,
        description=_l("May stay empty in a draft until your atasan's SKP is approved."),
    )
    iku = SelectField(_l("IKU of the unit"), coerce=int, default=0, validate_choice=False)
    perspektif = SelectField(
        _l("Perspektif"),
        choices=[SelectChoice("", "—"), *(SelectChoice(p, p) for p in PERSPEKTIF)],
        default="",
    )


class IndicatorForm(PortalForm):
    aspek = SelectField(_l("Aspect"), choices=aspek_choices(), default="kualitatif")
    uraian = StringField(
        _l("Indicator"), validators=[VisibleRequired(_l("Write the indicator.")), Length(max=2000)]
    )
    target_angka = DecimalField(
        _l("Target (number)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    satuan = StringField(_l("Satuan"), validators=[Length(max=50)])
    target_uraian = StringField(_l("Target (statement)"), validators=[Length(max=2000)])


class LampiranForm(PortalForm):
    pendekatan = SelectField(
        _l("Pendekatan"),
        choices=[
            SelectChoice("kualitatif", _l("Kualitatif")),
            SelectChoice("kuantitatif", _l("Kuantitatif")),
        ],
    )
    dukungan_sumber_daya = TextAreaField(_l("Dukungan sumber daya"), validators=[Length(max=2000)])
    skema_pertanggungjawaban = TextAreaField(
        _l("Skema pertanggungjawaban"), validators=[Length(max=2000)]
    )
    konsekuensi = TextAreaField(_l("Konsekuensi"), validators=[Length(max=2000)])


class DecisionForm(PortalForm):
    revision = HiddenField()
    note = TextAreaField(_l("Note (what must be fixed)"), validators=[Length(max=2000)])


class ShareForm(PortalForm):
    employees = SelectMultipleField(
        _l("Subordinates"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


class ExpectationForm(PortalForm):
    """One text field per BerAKHLAK value (named by its code)."""

    def expectations(self) -> dict[str, str]:
        return {value.kode: self[value.kode].data or "" for value in berakhlak()}


for _value in berakhlak():
    setattr(
        ExpectationForm,
        _value.kode,
        TextAreaField(_value.nilai, validators=[Length(max=2000)]),
    )


class IkuForm(PortalForm):
    unit = SelectField(_l("Unit"), coerce=int, validate_choice=False)
    tahun = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    perspektif = SelectField(_l("Perspektif"), choices=[SelectChoice(p, p) for p in PERSPEKTIF])
    sasaran = StringField(
        _l("Sasaran"), validators=[VisibleRequired(_l("Write the sasaran.")), Length(max=500)]
    )
    indikator = StringField(_l("Indikator kinerja utama"), validators=[Length(max=500)])
    target = StringField(_l("Target"), validators=[Length(max=100)])


class ReminderForm(PortalForm):
    unit = HiddenField()
    tahun = HiddenField()
