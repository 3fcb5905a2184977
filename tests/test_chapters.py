"""The chapter contract, on every page under "Case studies" in the navigation.

``casebook/contract.py`` says what is checked; CONTRIBUTING.md ("What a finished case study has")
says the rest of what a finished chapter needs, which a reviewer checks.
"""

from __future__ import annotations

import pytest

from casebook import contract

CASE_STUDIES = contract.case_studies()


def test_the_book_has_case_studies():
    assert "video-recommendation.md" in CASE_STUDIES


@pytest.mark.parametrize("page", CASE_STUDIES)
def test_case_study_meets_the_contract(page):
    problems = contract.check(page)
    assert not problems, "\n".join(problems)


@pytest.mark.build
def test_a_scaffolded_chapter_builds_but_never_passes_as_a_chapter(project_copy, tmp_path):
    from casebook import scaffold
    from conftest import build_site

    written = scaffold.create("event-planning", "Event planning", root=project_copy)
    assert {p.relative_to(project_copy).as_posix() for p in written} >= {
        "docs/event-planning.md", "snippets/event_planning.py", "notebooks/event-planning.py",
        "tests/test_event_planning.py", "diagrams/event_planning/architecture.py", "mkdocs.yml"}
    assert "event-planning.md" in contract.case_studies(project_copy / "mkdocs.yml")

    build = build_site(project_copy, tmp_path / "site")
    assert build.returncode == 0, f"the scaffold does not build:\n{build.output}"
    assert (tmp_path / "site" / "event-planning" / "index.html").is_file()
    assert (tmp_path / "site" / "labs" / "event-planning" / "index.html").is_file()

    problems = contract.check("event-planning.md", docs=project_copy / "docs")
    placeholders = [p for p in problems if contract.PLACEHOLDER in p]
    assert placeholders, "the scaffold passes the contract"
    places = {p.split(":")[0] for p in placeholders}
    assert {"docs/event-planning.md", "snippets/event_planning.py", "notebooks/event-planning.py",
            "diagrams/event_planning/architecture.py", "tests/test_event_planning.py"} <= places


def test_the_scaffold_refuses_to_overwrite(tmp_path):
    from casebook import scaffold
    from casebook.errors import CasebookError

    with pytest.raises(CasebookError, match="already exists, nothing written: docs/video-recommendation.md"):
        scaffold.create("video-recommendation", "Video recommendation")
    with pytest.raises(CasebookError, match="lower-case words joined by hyphens"):
        scaffold.create("Video_Rec", "Video")
