"""Every case study's practice material (snippets/kit/practice.py), checked without a build.

The drills are recomputed here from their varied assumptions: at the chapter's own assumptions a drill
must give the chapter's number (so it uses the chapter's arithmetic, not a copy of it), and its
changed assumptions must change the answer (so the question is a new one). The built pages are
checked against these answers in tests/test_practice.py.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from casebook import contract, names, snippets
from snippets.kit import practice as kit

CASE_STUDIES = contract.case_studies()
MODULES = [names.for_page(page).module for page in CASE_STUDIES]


def drills():
    for module in MODULES:
        for drill in getattr(snippets.load(module), "DRILLS", ()):
            yield pytest.param(module, drill, id=f"{module}: {drill.title}")


def test_every_case_study_is_covered():
    assert len(MODULES) >= 10, MODULES


@pytest.mark.parametrize("module", MODULES)
def test_the_material_is_complete(module):
    problems = kit.problems(snippets.load(module))
    assert problems == [], f"snippets/{module}.py: " + "; ".join(problems)


@pytest.mark.parametrize("module", MODULES)
def test_the_glance_facts_are_numbers_the_chapter_shows(module):
    glance = snippets.load(module).GLANCE
    facts = [glance.users, glance.traffic, glance.latency, glance.memory, *glance.funnel]
    for fact in facts:
        number = fact.number()
        assert isinstance(number, (int, float)) and math.isfinite(number) and number > 0, (module, fact.label, number)
        assert any(ch.isdigit() for ch in fact.text()), (module, fact.label, fact.text())
    funnel = [fact.number() for fact in glance.funnel]
    # A funnel narrows (a stage may be a rate per second rather than a count: then it is not compared).
    counts = [n for fact, n in zip(glance.funnel, funnel, strict=True) if "per second" not in fact.label]
    assert counts == sorted(counts, reverse=True), f"{module}: GLANCE.funnel does not narrow: {counts}"


@pytest.mark.parametrize(("module", "drill"), list(drills()))
def test_a_drill_reproduces_the_chapter_and_answers_a_new_question(module, drill):
    own = snippets.load(module).ASSUMPTIONS
    at_chapter = drill.answer(own)
    assert math.isclose(at_chapter, drill.chapter_value(), rel_tol=max(drill.tolerance, 1e-12)), (
        f"snippets/{module}.py: drill {drill.title!r} gives {at_chapter} at the chapter's assumptions, "
        f"the chapter computes {drill.chapter_value()}: the drill does not follow the chapter's arithmetic"
    )
    varied = drill.varied(own)
    for name, value in drill.changes.items():
        assert getattr(varied, name) == value
    answer = drill.answer(varied)
    assert not math.isclose(answer, at_chapter, rel_tol=1e-9), (
        f"snippets/{module}.py: drill {drill.title!r}: its changes {dict(drill.changes)} leave the answer "
        f"at {answer}, the chapter's own"
    )
    steps = drill.work(varied)
    assert steps and all(step.what and step.how and step.text() for step in steps)


def test_a_drill_off_the_chapters_arithmetic_or_blind_to_its_change_is_named():
    module = snippets.load("news_feed")
    good = module.DRILLS[0]
    blind = dataclasses.replace(good, title="Blind", changes={"holdout_fraction": 0.5})
    off = dataclasses.replace(good, title="Off", work=lambda a: [*good.work(a)[:-1], dataclasses.replace(
        good.work(a)[-1], value=good.work(a)[-1].value * 1.01)])
    fake = type("Module", (), {name: getattr(module, name) for name in ("INTERVIEW_PLAN", "GLANCE", "RUBRIC", "ASSUMPTIONS")})
    fake.DRILLS = (*module.DRILLS, blind, off)
    problems = kit.problems(fake)
    assert any("'Blind'" in p and "leave the answer" in p for p in problems), problems
    assert any("'Off'" in p and "does not follow the chapter's arithmetic" in p for p in problems), problems
    fake.DRILLS = module.DRILLS[:kit.MIN_DRILLS - 1]
    assert any(f"at least {kit.MIN_DRILLS}" in p for p in kit.problems(fake))


def test_incomplete_material_is_named():
    class Bare:
        ASSUMPTIONS = None

    problems = kit.problems(Bare())
    assert any("INTERVIEW_PLAN" in p for p in problems)
    assert any("GLANCE" in p for p in problems)
    assert any("RUBRIC" in p for p in problems)
    assert any("DRILLS" in p for p in problems)


@pytest.mark.parametrize("page", CASE_STUDIES)
def test_the_mock_interview_follows_the_plan_on_the_chapters_numbers(page):
    from casebook import practice

    problems = practice.mock_problems(practice.Chapter(page, page))
    assert problems == [], "\n".join(problems)
