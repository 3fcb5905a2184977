"""The live preview (``scripts/serve``, ``mkdocs serve --dirty``) re-renders only what an edit changed,
and the site it serves after the edits is, file for file, the site a full rebuild makes.

One preview session runs in a project copy (tests/preview_session.py: what the server does on each
save, without the server): a navigation title renamed, a figure label, a table heading in a
calculation, a page added and removed, and a heading of the framework chapter that other pages link to. Then a full rebuild of
the same tree into another folder, and the two folders are compared.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project

DRIVER = ROOT / "tests" / "preview_session.py"
OLD_HEADING = "## Evaluate offline, then online"
# The renamed heading breaks links into the page from others, and the new sentence links to an anchor
# that a page the preview does not re-render lacks: both are reported, as a full build reports them.
NEW_HEADING = "## Evaluate offline first, then online\n\nSee [a term](glossary.md#no-such-term)."


def session(project: Path, site: Path, steps: list[dict], mode: str) -> list[dict]:
    steps_file = site.parent / f"{site.name}-steps.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    env.pop("CASEBOOK_CACHE", None)
    result = subprocess.run([sys.executable, str(DRIVER), str(site), str(steps_file), mode], cwd=project, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"preview session ({mode}) failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two site folders."""
    found = []

    def walk(compare: filecmp.dircmp, prefix: str):
        found.extend(f"only in the preview: {prefix}{name}" for name in compare.left_only)
        found.extend(f"only in the full build: {prefix}{name}" for name in compare.right_only)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files, shallow=False)
        found.extend(f"differs: {prefix}{name}" for name in mismatch + errors)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


@pytest.fixture(scope="module")
def preview(tmp_path_factory, request):
    """The preview session's step reports, its site, and a full rebuild of the final tree."""
    request.getfixturevalue("built_site")  # a warm build cache, copied below: only the edits are redone
    base = tmp_path_factory.mktemp("preview")
    project = copy_project(base / "project")
    shutil.copytree(ROOT / ".cache", project / ".cache", ignore=shutil.ignore_patterns("pdf"))

    def edited(path: str, old: str, new: str) -> dict:
        text = (project / path).read_text(encoding="utf-8")
        assert old in text, f"{path} no longer contains {old!r}: update this test's edit"
        return {"write": {path: text.replace(old, new)}}

    steps = [
        {},
        edited("mkdocs.yml", "Glossary: glossary.md", "Terms: glossary.md"),
        edited("diagrams/framework/steps.py", '"Run it"', '"Run it now"'),
        edited("snippets/reference/metrics.py", '"Box B"', '"Box B2"'),
        {"write": {"docs/scratch.md": "# Scratch\n\nA page outside the navigation, for a moment.\n"}},
        {"delete": ["docs/scratch.md"]},
        edited("docs/framework.md", OLD_HEADING, NEW_HEADING),
    ]
    # The edits are to different files, so each is made on the file as the copy has it.
    reports = session(project, base / "preview-site", steps, "--dirty")
    full = session(project, base / "full-site", [{}], "--full")
    return reports, base / "preview-site", full[0], base / "full-site"


def test_first_build_renders_every_page(preview):
    reports, site, _, _ = preview
    pages = {path.relative_to(site).as_posix() for path in site.rglob("index.html")}
    assert len(reports[0]["rebuilt"]) == len(pages), "the first build of a preview renders every page"


def test_navigation_change_renders_every_page(preview):
    reports, *_ = preview
    assert reports[1]["rebuilt"] == reports[0]["rebuilt"], \
        "a renamed navigation title is on every page: every page must be rendered again"


def test_figure_edit_renders_its_page_and_source_page(preview):
    reports, *_ = preview
    assert reports[2]["rebuilt"] == ["framework.md", "source/diagrams/framework/steps.md"]


def test_snippet_edit_renders_its_dependants(preview):
    reports, *_ = preview
    # The metrics reference page shows the table and the module's source page its code. The metrics lab
    # imports the module, so it runs again, but it does not show this table: its page stays as it was.
    assert reports[3]["rebuilt"] == ["reference/metrics.md", "source/snippets/reference/metrics.md"]


def test_added_page_is_built_and_a_removed_one_is_gone(preview):
    reports, site, _, _ = preview
    # A new file changes the site's list of files, which any page may link to: everything is rendered.
    assert "scratch.md" in reports[4]["rebuilt"] and len(reports[4]["rebuilt"]) == len(reports[0]["rebuilt"]) + 1
    assert len(reports[5]["rebuilt"]) == len(reports[0]["rebuilt"])
    assert not (site / "scratch" / "index.html").exists(), "a deleted page must not stay in the preview"


def test_prose_edit_renders_one_page_and_still_checks_links_into_it(preview):
    reports, _, full, _ = preview
    assert reports[6]["rebuilt"] == ["framework.md"]
    broken = sorted(message for message in reports[6]["warnings"] if "does not contain an anchor" in message)
    expected = sorted(message for message in full["warnings"] if "does not contain an anchor" in message)
    assert any("#no-such-term" in message for message in expected) and len(expected) > 1, \
        "a full build should report the renamed heading's broken links and the link to #no-such-term"
    assert broken == expected, "the preview must report the same broken links as a full build"


def test_preview_serves_what_a_full_build_makes(preview):
    _, site, _, full_site = preview
    assert differences(site, full_site) == []
