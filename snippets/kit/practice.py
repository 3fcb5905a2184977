"""Practice material a case study declares in its own calculation module.

Every case study's module (``snippets/<chapter>.py``) declares, next to its ``INTERVIEW_PLAN``:

``GLANCE``
    A :class:`Glance`: the design in a few facts (surface, users, traffic, latency, the candidate
    funnel, the model, the primary offline and online metric, the memory that dominates) and the
    three trade-offs to say out loud. Its numbers are the module's own ``@value`` functions, so the
    one-page cheat sheet and "The casebook at a glance" show what the chapter computes.
``RUBRIC``
    One :class:`Grade` per phase of ``INTERVIEW_PLAN`` (same names, same order): what a strong, an
    adequate and a weak answer covers in that phase, for a reader grading their own attempt.
``DRILLS``
    At least :data:`MIN_DRILLS` :class:`Drill` s: a back-of-the-envelope question with some of the
    chapter's assumptions changed, and the steps that answer it, computed by the chapter kit.

Links in this material are written as from the chapter (``[the formula](reference/experiments.md#the-formula)``);
the pages they appear on rebase them. ``casebook/practice.py`` turns these into pages; ``tests/test_practice_material.py`` checks every
case study's material (a drill reproduces a number of the chapter at the chapter's own assumptions,
its answer changes with the assumptions it varies, the page shows the recomputed answer).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from snippets.kit.abtest import ABPlan
from snippets.kit import estimation as est
from snippets.kit.display import count, days, fixed, ms, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.latency import stages_from_shares
from snippets.kit.show import shown

MIN_DRILLS = 10
TRADE_OFFS = 3


@dataclass(frozen=True)
class Fact:
    """A number of the chapter, with what it counts.

    ``value`` is one of the module's ``@value`` functions (``key`` is its argument, as in
    ``{{ value: stage_budget[heavy] }}``), shown formatted as the chapter shows it; or an assumption's
    value (``A.daily_active_users``) with the ``fmt`` its declaration uses.
    """

    label: str
    value: Any
    key: Any = None
    fmt: Callable[[Any], str] | None = None

    def args(self) -> tuple:
        return () if self.key is None else (self.key,)

    def number(self) -> float:
        return self.value(*self.args()) if callable(self.value) else self.value

    def text(self) -> str:
        if self.fmt is not None:
            return self.fmt(self.number())
        if not callable(self.value):
            raise TypeError(f"fact {self.label!r}: a plain value needs fmt=")
        return shown(self.value, *self.args())


@dataclass(frozen=True)
class Glance:
    """The design of one case study in a few lines: what the cheat sheet and the comparison page show."""

    surface: str  # where the reader meets the system, in a few words
    users: Fact  # who uses it: daily users, uploads, advertisers...
    traffic: Fact  # the peak request rate the serving path is sized for
    latency: Fact  # the end-to-end budget
    funnel: tuple[Fact, ...]  # candidates at each stage, from the widest to what is shown
    model: str  # the model family, stage by stage, in one line
    offline_metric: str
    online_metric: str
    memory: Fact  # the index, store or model whose size drives the fleet
    trade_offs: tuple[str, ...]  # exactly TRADE_OFFS, each a sentence to say out loud

    def problems(self) -> list[str]:
        found = []
        if len(self.trade_offs) != TRADE_OFFS:
            found.append(f"GLANCE has {len(self.trade_offs)} trade-offs; state exactly {TRADE_OFFS}")
        if len(self.funnel) < 2:
            found.append("GLANCE.funnel needs at least two stages (from the candidates to what is shown)")
        for name in ("surface", "model", "offline_metric", "online_metric"):
            if not getattr(self, name).strip():
                found.append(f"GLANCE.{name} is empty")
        return found


@dataclass(frozen=True)
class Grade:
    """What a strong, an adequate and a weak answer covers in one phase of the interview."""

    phase: str  # a phase name of the module's INTERVIEW_PLAN
    strong: str
    adequate: str
    weak: str


@dataclass(frozen=True)
class Step:
    """One line of worked arithmetic: what is computed, how (Markdown), the result and its format."""

    what: str
    how: str
    value: float
    fmt: Callable[[Any], str]

    def text(self) -> str:
        return self.fmt(self.value)


@dataclass(frozen=True)
class Drill:
    """A back-of-the-envelope question on the chapter's problem with some assumptions changed.

    ``work(assumptions)`` returns the steps that answer it for any instance of the module's
    ``Assumptions``; the last step is the answer. At the chapter's own assumptions the answer must
    equal the chapter's value ``same_as`` (called with ``key`` when given), which proves the drill
    uses the chapter's arithmetic; ``changes`` (field name -> new value) makes the question new.
    """

    title: str  # a few words: "Twice the users"
    question: str  # Markdown; the changed values are listed under it, with the chapter's
    changes: Mapping[str, Any]
    work: Callable[[Any], list[Step]]
    same_as: Callable[..., Any]
    key: Any = None
    tolerance: float = 1e-9  # relative

    def varied(self, assumptions: Any) -> Any:
        return dataclasses.replace(assumptions, **dict(self.changes))

    def answer(self, assumptions: Any) -> float:
        return self.work(assumptions)[-1].value

    def chapter_value(self) -> float:
        return self.same_as(*(() if self.key is None else (self.key,)))



# -- Steps more than one chapter's drills take ------------------------------------------------------


def peak_steps(users: float, per_user: float, what: str, per_user_noun: str) -> list[Step]:
    """Average ``what`` per second from daily users and their actions a day, then the house peak."""
    average = est.average_qps(users, per_user)
    return [
        Step(f"Average {what} per second", f"{short(users)} users × {plain(per_user)} {per_user_noun} ÷ "
             f"{count(HOUSE.seconds_per_day)} s", average, short),
        Step("At peak", f"average × {times(HOUSE.peak_to_average)}", est.peak_qps(average, HOUSE.peak_to_average),
             short),
    ]


def ab_sample_steps(plan: ABPlan, per_arm: str = "Users per arm") -> list[Step]:
    """The treatment rate a test must detect, then its sample per arm (``per_arm`` names the unit)."""
    return [
        Step("Treatment rate to detect", f"{percent(plan.baseline_rate)} × (1 + {percent(plan.relative_mde)})",
             plan.target_rate(), lambda v: percent(v, 3)),
        Step(per_arm, f"two-proportion z-test, α = {fixed(plan.rules.alpha, 2)}, power {percent(plan.rules.power)} "
             "([formula](reference/experiments.md#the-formula))", plan.sample_per_arm(), count),
    ]


def ab_days_steps(plan: ABPlan, per_arm: str = "Users per arm", entering: tuple[str, str] | None = None) -> list[Step]:
    """:func:`ab_sample_steps`, then the days to enrol both arms and the days to run under the house
    rule. ``entering``: ``(what, how)`` of a step showing the units entering the test per day, for a
    chapter whose daily eligible units are themselves computed."""
    daily = [Step(entering[0], entering[1], plan.users_per_day(), short)] if entering else []
    enrol_how = ("arms × per arm ÷ entering per day" if entering else
                 f"arms × per arm ÷ ({short(plan.daily_users)} a day × {percent(plan.traffic_fraction)})")
    return ab_sample_steps(plan, per_arm) + daily + [
        Step(f"Days to enrol all {count(plan.n_arms)} arms", f"{enrol_how}, rounded up", plan.enrol_days(), days),
        Step("Days to run", f"enrolment + {days(plan.measured_days)} measured, in whole weeks, at least "
             f"{count(plan.rules.minimum_experiment_weeks)} weeks", plan.planned_days(), days),
    ]


def stage_budget_steps(target_ms: float, shares: tuple[tuple[str, str, float], ...], stage: str,
                       what: str) -> list[Step]:
    """One stage's slice of a latency target split by shares (``snippets.kit.latency.stages_from_shares``)."""
    budget = {found.id: found for found in stages_from_shares(target_ms, shares)}[stage].budget_ms
    share = {sid: part for sid, _, part in shares}[stage]
    return [Step(what, f"{ms(target_ms)} × {percent(share)} of the target", budget, ms)]



