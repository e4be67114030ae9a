"""Required text must hold something visible (portal/web/validators.py)."""

import pytest

from portal.web.validators import has_visible, visible_text

INVISIBLE = [
    "",
    "   ",
    "\u200b",
    "\u200b\u200c\u200d\ufeff",
    "\u00a0\u2003\u3000",
    "\t\n\r",
    "\u2060\u202e",
]


@pytest.mark.parametrize("text", INVISIBLE)
def test_text_of_only_spaces_and_format_characters_is_empty(text):
    assert visible_text(text) == "" and not has_visible(text)


def test_visible_text_keeps_the_inside_and_trims_invisible_edges():
    assert visible_text("\u200b Rapat\u00a0koordinasi \ufeff") == "Rapat\u00a0koordinasi"
    assert visible_text(None) == ""
    assert has_visible("\u200bx")
