from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from portal.org.models import ALL_GOLONGAN, JENIS_JABATAN, STATUSES, UNIT_TYPES
from portal.web.forms import PortalForm
from portal.web.validators import VisibleRequired


def choices(pairs):
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class UnitForm(PortalForm):
    kode = StringField(
        _l("Code"), validators=[VisibleRequired(_l("Fill in the code.")), Length(max=32)]
    )
    nama = StringField(
        _l("Name"), validators=[VisibleRequired(_l("Fill in the name.")), Length(max=200)]
    )
    jenis = SelectField(_l("Type"), choices=choices((t, t) for t in UNIT_TYPES))
    parent = SelectField(_l("Parent unit"), choices=[], validate_choice=False)
    work_days = SelectField(
        _l("Work week"), choices=choices([(5, _l("5 days")), (6, _l("6 days"))])
    )
    active = BooleanField(_l("Active"), default=True)


class EmployeeForm(PortalForm):
    nip = StringField(
        _l("NIP"),
        validators=[VisibleRequired(_l("Fill in the NIP.")), Length(max=30)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    nama = StringField(
        _l("Full name"), validators=[VisibleRequired(_l("Fill in the name.")), Length(max=150)]
    )
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Status"), choices=choices((s, s) for s in STATUSES))
    golongan = SelectField(
        _l("Golongan/ruang"),
        choices=choices([("", "–"), *((g, f"{g} · {p}") for g, p in ALL_GOLONGAN.items())]),
    )
    jenis_jabatan = SelectField(_l("Position type"), choices=choices((j, j) for j in JENIS_JABATAN))
    jabatan = StringField(_l("Position"), validators=[Length(max=200)])
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
    atasan_nip = StringField(
        _l("NIP of the atasan langsung"),
        validators=[Optional(), Length(max=30)],
        description=_l("Leave empty for the head of the pemda or of an OPD without atasan."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class RoleForm(PortalForm):
    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    unit = SelectField(_l("Unit of the role"), choices=[], validate_choice=False)


class ImportForm(PortalForm):
    token = HiddenField()
    file = FileField(
        _l("CSV or XLSX file"),
        description=_l("Up to 10 MB. Columns as in the template; the first row is the header."),
        render_kw={"accept": ".csv,.xlsx"},
    )


class ConfirmForm(PortalForm):
    """A plain form with only the CSRF token (for POST buttons)."""
