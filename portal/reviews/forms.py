from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.reviews.models import ACTING_KINDS
from portal.web.forms import PortalForm
from portal.web.validators import VisibleRequired


class EmptyForm(PortalForm):
    """CSRF only (bulk decisions carry their entries as id:version pairs)."""


class DecisionForm(PortalForm):
    version = HiddenField(validators=[InputRequired()])
    menit_diakui = IntegerField(
        _l("Accepted minutes"),
        validators=[Optional(), NumberRange(min=0, max=1440)],
        description=_l("Leave as claimed, or accept fewer minutes (write a note why)."),
    )
    note = TextAreaField(
        _l("Note for the pegawai"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Required when returning or rejecting."),
        render_kw={"rows": 3},
    )


class FeedbackForm(PortalForm):
    body = TextAreaField(
        _l("Message"),
        validators=[VisibleRequired(_l("Write a message first.")), Length(max=4000)],
        render_kw={"rows": 3},
    )


class ActingForm(PortalForm):
    absent_nip = StringField(
        _l("NIP of the absent atasan"),
        validators=[Optional(), Length(max=30)],
        description=_l("Leave empty to appoint someone for your own absence."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    acting_nip = StringField(
        _l("NIP of the Plt/Plh"),
        validators=[DataRequired(_l("Enter the NIP of the Plt/Plh.")), Length(max=30)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    kind = SelectField(_l("Type"), choices=[SelectChoice(kind, kind) for kind in ACTING_KINDS])
    start_date = DateField(_l("First day"), validators=[DataRequired(_l("Choose the first day."))])
    end_date = DateField(_l("Last day"), validators=[DataRequired(_l("Choose the last day."))])
    reason = StringField(
        _l("Reason"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. dinas luar, cuti, diklat."),
    )
