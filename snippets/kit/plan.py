"""The interview plan: phases of the design round with their minutes and what the board shows.

Each chapter states its own phases (the split differs by problem); the timeline, the shares and the
check that the phases fill the house interview length are computed here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit.display import md_table, pct
from snippets.kit.house import HOUSE, HouseRules


@dataclass(frozen=True)
class Phase:
    """One phase: its name, its minutes, and what should be on the board when it ends."""

    name: str
    minutes: int
    board: str


def timeline(phases: tuple[Phase, ...], rules: HouseRules = HOUSE) -> list[tuple[Phase, int, int]]:
    """Each phase with its start and end minute; the phases must fill the interview exactly."""
    if any(phase.minutes <= 0 for phase in phases):
        raise ValueError("every phase needs a positive number of minutes")
    total = sum(phase.minutes for phase in phases)
    if total != rules.interview_minutes:
        raise ValueError(f"the phases add up to {total} minutes, not the {rules.interview_minutes} of the interview")
    rows, start = [], 0
    for phase in phases:
        rows.append((phase, start, start + phase.minutes))
        start += phase.minutes
    return rows


def interview_plan_table(phases: tuple[Phase, ...], rules: HouseRules = HOUSE) -> str:
    """Minutes (start-end), phase, share of the interview, and the board when the phase ends."""
    rows = [
        (f"{start}-{end}", phase.name, pct(phase.minutes / rules.interview_minutes, 0), phase.board)
        for phase, start, end in timeline(phases, rules)
    ]
    return md_table(["Minutes", "Phase", "Share", "On the board when it ends"], rows, align="llrl")
