"""The one seam between the recap and the evaluation (portal/performance/evaluation): the
latest final predikat of each pegawai in a year, as its Indonesian label."""

from collections.abc import Iterable

from portal.performance.evaluation import pages as evaluation_pages
from portal.performance.evaluation.rules import predikat_labels


def latest_predikat(employee_ids: Iterable[int], year: int) -> dict[int, str]:
    """{employee id: the label of their latest final predikat of `year`} (the annual one when
    there is one, else the latest period's; after a keberatan, the decided one): one query.
    Pegawai without a final predikat are left out."""
    labels = predikat_labels()
    found = evaluation_pages.latest_predikat(employee_ids, year)
    return {employee_id: labels.get(code, code) for employee_id, code in found.items()}
