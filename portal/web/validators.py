"""Text that must say something: required text counts only if it holds a visible character.

A description of only spaces, zero-width spaces ("\u200b"), joiners, BOMs or control characters
is empty to a reader, so it is empty to the portal. Invisible means any character of the
Unicode categories Zs/Zl/Zp (spaces and separators), Cc (control) and Cf (format: zero-width
space, joiners, BOM, direction marks).

Services use `visible_text()` (trim the invisible edges; "" when nothing visible is left) and
forms use `VisibleRequired(message)` in place of `DataRequired`. Messages come from the caller,
so they live in the caller's catalog.
"""

import unicodedata
from typing import Any

from wtforms.validators import StopValidation

INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def visible_text(value: object) -> str:
    """`value` as text without invisible characters at either end ("" for None, or when no
    visible character is left)."""
    text = "" if value is None else str(value)
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def has_visible(value: object) -> bool:
    return bool(visible_text(value))


class VisibleRequired:
    """A WTForms validator: the field must hold at least one visible character (it also stops
    the chain, like DataRequired). `message` is the caller's translated text."""

    field_flags = {"required": True}

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not has_visible(field.data):
            field.errors[:] = []
            raise StopValidation(self.message)
