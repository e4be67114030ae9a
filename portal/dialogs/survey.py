"""The satisfaction survey (SKM, PermenPANRB 14/2017) of a finished dialog: nine unsur rated
1-4 by each browser once, and the IKM: the mean of the unsur means times 25, banded A-D.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.db import db
from portal.dialogs.models import SURVEY_FIELDS, Dialog, SurveyResponse
from portal.dialogs.rules import MAX_QUESTION, MAX_VOTER, clean_text, public_condition, survey_open
from portal.errors import Invalid

SURVEY_UNSUR = [
    _l("Requirements"),
    _l("Systems, mechanisms and procedures"),
    _l("Completion time"),
    _l("Cost/tariff"),
    _l("Service products"),
    _l("Competence of the staff"),
    _l("Conduct of the staff"),
    _l("Handling of complaints, suggestions and input"),
    _l("Facilities and infrastructure"),
]
SURVEY_SCALE = [(1, _l("Not good")), (2, _l("Less good")), (3, _l("Good")), (4, _l("Very good"))]
# IKM = mean x 25; bands of PermenPANRB 14/2017.
IKM_BANDS = [
    (88.31, "A", _l("Very good")),
    (76.61, "B", _l("Good")),
    (65.00, "C", _l("Less good")),
    (25.00, "D", _l("Not good")),
]


def ikm_band(ikm: float) -> tuple[str, Any]:
    """The letter and label of an IKM value (rounded to two decimals, as published)."""
    for floor, letter, label in IKM_BANDS:
        if round(ikm, 2) >= floor:
            return letter, label
    return "D", IKM_BANDS[-1][2]


def submit_survey(
    dialog_id: int, voter: str, answers: Mapping[str, Any], saran: str = ""
) -> SurveyResponse:
    """One survey response per browser: nine unsur, each 1-4; an optional suggestion."""
    if not voter or len(voter) > MAX_VOTER:
        raise Invalid(_("Your browser could not be recognised; please enable cookies."))
    values = {}
    for index, name in enumerate(SURVEY_FIELDS):
        value = answers.get(name)
        if value not in (1, 2, 3, 4):
            raise Invalid(
                _("Rate every element (%(unsur)s is missing).", unsur=SURVEY_UNSUR[index])
            )
        values[name] = value
    saran = clean_text(saran, MAX_QUESTION, multiline=True)
    dialog = Dialog.select().where(Dialog.id == dialog_id, public_condition()).first()
    if dialog is None:
        raise Invalid(_("This dialog was not found."))
    if not survey_open(dialog):
        raise Invalid(_("The survey opens after the dialog."))
    try:
        with db.atomic():
            response = SurveyResponse.create(dialog=dialog.id, voter=voter, saran=saran, **values)
    except pw.IntegrityError:
        raise Invalid(_("You have already filled in the survey for this dialog.")) from None
    return response


def survey_results(dialog: Dialog) -> dict[str, Any]:
    """Respondents, the mean of each unsur, the IKM (mean x 25) and its band (one query)."""
    columns = [pw.fn.AVG(getattr(SurveyResponse, name)) for name in SURVEY_FIELDS]
    query = (
        SurveyResponse.select(pw.fn.COUNT(SurveyResponse.id), *columns)
        .where(SurveyResponse.dialog == dialog.id)
        .tuples()
    )
    row = cast(tuple[Any, ...], query.get())
    count = row[0] or 0
    if not count:
        return {"count": 0}
    means = [float(value) for value in row[1:]]
    ikm = sum(means) / len(means) * 25
    letter, label = ikm_band(ikm)
    return {
        "count": count,
        "unsur": list(zip(SURVEY_UNSUR, means, strict=True)),
        "ikm": ikm,
        "band": letter,
        "band_label": label,
    }


def has_answered_survey(dialog: Dialog, voter: str) -> bool:
    """Whether this browser has already answered the survey of this dialog."""
    if not voter:
        return False
    return bool(
        SurveyResponse.select(SurveyResponse.id)
        .where(SurveyResponse.dialog == dialog.id, SurveyResponse.voter == voter)
        .exists()
    )
