"""What a page may show: ``@value(fmt)`` for a number inside a sentence, ``@table`` for a table.

A page refers to a marked function by name: ``{{ value: peak_qps }}`` calls ``peak_qps()`` in the
page's own calculation module and shows ``fmt(result)``, linked to the function's code;
``{{ value: stage_budget[ranking] }}`` calls ``stage_budget("ranking")``. ``{{ table: capacity_table }}``
shows the Markdown a ``@table`` function returns. A value function returns a plain number (typed), so
figures, labs and tests use the same function the page does. Every marked function must be used by
a page, a figure or a lab: the build fails on one that nothing uses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
KIND = "casebook_shown"  # attribute the engine reads: ("value", fmt) or ("table", None)


def value(fmt: Callable[[Any], str]) -> Callable[[F], F]:
    """Mark ``function`` as a value a page can show, formatted by ``fmt``; its results are memoised."""

    def mark(function: F) -> F:
        cached = functools.cache(function)
        setattr(cached, KIND, ("value", fmt))
        return cached  # type: ignore[return-value]

    return mark


def table(function: F) -> F:
    """Mark ``function`` (no arguments, returns Markdown) as a table a page can show."""
    setattr(function, KIND, ("table", None))
    return function


def kind(obj: object) -> str | None:
    """``"value"``, ``"table"`` or ``None`` for an unmarked object."""
    mark = getattr(obj, KIND, None)
    return mark[0] if mark else None


def shown(function: Callable[..., Any], *args: Any) -> str:
    """The text a page shows for a marked value function called with ``args``."""
    mark = getattr(function, KIND, None)
    if not mark or mark[0] != "value":
        raise TypeError(f"{getattr(function, '__name__', function)!r} is not marked with @value(fmt)")
    return mark[1](function(*args))
