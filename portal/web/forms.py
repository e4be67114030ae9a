"""The one form cycle of every view: validate, call the service, put a refusal on the form.

    form = ActivityForm()
    outcome = submit(form, lambda: services.create_entry(current_user, form.data_for_service()))
    if outcome.ok:
        return done(_("The activity was added."), url_for("activities.index"))
    return render_day(day_date, form=form, status=outcome.status)

`submit` answers 422 when the form does not validate (400 when only its CSRF token failed), and
for a 409/422 `DomainError` puts the message on its field (or on the form) and answers that
status. A 403/404 DomainError is not a form matter: it propagates to the app's handler, which
shows the error page. `done` flashes and answers 303 to `next_url`, or for an htmx fragment
request renders `fragment()` instead (the same template's block, with the flash out of band).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.errors import DomainError
from portal.web.respond import wants_fragment

FORM_STATUSES = (409, 422)


class _CatalogTranslations:
    """WTForms' messages looked up in the portal's merged catalogs (WTForms has no Indonesian
    catalog of its own; portal/web/wtforms_messages.py puts its msgids into the core one)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _CatalogTranslations()


class PortalForm(FlaskForm):
    """The base of every form: WTForms' and Flask-WTF's own messages in the user's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _CatalogTranslations:
            return _TRANSLATIONS

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            # Flask-WTF raises its CSRF messages untranslated.
            csrf.errors = [_(str(message)) for message in csrf.errors]
        return valid


@dataclass
class Outcome:
    """What became of a submitted form: `ok` with the service's `result`, or a `status`."""

    ok: bool
    status: int = 200
    result: Any = None
    error: DomainError | None = None


def apply_error(
    form: FlaskForm, error: DomainError, field_map: Mapping[str, str | None] | None = None
) -> None:
    """Show `error` on the form: each message on its field when the form has it, else on top."""
    field_map = field_map or {}
    messages = error.errors or {"": str(error)}
    for key, message in messages.items():
        name = field_map.get(key, key)
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors), str(message)]
        elif str(message) not in form.form_errors:
            form.form_errors.append(str(message))


def csrf_failed(form: FlaskForm) -> bool:
    return "csrf_token" in form.errors


def submit(
    form: FlaskForm,
    action: Callable[[], Any],
    *,
    field_map: Mapping[str, str | None] | None = None,
    validate: bool = True,
) -> Outcome:
    """Validate `form` (unless `validate` is False), run `action()`, map a refusal onto the form."""
    if validate and not form.validate_on_submit():
        return Outcome(ok=False, status=400 if csrf_failed(form) else 422)
    try:
        result = action()
    except DomainError as error:
        if error.status not in FORM_STATUSES:
            raise
        apply_error(form, error, field_map)
        return Outcome(ok=False, status=error.status, error=error)
    return Outcome(ok=True, result=result)


def attempt(action: Callable[[], Any]) -> Outcome:
    """For a button without fields: run `action()`; a 409/422 refusal becomes a danger flash."""
    try:
        result = action()
    except DomainError as error:
        if error.status not in FORM_STATUSES:
            raise
        flash(str(error), "danger")
        return Outcome(ok=False, status=error.status, error=error)
    return Outcome(ok=True, result=result)


def done(
    message: str | None,
    next_url: str,
    fragment: Callable[[], Response] | None = None,
    category: str = "success",
) -> Response:
    """Flash `message`; 303 to `next_url`, or `fragment()` for an htmx fragment request."""
    if message:
        flash(message, category)
    if fragment is not None and wants_fragment():
        return fragment()
    return redirect(next_url, 303)
