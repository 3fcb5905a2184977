"""Candidate generation: the sources a multi-stage recommender or search system queries in parallel.

A chapter lists its sources once (``CANDIDATE_SOURCES``); its tables, funnel figure and capacity sums
read that list, so a source added or resized shows everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A candidate source: an id for code, a name and a detail for readers, its candidates per request."""

    id: str
    name: str
    detail: str
    candidates: int


def total_candidates(sources: Iterable[Source]) -> int:
    """Candidates from all sources together, before de-duplication."""
    return sum(source.candidates for source in sources)
