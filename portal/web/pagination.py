"""One page of a query, and the page numbers to link (the `pagination` macro renders it)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.db import kept, kept_count


@dataclass
class Page:
    items: list[Any]
    number: int
    pages: int
    total: int
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link, with None for a gap: 1 … 4 5 6 … 20."""
        shown = sorted(
            {1, self.pages, *range(max(1, self.number - 2), min(self.pages, self.number + 2) + 1)}
        )
        result: list[int | None] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                result.append(None)
            result.append(number)
            previous = number
        return result


MAX_PAGE = 100_000


def page_number(args: Mapping[str, Any], name: str = "page") -> int:
    """The page asked for in the query string: a bad value is page 1, and the number is
    bounded (`paginate` then clamps it to the pages there are)."""
    try:
        return min(max(int(args.get(name, 1)), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def page_of_list(items: list[Any], number: int, args: Mapping[str, Any], size: int) -> Page:
    """Page `number` (clamped) of a list already in memory; `args` are kept in links."""
    pages = max(1, math.ceil(len(items) / size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(
        items[start : start + size], number, pages, len(items), {k: v for k, v in args.items() if v}
    )


def paginate(
    query: Any,
    number: int,
    args: Mapping[str, Any],
    size: int,
    count_query: Any = None,
    key: tuple[Any, ...] = (),
) -> Page:
    """Page `number` (clamped to the pages there are) of `query`; `args` are kept in links.
    With `key` (a name and every value the queries are built from) both statements are
    compiled once per key and page (`portal.db.kept`)."""
    counted = count_query if count_query is not None else query
    total = kept_count(counted, *key) if key else counted.count()
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    page = query.paginate(number, size)
    items = list(kept(page, *key, number, size) if key else page)
    return Page(items, number, pages, total, {k: v for k, v in args.items() if v})
