"""Practice mode (casebook/practice.py, job 4 of casebook.js): a spoiler-free page per case study, made
from the chapter, with the interviewer's answers one at a time and a timer that follows the chapter's
interview plan and survives a reload."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from casebook import browser, practice, snippets
from casebook.errors import CasebookError
from tests.test_browser import AXE, AXE_TAGS

ROOT = Path(__file__).resolve().parent.parent
NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_every_case_study_in_the_navigation_gets_a_practice_page():
    chapters = practice.chapters(NAV)
    section = next(item["Case studies"] for item in NAV if isinstance(item, dict) and "Case studies" in item)
    assert [c.src_uri for c in chapters] == [next(iter(entry.values())) for entry in section]
    assert len(chapters) == 10


@pytest.mark.parametrize("chapter", practice.chapters(NAV), ids=lambda c: c.src_uri)
def test_the_practice_page_gives_the_prompt_and_answers_but_not_the_design(chapter):
    made = practice.page(chapter)
    source = (ROOT / "docs" / chapter.src_uri).read_text(encoding="utf-8")
    problem = _between(source, "## The problem", "!!! note")
    prompt, spoiler = problem.split(practice.MARKER)
    # The prompt is there (its first sentence, word for word) and what the chapter says after the
    # marker is not, nor the "At a glance" box.
    first = " ".join(prompt.split("\n", 2)[2].split()[:4])
    assert first in " ".join(made.split()), first
    spoiler_text = spoiler.split("-->", 1)[1].strip()
    assert " ".join(spoiler_text.split()[:8]) not in " ".join(made.split())
    assert "At a glance" not in made
    # One collapsed answer per row of the chapter's requirements table, in order.
    requirements = _between(source, "{ #requirements }", "\n## ")
    rows = [line for line in requirements.splitlines() if line.startswith("|")][2:]
    titles = re.findall(r'^\?\?\? interviewer "(.*)"$', made, re.M)
    assert len(titles) == len(rows) >= 5
    # The timer's phases are the chapter's interview plan and fill the house's interview length.
    plan = snippets.load(chapter.src_uri.removesuffix(".md").replace("-", "_")).INTERVIEW_PLAN
    listed = re.findall(r"^1\. (.*): (\d+) min$", made, re.M)
    assert listed == [(phase.name, str(phase.minutes)) for phase in plan]
    assert sum(int(minutes) for _, minutes in listed) == snippets.load("kit.house").HOUSE.interview_minutes


def _chapter_with(tmp_path, monkeypatch, text: str) -> practice.Chapter:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "video-recommendation.md").write_text(text, encoding="utf-8")
    monkeypatch.setattr(practice, "DOCS", tmp_path / "docs")
    return practice.Chapter("Video recommendation", "video-recommendation.md")


GOOD = """# T

## The problem { #problem }

Build a thing.

<!-- practice: the prompt ends here; what follows is the chapter's own plan -->

This chapter designs it.

## Clarifying the requirements { #requirements }

| Question you ask | Why it matters | Assumption we take |
| :-- | :-- | :-- |
| How big? | Cost. | Big. |

