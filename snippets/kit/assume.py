"""Assumptions, declared once: value, label, format and provenance in one place.

A page's calculation module declares its inputs as a frozen dataclass whose fields are made with
``assume()``::

    @dataclass(frozen=True)
    class Assumptions:
        daily_active_users: int = assume(500_000_000, "Daily active users", short, PROBLEM)
        embedding_dim: int = assume(256, "Embedding dimension", count, cited("Covington et al. (2016)", "covington"))

    ASSUMPTIONS = Assumptions()

``ASSUMPTIONS.daily_active_users`` is the plain value; ``assumptions_table(ASSUMPTIONS)`` renders the
page's table (``{{ table: assumptions }}`` on the page), and ``{{ value: daily_active_users }}``
shows one value formatted as declared. Provenance is one of: the problem statement, a cited source
(with the page's footnote), a convention or definition, a design choice, or our rule of thumb.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from snippets.kit.display import md_table

KEY = "casebook_assumption"


@dataclass(frozen=True)
class Provenance:
    """Where a value comes from, as the assumptions table says it."""

    kind: str
    note: str = ""
    footnote: str = ""  # the page's footnote name for a cited value, shown as [^name]

    def render(self) -> str:
        text = self.kind + (f" ({self.note})" if self.note else "")
        return text + (f"[^{self.footnote}]" if self.footnote else "")


PROBLEM = Provenance("problem statement")
CONVENTION = Provenance("convention")
DEFINITION = Provenance("definition")


def thumb(note: str = "") -> Provenance:
    """Our rule of thumb: plausible, stated, meant to be challenged (``note`` says how to check it)."""
    return Provenance("rule of thumb", note)


def design(note: str = "") -> Provenance:
    """A choice this design makes (a threshold, a cut-off), not a fact about the world."""
    return Provenance("design choice", note)


def cited(source: str, footnote: str) -> Provenance:
    """A value taken from a source the page cites in its footnote ``footnote``."""
    if not footnote:
        raise ValueError(f"a cited value needs the page's footnote name ({source!r})")
    return Provenance(source, footnote=footnote)


@dataclass(frozen=True)
class Assumption:
    """The declaration behind one field: its label, how it is shown and where it comes from."""

    label: str
    fmt: Callable[[Any], str]
    source: Provenance


#: Values a reader chose in place of the book's, by the declaring module and the assumption's label:
#: ``{"snippets.video_recommendation": {"Daily active users": 2e9}}``. Empty when the site is built;
#: ``snippets.kit.live`` sets it and imports the modules afresh, in the reader's browser and in the
#: tests that check the browser against Python.
OVERRIDES: dict[str, dict[str, Any]] = {}


def assume(value: Any, label: str, fmt: Callable[[Any], str], source: Provenance) -> Any:
    """A dataclass field holding ``value``, declared with its label, format and provenance."""
    if not isinstance(source, Provenance):
        raise TypeError(f"{label!r}: source must be a Provenance (PROBLEM, thumb(), cited(), ...)")
    declared = Assumption(label, fmt, source)
    chosen = OVERRIDES.get(sys._getframe(1).f_globals.get("__name__", ""), {})
    if label in chosen:
        return dataclasses.field(default=chosen[label], metadata={KEY: declared, "book_value": value})
    return dataclasses.field(default=value, metadata={KEY: declared, "book_value": value})


def book_value(assumptions: Any, name: str) -> Any:
    """The book's own value of field ``name``, whatever a reader chose in its place."""
    return next(f.metadata["book_value"] for f in dataclasses.fields(assumptions) if f.name == name)


def declarations(assumptions: Any) -> list[tuple[str, Any, Assumption]]:
    """``(name, value, declaration)`` for every field, in declaration order."""
    if not dataclasses.is_dataclass(assumptions) or isinstance(assumptions, type):
        raise TypeError(f"expected an instance of an assumptions dataclass, got {assumptions!r}")
    out = []
    for f in dataclasses.fields(assumptions):
        declared = f.metadata.get(KEY)
        if declared is None:
            raise TypeError(f"{type(assumptions).__name__}.{f.name} is not declared with assume()")
        out.append((f.name, getattr(assumptions, f.name), declared))
    return out


def declaration(assumptions: Any, name: str) -> Assumption:
    """The declaration of field ``name``; ``KeyError`` naming the fields there are otherwise."""
    rows = declarations(assumptions)
    for field_name, _, declared in rows:
        if field_name == name:
            return declared
    raise KeyError(f"no assumption {name!r} (fields: {', '.join(field_name for field_name, _, _ in rows)})")


def formatted(assumptions: Any, name: str) -> str:
    """Field ``name`` formatted as declared."""
    return declaration(assumptions, name).fmt(getattr(assumptions, name))


def assumptions_table(assumptions: Any) -> str:
    """Every assumption with its value and source, in declaration order."""
    rows = [(d.label, d.fmt(value), d.source.render()) for _, value, d in declarations(assumptions)]
    return md_table(["Assumption", "Value", "Source"], rows, align="lrl")
