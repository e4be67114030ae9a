from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.web.forms import PortalForm


class LoginForm(PortalForm):
    identifier = StringField(
        _l("NIP or e-mail"),
        validators=[DataRequired(_l("Enter your NIP or e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True, "inputmode": "text"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class NewPasswordFields(PortalForm):
    """The new password and its repetition (changing it, and resetting a forgotten one)."""

    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=256)],
        description=_l(
            "At least 12 characters. A sentence you remember is best, e.g. "
            "'kopi pagi di taman kota'. Not your NIP, name or a common password."
        ),
        render_kw={"autocomplete": "new-password", "minlength": 12},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the new password.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordFields):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class LanguageForm(PortalForm):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
    )


class ForgotPasswordForm(PortalForm):
    identifier = StringField(
        _l("NIP or e-mail"),
        validators=[DataRequired(_l("Enter your NIP or e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "text"},
    )


class ResetPasswordForm(NewPasswordFields):
    """A new password through a reset link."""