## Next { #next }
"""


def test_a_chapter_without_practice_material_fails_naming_the_file_and_what_is_missing(tmp_path, monkeypatch):
    chapter = _chapter_with(tmp_path, monkeypatch, GOOD)
    assert "Build a thing." in practice.page(chapter) and "This chapter designs it" not in practice.page(chapter)
    for broken, message in [
        (GOOD.replace("## The problem { #problem }", "## The ask"), 'no "## The problem { #problem }" section'),
        (GOOD.replace("<!-- practice: the prompt ends here; what follows is the chapter's own plan -->", ""),
         "its problem section has no"),
        (GOOD.replace("| How big? | Cost. | Big. |", "| How big? | Big. |"), "needs a table of three columns"),
        (GOOD.replace("{ #requirements }", "{ #asks }"), "needs a table of three columns"),
    ]:
        (tmp_path / "docs" / "video-recommendation.md").write_text(broken, encoding="utf-8")
        with pytest.raises(CasebookError, match=re.escape("docs/video-recommendation.md: no practice page can be made: ")
                           + ".*" + re.escape(message)):
            practice.page(chapter)


@pytest.mark.build
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_practice_mode_in_the_browser(built_site, scheme, width):
    url = "practice/video-recommendation/"
    key = "casebook-timer:video-recommendation"
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900},
                                       is_mobile=width < 600)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + url, wait_until="load")
        browser.settle(page)
        clock = page.locator(".casebook-timer__clock")
        assert clock.inner_text() == "45:00"
        assert page.locator(".casebook-timer__phases li").count() == 8
        # Start: the clock runs and the first phase is current.
        page.get_by_role("button", name="Start the interview").click()
        page.wait_for_timeout(2_100)
        assert clock.inner_text() in ("44:58", "44:57"), clock.inner_text()
        assert page.locator('.casebook-timer__phases li[aria-current="step"]').inner_text().startswith("Clarify")
        assert page.locator(".casebook-timer__phase").inner_text().startswith("Phase 1 of 8: Clarify")
        # A reload 12 minutes in (as if the reader had left the tab): it goes on, in the third phase.
        page.evaluate(f"localStorage.setItem('{key}', JSON.stringify({{start: Date.now() - 12 * 60000, paused: null}}))")
        page.reload(wait_until="load")
        browser.settle(page)
        assert clock.inner_text() in ("33:00", "32:59"), clock.inner_text()
        assert page.locator('.casebook-timer__phases li[aria-current="step"]').inner_text().startswith("Back of the envelope")
        assert "Phase 3 of 8" in page.locator(".casebook-timer__phase").inner_text()
        # Pause holds the clock across a reload too.
        page.get_by_role("button", name="Pause").click()
        held = clock.inner_text()
        page.reload(wait_until="load")
        browser.settle(page)
        page.wait_for_timeout(1_100)
        assert clock.inner_text() == held and page.get_by_role("button", name="Resume").is_visible()
        # The answers: closed until asked, then one opens on its own.
        answers = page.locator("details.interviewer")
        assert answers.count() >= 5 and page.locator("details.interviewer[open]").count() == 0
        answers.nth(2).locator("summary").click()
        assert page.locator("details.interviewer[open]").count() == 1
        assert "The interviewer:" in answers.nth(2).inner_text()
        # The reveal leads into the chapter.
        assert page.locator('#reveal ~ ol a[href$="video-recommendation/#requirements"]').count() == 1
        # Time up: the clock stops at zero and says so; reset starts over.
        page.evaluate(f"localStorage.setItem('{key}', JSON.stringify({{start: Date.now() - 50 * 60000, paused: null}}))")
        page.reload(wait_until="load")
        browser.settle(page)
        assert clock.inner_text() == "0:00" and "Time is up" in page.locator(".casebook-timer__phase").inner_text()
        # Accessibility with the timer on the page and an answer open.
        page.get_by_role("button", name="Reset").click()
        page.get_by_role("button", name="Start the interview").click()
        answers.first.locator("summary").click()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", AXE_TAGS)
        assert result["violations"] == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert errors == [], errors
        # Without scripts the phases are still listed.
        plain = chromium.new_context(java_script_enabled=False).new_page()
        plain.goto(base + url, wait_until="load")
        assert plain.locator(".casebook-timer li").count() == 8


# -- The rest of the practice material: drills, cheat sheets, the comparison, mock interviews ------------

CHAPTERS = practice.chapters(NAV)


def test_a_case_study_without_its_material_fails_the_build_naming_what_is_missing(tmp_path, monkeypatch):
    import shutil
    import types

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    monkeypatch.setattr(practice, "DOCS", docs)
    assert practice.pages(NAV)  # the real material makes every page
    (docs / "mock-interviews" / "news-feed.md").unlink()
    with pytest.raises(CasebookError, match=re.escape("docs/mock-interviews/news-feed.md: missing")):
        practice.pages(NAV)
    shutil.copy(ROOT / "docs" / "mock-interviews" / "news-feed.md", docs / "mock-interviews" / "news-feed.md")
    real = snippets.load

    def without_drills(module):
        loaded = real(module)
        if module != "visual_search":
            return loaded
        stripped = types.SimpleNamespace(**{k: v for k, v in vars(loaded).items() if k != "DRILLS"})
        return stripped

    monkeypatch.setattr(practice.snippets, "load", without_drills)
    with pytest.raises(CasebookError, match=re.escape("snippets/visual_search.py: DRILLS has 0 drills")):
        practice.pages(NAV)


def _page_text(site: Path, url: str) -> str:
    page = (site / url / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", article)).replace("&amp;", "&").replace("&lt;", "<")


def _shown(markdown: str) -> str:
    """A formatted value as the page shows it: Markdown's backslash escapes (the money sign, which
    would otherwise open math) are gone."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!$])", r"\1", markdown)


