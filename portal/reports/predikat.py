"""The one seam between the recap and the evaluation (portal/performance/evaluation): the
latest final predikat of each pegawai in a year, as its Indonesian label."""

from collections.abc import Iterable
from typing import Any

from portal.performance.evaluation import pages as evaluation_pages
from portal.performance.evaluation.rules import predikat_labels


def latest_predikat(
    employee_ids: Iterable[int], year: int, ids_query: Any = None
) -> dict[int, str]:
    """{employee id: the label of their latest final predikat of `year`} (the annual one when
    there is one, else the latest period's; after a keberatan, the decided one): one query.
    Pegawai without a final predikat are left out. `ids_query`, a subquery of the same ids,
    stands in for the list in the SQL (a city's ids are too many to bind one by one)."""
    labels = predikat_labels()
    found = evaluation_pages.latest_predikat(employee_ids, year, ids_query)
    return {employee_id: labels.get(code, code) for employee_id, code in found.items()}