def problems(module: Any) -> list[str]:
    """Every way ``module``'s practice material falls short, each a sentence naming the name at fault."""
    found = []
    plan = getattr(module, "INTERVIEW_PLAN", None)
    glance = getattr(module, "GLANCE", None)
    rubric = getattr(module, "RUBRIC", None)
    drills = getattr(module, "DRILLS", None)
    assumptions = getattr(module, "ASSUMPTIONS", None)
    if plan is None:
        found.append("no INTERVIEW_PLAN (snippets/kit/plan.py)")
    if type(glance).__name__ != "Glance":  # by name: snippets.load imports the kit afresh
        found.append("no GLANCE = Glance(...) (snippets/kit/practice.py)")
    else:
        found += glance.problems()
    if rubric is None:
        found.append("no RUBRIC = (Grade(...), ...), one per phase of INTERVIEW_PLAN")
    elif plan is not None:
        phases = [phase.name for phase in plan]
        graded = [grade.phase for grade in rubric]
        if graded != phases:
            found.append(f"RUBRIC grades the phases {graded}; INTERVIEW_PLAN has {phases} (same names, same order)")
        for grade in rubric:
            for level in ("strong", "adequate", "weak"):
                if not getattr(grade, level).strip():
                    found.append(f"RUBRIC: phase {grade.phase!r} has no {level} answer")
    if drills is None or len(drills) < MIN_DRILLS:
        found.append(f"DRILLS has {0 if drills is None else len(drills)} drills; at least {MIN_DRILLS} are needed")
    elif dataclasses.is_dataclass(assumptions):
        names = {f.name for f in dataclasses.fields(assumptions)}
        titles = [drill.title for drill in drills]
        for drill in drills:
            unknown = sorted(set(drill.changes) - names)
            if unknown:
                found.append(f"drill {drill.title!r} changes {unknown}, which are not fields of Assumptions")
            elif not drill.changes:
                found.append(f"drill {drill.title!r} changes nothing: change at least one assumption")
            elif any(getattr(assumptions, k) == v for k, v in drill.changes.items()):
                found.append(f"drill {drill.title!r} 'changes' an assumption to the chapter's own value")
            if titles.count(drill.title) > 1:
                found.append(f"two drills are titled {drill.title!r}")
            if not unknown and drill.changes:
                found += _arithmetic_problems(drill, assumptions)
    else:
        found.append("no ASSUMPTIONS dataclass for the drills to vary")
    return sorted(set(found), key=found.index)


def _arithmetic_problems(drill: Drill, assumptions: Any) -> list[str]:
    """A drill must give the chapter's number at the chapter's assumptions, and another with its changes."""
    try:
        own, chapter = drill.answer(assumptions), drill.chapter_value()
        varied = drill.answer(drill.varied(assumptions))
    except Exception as exc:  # named, with the drill, by the caller's message
        return [f"drill {drill.title!r} raised {type(exc).__name__}: {exc}"]
    found = []
    if not math.isclose(own, chapter, rel_tol=max(drill.tolerance, 1e-12), abs_tol=1e-12):
        found.append(f"drill {drill.title!r} gives {own!r} at the chapter's assumptions where the chapter "
                     f"computes {chapter!r}: it does not follow the chapter's arithmetic")
    if math.isclose(varied, own, rel_tol=1e-9, abs_tol=1e-12):
        found.append(f"drill {drill.title!r}: its changes {dict(drill.changes)} leave the answer at the "
                     f"chapter's own, {own!r}")
    return found
