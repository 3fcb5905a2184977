"""What every page's calculation module shares, checked once for all of them.

Discovers every module in ``snippets/`` (the kit aside) and every page in ``docs/``; a new chapter
is covered without touching this file. Per-page files (tests/test_<module>.py) hold only the page's
hand-derived values.
"""

from __future__ import annotations

import dataclasses
import functools

import pytest

from casebook import names, shortcodes, snippets, usage
from casebook.paths import DIAGRAMS, DOCS, NOTEBOOKS, ROOT, rel
from snippets.kit import assume, show

PAGE_MODULES = [m for m in snippets.discover() if not names.is_kit(m)]
PAGES = names.pages()


def test_there_are_page_modules():
    assert {"framework", "video_recommendation"} <= set(PAGE_MODULES)


# ---- names mirror pages -----------------------------------------------------------------------


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_every_page_module_belongs_to_a_page(module):
    page = names.page_of_module(module)
    expected = "docs/" + module.replace(".", "/").replace("_", "-") + ".md"
    assert page is not None, f"snippets/{module.replace('.', '/')}.py mirrors no page: expected {expected}"


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_every_page_module_has_its_test_file(module):
    own = names.for_page(names.page_of_module(module) or "")
    assert own.test_path.is_file(), f"snippets/{module.replace('.', '/')}.py: its hand-checked values go in {rel(own.test_path)}"


FIGURE_FOLDERS = sorted({p.parent.relative_to(DIAGRAMS).as_posix() for p in DIAGRAMS.rglob("*.py")})


@pytest.mark.parametrize("folder", FIGURE_FOLDERS)
def test_every_figure_folder_belongs_to_a_page(folder):
    owners = [page for page in PAGES if names.for_page(page).figures == folder]
    assert owners, f"diagrams/{folder}/ mirrors no page in docs/"


@pytest.mark.parametrize("page", PAGES)
def test_a_page_shows_its_own_figures_by_short_name(page):
    """A page names its own figures without the folder; a full id is for another page's figure."""
    own = names.for_page(page)
    text = (DOCS / page).read_text(encoding="utf-8")
    long_form = [c for c in shortcodes.find(text) if c.kind == "figure" and c.arg.startswith(own.figures + "/")]
    assert not long_form, f"docs/{page}:{long_form[0].line}: write {{{{ figure: {long_form[0].arg.split('/')[-1]} }}}}" if long_form else ""


@pytest.mark.parametrize("page", PAGES)
def test_a_page_names_its_own_module_by_short_name(page):
    own = names.for_page(page)
    text = (DOCS / page).read_text(encoding="utf-8")
    long_form = [c for c in shortcodes.find(text)
                 if c.kind in ("value", "table") and c.arg.startswith(own.module + ".")]
    assert not long_form, (
        f"docs/{page}:{long_form[0].line}: drop the module: {{{{ {long_form[0].kind}: "
        f"{long_form[0].arg.removeprefix(own.module + '.')} }}}}" if long_form else ""
    )


def test_the_rule_on_known_pages():
    video = names.for_page("video-recommendation.md")
    assert (video.module, video.figures, video.lab, video.test) == (
        "video_recommendation", "video_recommendation", "video-recommendation.py", "test_video_recommendation.py")
    metrics = names.for_page("reference/metrics.md")
    assert (metrics.module, metrics.figures, metrics.lab, metrics.test) == (
        "reference.metrics", "reference/metrics", "metrics.py", "test_reference_metrics.py")


# ---- assumptions and what pages show ------------------------------------------------------------


@functools.cache
def _imported():
    return {module: snippets.load(module) for module in PAGE_MODULES}


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_page_module_has_a_docstring_and_declared_assumptions(module):
    imported = _imported()[module]
    assert imported.__doc__ and imported.__doc__.strip(), f"snippets/{module}.py needs a module docstring"
    declared = getattr(imported, snippets.ASSUMPTIONS, None)
    if declared is not None:
        rows = assume.declarations(declared)  # raises, naming the field, if one is not declared with assume()
        assert rows, f"snippets/{module}.py: ASSUMPTIONS declares nothing"
        assert dataclasses.fields(declared)[0].metadata, "fields carry their declaration"


@functools.cache
def _targets() -> tuple[tuple[str, str, str], ...]:
    """Every (page, kind, target) the pages use, each once."""
    found = set()
    for page in PAGES:
        own = names.for_page(page)
        module = own.module if own.module_path.is_file() else None
        for code in shortcodes.find((DOCS / page).read_text(encoding="utf-8")):
            if code.kind in ("value", "table"):
                found.add((page, code.kind, str(snippets.parse_target(code.arg, module))))
    return tuple(sorted(found))


@functools.cache
def _evaluated() -> dict[str, snippets.Shown]:
    """Each target evaluated once per test run (modules imported once, values memoised)."""
    return {target: snippets.evaluate(snippets.parse_target(target), use_cache=False)
            for target in sorted({t for _, _, t in _targets()})}


def test_pages_use_many_computed_values():
    assert len(_targets()) > 100


@pytest.mark.parametrize(("page", "kind", "target"), _targets(), ids=[f"{p}:{t}" for p, _, t in _targets()])
def test_every_target_a_page_uses_evaluates(page, kind, target):
    shown = _evaluated()[target]
    assert shown.kind == kind, f"docs/{page}: {target} is a {shown.kind}, shown as a {kind}"
    assert shown.text.strip()
    if kind == "value":
        assert "\n" not in shown.text, "an inline value is one line"
    else:
        lines = shown.text.strip().splitlines()
        assert len(lines) >= 3 and all(line.startswith("|") for line in lines), "a table is a pipe table"


def test_nothing_marked_is_unused():
    problems = usage.unused(usage.scan())
    assert not problems, "\n".join(problems)


def test_marks_are_on_page_modules_or_kit_functions_only():
    """A figure or lab does not mark values: only calculation modules decide what pages show."""
    for folder in (DIAGRAMS, NOTEBOOKS):
        for path in folder.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "@value(" not in text and "@table" not in text, f"{rel(path)}: move shown values into snippets/"


def test_source_pages_list_their_users():
    found = usage.scan()
    users = found.users_of_file(ROOT / "snippets/framework.py")
    assert any(u.kind == "page" and u.path == "docs/framework.md" for u in users)
    kit_users = {u.path for u in found.users_of_file(ROOT / "snippets/kit/estimation.py")}
    assert {"docs/framework.md", "docs/video-recommendation.md"} <= kit_users, "kit users are found through imports"
    figure_users = found.users_of_file(DIAGRAMS / "framework/steps.py")
    assert [(u.src_uri, u.anchor) for u in figure_users] == [("framework.md", "figure-framework-steps")]


def test_value_marks():
    assert show.kind(_imported()["framework"].peak_qps) == "value"
    assert show.kind(_imported()["framework"].capacity_table) == "table"
    assert show.kind(len) is None
