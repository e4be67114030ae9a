"""One form field as the templates show it: its label, the control, its help text and its
error, wired for screen readers (`aria-describedby`, `aria-invalid`, `required`).

The templates call it as `field(form.x, label=..., help=..., class_=..., **attributes)`
(`macros.html` exports it under that name). It was a Jinja macro; in Python it costs a fifth
(the day page renders seven fields on every view). WTForms still renders the control and the
label; everything else is escaped by markupsafe as Jinja's `{{ }}` would.
"""

from typing import Any

from markupsafe import Markup, escape

SELECTS = ("SelectField", "SelectMultipleField", "QuerySelectField")


def field(
    f: Any,
    label: Any = None,
    help: Any = None,
    class_: str = "",
    type: Any = None,  # accepted and ignored, as the macro did
    **attrs: Any,
) -> Markup:
    has_error = bool(f.errors)
    help_text = help or f.description
    described = []
    if help_text:
        described.append(f"{f.id}-help")
    if has_error:
        described.append(f"{f.id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if has_error:
        attrs["aria-invalid"] = "true"
    required = f.flags.required
    if required:
        attrs["required"] = True
    invalid = " is-invalid" if has_error else ""
    parts: list[Any] = []
    if f.type == "BooleanField":
        parts.append(Markup('<div class="form-check mb-3 %s">\n') % class_)
        parts.append(f(class_="form-check-input" + invalid, **attrs))
        parts.append(f.label(class_="form-check-label", text=label or f.label.text))
        closing = Markup("</div>")
    elif f.type == "RadioField":
        parts.append(Markup('<fieldset class="mb-3 %s">\n') % class_)
        parts.append(
            Markup('<legend class="form-label fs-6">%s</legend>\n') % (label or f.label.text)
        )
        for option in f:
            parts.append(Markup('<div class="form-check form-check-inline">\n'))
            parts.append(option(class_="form-check-input" + invalid))
            parts.append(option.label(class_="form-check-label"))
            parts.append(Markup("</div>\n"))
        closing = Markup("</fieldset>")
    else:
        parts.append(Markup('<div class="mb-3 %s">\n') % class_)
        parts.append(f.label(class_="form-label", text=label or f.label.text))
        if required:
            parts.append(Markup(' <span class="text-danger" aria-hidden="true">*</span>'))
        css = "form-select" if f.type in SELECTS else "form-control"
        parts.append(f(class_=css + invalid, **attrs))
        closing = Markup("</div>")
    if help_text:
        parts.append(Markup('<div id="%s-help" class="form-text">%s</div>\n') % (f.id, help_text))
    if has_error:
        parts.append(
            Markup('<div id="%s-error" class="invalid-feedback d-block">%s</div>\n')
            % (f.id, Markup(" ").join(f.errors))
        )
    parts.append(closing)
    return Markup("\n").join(escape(part) for part in parts)