@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.src_uri)
def test_the_drills_page_shows_each_answer_recomputed_from_its_changed_assumptions(built_site, chapter):
    module = snippets.load(chapter.src_uri.removesuffix(".md").replace("-", "_"))
    stem = chapter.src_uri.removesuffix(".md")
    text = _page_text(built_site.site, f"practice/{stem}/drills")
    assert len(module.DRILLS) >= 10
    for drill in module.DRILLS:
        varied = dataclasses.replace(module.ASSUMPTIONS, **dict(drill.changes))  # recomputed here
        steps = drill.work(varied)
        answer = _shown(steps[-1].fmt(steps[-1].value))
        assert f"Answer: {answer}" in text, f"practice/{stem}/drills/: drill {drill.title!r} should answer {answer}"
        assert drill.title in text
        for step in steps:
            assert _shown(step.fmt(step.value)) in text, (drill.title, step.what)


@pytest.mark.build
def test_the_casebook_at_a_glance_compares_every_case_study_with_its_own_numbers(built_site):
    text = _page_text(built_site.site, "practice/at-a-glance")
    for chapter in CHAPTERS:
        glance = snippets.load(chapter.src_uri.removesuffix(".md").replace("-", "_")).GLANCE
        assert chapter.title in text
        for fact in (glance.users, glance.traffic, glance.latency, glance.memory, *glance.funnel):
            assert fact.text() in text, (chapter.title, fact.label)
    practice_page = (built_site.site / "practice" / "index.html").read_text(encoding="utf-8")
    assert 'href="at-a-glance/"' in practice_page, "the Practice page links the comparison"


@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.src_uri)
def test_each_cheat_sheet_is_one_a4_page_with_nothing_left_out(built_site, chapter):
    import subprocess

    import pikepdf

    from casebook import geometry, pdf

    stem = chapter.src_uri.removesuffix(".md")
    sheet = built_site.site / pdf.pdf_uri(f"practice/{stem}/cheat-sheet.md")
    page = (built_site.site / "practice" / stem / "cheat-sheet" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../../{pdf.pdf_uri(f"practice/{stem}/cheat-sheet.md")}"' in page, "the page offers its PDF"
    with pikepdf.open(sheet) as document:
        assert len(document.pages) == 1, f"{sheet.name}: {len(document.pages)} pages; a cheat sheet is one page"
        width, height = (float(document.pages[0].mediabox[2]), float(document.pages[0].mediabox[3]))
        assert abs(width - geometry.PAGE_WIDTH_PT) < 2 and abs(height - geometry.PAGE_HEIGHT_PT) < 2
    printed = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True,
                                                 check=True).stdout)
    glance = snippets.load(stem.replace("-", "_")).GLANCE
    # Nothing clipped or dropped: the first and the last things on the sheet, and every number, are printed.
    for needle in (glance.trade_offs[-1][-40:], glance.model[:40], *(f.text() for f in glance.funnel)):
        assert re.sub(r"\s+", "", needle) in printed, f"{sheet.name}: {needle!r} is not on the page"


@pytest.mark.build
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_mock_interview_hides_the_candidate_until_asked(built_site, scheme, width):
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900},
                                       is_mobile=width < 600)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "mock-interviews/news-feed/", wait_until="load")
        browser.settle(page)
        turns = page.locator("details.candidate")
        total = turns.count()
        assert total >= 10 and page.locator("details.candidate[open]").count() == total, "a transcript to read"
        assert page.locator(".admonition.correction").count() >= 1
        page.get_by_role("button", name="Hide the candidate's answers").click()
        assert page.locator("details.candidate[open]").count() == 0
        turns.nth(3).locator("summary").click()
        assert page.locator("details.candidate[open]").count() == 1
        assert f"1 of {total} open" in page.locator(".casebook-mock-toggle p").inner_text()
        page.get_by_role("button", name="Show all the candidate's answers").click()
        assert page.locator("details.candidate[open]").count() == total
        for url in ("mock-interviews/news-feed/", "practice/news-feed/drills/", "practice/news-feed/cheat-sheet/",
                    "practice/at-a-glance/"):
            page.goto(base + url, wait_until="load")
            browser.settle(page)
            page.locator("details summary").first.click() if page.locator("details summary").count() else None
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                   "resultTypes: ['violations']})", AXE_TAGS)
            assert result["violations"] == [], (url, [(v["id"], [n["target"] for n in v["nodes"]][:3])
                                                      for v in result["violations"]])
        assert errors == [], errors
