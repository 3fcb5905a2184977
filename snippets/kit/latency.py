"""A latency budget: the stages of one request, each with the milliseconds it may take.

Stages run one after another; a stage with several branches runs them in parallel and waits for the
slowest. A stage has an ``id`` for code and a ``label`` for readers: code looks stages up by id,
never by label. Budgets are stated in milliseconds or as shares of the target
(``stages_from_shares``); either way ``LatencyBudget`` checks they fit the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from snippets.kit.display import md_table, ms, percent


@dataclass(frozen=True)
class Stage:
    """One stage: ``milliseconds`` for a serial stage, or ``branches`` ((label, ms), ...) run in parallel."""

    id: str
    label: str
    milliseconds: float = 0.0
    branches: tuple[tuple[str, float], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.branches and self.milliseconds:
            raise ValueError(f"stage {self.id!r}: give milliseconds or branches, not both")
        if min([self.milliseconds, *(b for _, b in self.branches)]) < 0:
            raise ValueError(f"stage {self.id!r}: a negative budget")

    @property
    def budget_ms(self) -> float:
        """What the stage adds to the request: its own time, or its slowest branch."""
        return max(ms for _, ms in self.branches) if self.branches else float(self.milliseconds)


def stages_from_shares(target_ms: float, shares: tuple[tuple[str, str, float], ...]) -> tuple[Stage, ...]:
    """Serial stages from ``(id, label, share of the target)``; the shares must sum to 1."""
    total = sum(share for _, _, share in shares)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise ValueError(f"latency shares sum to {total}, not 1")
    return tuple(Stage(id, label, target_ms * share) for id, label, share in shares)


@dataclass(frozen=True)
class LatencyBudget:
    """The request's end-to-end target and its stages; the stages must fit within the target."""

    target_ms: float
    stages: tuple[Stage, ...]

    def __post_init__(self) -> None:
        ids = [stage.id for stage in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError(f"stage ids repeat: {ids}")
        if self.total_ms() > self.target_ms + 1e-9:
            raise ValueError(f"stages take {self.total_ms()} ms, over the {self.target_ms} ms target")

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(f"no stage {stage_id!r} (stages: {', '.join(s.id for s in self.stages)})")

    def total_ms(self) -> float:
        """The stages' sum: serial stages add, each parallel stage counts its slowest branch."""
        return float(sum(stage.budget_ms for stage in self.stages))

    def headroom_ms(self) -> float:
        """Target minus the stages' sum."""
        return self.target_ms - self.total_ms()

    def share(self, stage_id: str) -> float:
        return self.stage(stage_id).budget_ms / self.target_ms


def latency_budget_table(budget: LatencyBudget, *, notes: bool = False) -> str:
    """Stage, how it combines, budget, share of the target and running total; headroom last."""
    rows, running = [], 0.0
    for stage in budget.stages:
        running += stage.budget_ms
        how = ("slowest of: " + ", ".join(f"{label} {ms(b)}" for label, b in stage.branches)) if stage.branches else "serial"
        row = [stage.label, how, ms(stage.budget_ms), percent(stage.budget_ms / budget.target_ms, 1), ms(running)]
        rows.append(row + ([stage.note] if notes else []))
    if budget.headroom_ms() > 1e-9:
        rows.append(["Unallocated headroom", "", ms(budget.headroom_ms()),
                     percent(budget.headroom_ms() / budget.target_ms, 1), ms(budget.target_ms)]
                    + ([""] if notes else []))
    rows.append(["**Target**", "", f"**{ms(budget.target_ms)}**", percent(1.0), ""] + ([""] if notes else []))
    headers = ["Stage", "How it combines", "Budget", "Share", "Cumulative"] + (["Note"] if notes else [])
    return md_table(headers, rows, align="llrrr" + ("l" if notes else ""))
