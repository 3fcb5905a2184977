"""Worked metric examples: one judged ranked list, the shape several chapters teach their metrics on.

A chapter states the list once (what was shown, in order, with each item's graded judgement, and the
judged items the system never showed); the counts, recall, precision and nDCG the page quotes and the
table it prints all read it, through the kit's metric functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from snippets.kit.display import fixed, md_table
from snippets.kit.metrics import dcg_at_k, ndcg_at_k, precision_at_k, recall_at_k


@dataclass(frozen=True)
class GradedList:
    """A ranked list with graded judgements (0 = useless, higher = better)."""

    shown: tuple[tuple[str, int], ...]  # (item, grade) in the order shown
    missed: tuple[tuple[str, int], ...]  # judged items the system did not show
    relevant_grade: int  # an item of at least this grade counts as relevant for recall and precision

    def __post_init__(self) -> None:
        items = [item for item, _ in self.shown + self.missed]
        if len(set(items)) != len(items):
            raise ValueError(f"an item is listed twice: {items}")
        if any(grade < 0 for _, grade in self.shown + self.missed):
            raise ValueError("grades are non-negative")

    def ranked(self) -> list[str]:
        return [item for item, _ in self.shown]

    def grades(self) -> list[int]:
        return [grade for _, grade in self.shown]

    def ideal_grades(self) -> list[int]:
        """Every judged item's grade, shown or not: the ideal ordering is built from all of them."""
        return self.grades() + [grade for _, grade in self.missed]

    def relevant(self) -> set[str]:
        return {item for item, grade in self.shown + self.missed if grade >= self.relevant_grade}

    def hits(self, k: int) -> int:
        return len(set(self.ranked()[:k]) & self.relevant())

    def recall(self, k: int) -> float:
        return recall_at_k(self.ranked(), self.relevant(), k)

    def precision(self, k: int) -> float:
        return precision_at_k(self.ranked(), self.relevant(), k)

    def dcg(self, k: int, gain: Literal["linear", "exponential"] = "linear") -> float:
        return dcg_at_k(self.grades(), k, gain=gain)

    def ndcg(self, k: int, gain: Literal["linear", "exponential"] = "linear", *, shown_only: bool = False) -> float:
        """nDCG@k; the ideal ordering covers every judged item unless ``shown_only``."""
        return ndcg_at_k(self.grades(), k, gain=gain, ideal_gains=None if shown_only else self.ideal_grades())

    def table(self, item: str, grade: str, word: str, not_shown: str) -> str:
        """Position, item, grade, relevant or not, and its linear DCG term; missed items last.
        ``item`` and ``grade`` head their columns; ``word`` names the grade in formulas ("gain")."""
        rows = [(str(position), name, str(g), "yes" if g >= self.relevant_grade else "no",
                 fixed(g / math.log2(position + 1), 3)) for position, (name, g) in enumerate(self.shown, start=1)]
        rows += [(not_shown, name, str(g), "yes" if g >= self.relevant_grade else "no", "—") for name, g in self.missed]
        return md_table(["Position", item, grade, f"Relevant ({word} ≥ {self.relevant_grade})",
                         f"{word.capitalize()} / log2(position + 1)"], rows, align="rlrcr")
