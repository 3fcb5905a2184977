"""The failure paths: each kind of breakage fails the build with a message naming the file (and line).

Every case breaks a throwaway copy of the project, builds it with --strict and checks three things:
the build fails, the message names the file at fault (and the line where one exists), and no
traceback reaches the contributor.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site

pytestmark = pytest.mark.build


def _append(path: Path, text: str) -> int:
    """Append ``text`` to ``path``; return the 1-based line where it starts."""
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    path.write_text(content + text, encoding="utf-8")
    return content.count("\n") + 1 + (len(text) - len(text.lstrip("\n")))


def _replace_draw(path: Path, body: list[str]) -> int:
    """Replace a figure module with one whose draw() has ``body``; return the first body line."""
    header = ['"""A figure that is broken on purpose for a test."""', "", "", "def draw(style):"]
    path.write_text("\n".join(header + [f"    {line}" for line in body]) + "\n", encoding="utf-8")
    return len(header) + 1


def _break_diagram_raises(project: Path):
    line = _replace_draw(project / "diagrams/framework/steps.py", ['raise ValueError("broken on purpose")'])
    return rf"diagrams/framework/steps\.py:{line}: draw\(\) raised ValueError: broken on purpose"


def _break_diagram_draws_nothing(project: Path):
    _replace_draw(project / "diagrams/framework/steps.py", ['return style.digraph("empty")'])
    return r"diagrams/framework/steps\.py:4: draw\(\) drew nothing"


def _break_diagram_missing_icon(project: Path):
    line = _replace_draw(
        project / "diagrams/framework/steps.py",
        [
            "from diagrams.custom import Custom",
            "with style.diagram() as figure:",
            '    Custom("Feature store", "icons/no-such-icon.png")',
            "return figure",
        ],
    )
    return rf"diagrams/framework/steps\.py:{line + 2}: Custom icon not found: icons/no-such-icon\.png"


def _break_snippet(project: Path):
    module = project / "snippets/framework.py"
    text = module.read_text(encoding="utf-8")
    match = re.search(r"^def peak_qps\(\)[^\n]*\n", text, re.M)
    assert match, "snippets/framework.py defines peak_qps()"
    line = text.count("\n", 0, match.end()) + 1
    module.write_text(text[: match.end()] + '    raise RuntimeError("broken on purpose")\n' + text[match.end():])
    page = (project / "docs/framework.md").read_text(encoding="utf-8")
    first_use = page.count("\n", 0, page.index("{{ value: peak_qps }}")) + 1
    return (
        rf"docs/framework\.md:{first_use}: .*snippets/framework\.py:{line}: peak_qps\(\) raised "
        r"RuntimeError: broken on purpose"
    )


def _break_unused_value(project: Path):
    line = _append(project / "snippets/framework.py", "\n\n@value(count)\ndef orphan() -> int:\n    return 1\n")
    return rf"snippets/framework\.py:{line}: orphan\(\) is marked @value but no page, figure or lab uses it"


def _break_unmarked_value(project: Path):
    _append(project / "snippets/framework.py", "\n\ndef unmarked() -> str:\n    return '1'\n")
    line = _append(project / "docs/framework.md", "\nWe expect {{ value: unmarked }} users.\n")
    return rf"docs/framework\.md:{line}: .*snippets/framework\.py: unmarked is not marked for pages"


def _break_uncited_source(project: Path):
    module = project / "snippets/framework.py"
    text = module.read_text(encoding="utf-8")
    text = text.replace("from snippets.kit.show import", "from snippets.kit.assume import cited\nfrom snippets.kit.show import", 1)
    module.write_text(text.replace('PROBLEM)', 'cited("Somebody (2020)", "nobody2020"))', 1))
    page = (project / "docs/framework.md").read_text(encoding="utf-8")
    line = page.count("\n", 0, page.index("{{ table: assumptions }}")) + 1
    return rf"docs/framework\.md:{line}: .*cites footnote\(s\) \[\^nobody2020\] that this page does not define"


def _break_value_without_module(project: Path):
    line = _append(project / "docs/index.md", "\nWe expect {{ value: peak_qps }} users.\n")
    return rf"docs/index\.md:{line}: .*'peak_qps' names no module and this page has no calculation module"


def _break_notebook(project: Path):
    line = _append(project / "notebooks/video-recommendation.py", '\n# %%\nraise ValueError("broken lab")\n')
    return rf"notebooks/video-recommendation\.py:{line + 1}: cell \d+ raised ValueError: broken lab"


def _break_plot_description(project: Path):
    _append(
        project / "notebooks/video-recommendation.py",
        '\n# %%\nfig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\n',
    )
    return r"notebooks/video-recommendation\.py: plot \d+ has no Markdown cell right after it to describe it"


def _break_lab_import(project: Path):
    """A lab imports a package that requirements.txt does not pin: its download could not install it."""
    line = _append(project / "notebooks/video-recommendation.py", "\n# %%\nimport pip\n")
    return rf"notebooks/video-recommendation\.py:{line + 1}: imports 'pip', which no package pinned in requirements\.txt"


def _break_lab_shortcode(project: Path):
    line = _append(project / "notebooks/video-recommendation.py", "\n# %% [markdown]\n# We serve {{ value: peak_qps }}.\n")
    return rf"notebooks/video-recommendation\.py:{line + 1}: \{{\{{ value: peak_qps \}}\}}: a lab's Markdown may only use"


def _break_repository_setting(project: Path):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^  repository: .*$", '  repository: "github.com/no-scheme"', text), encoding="utf-8")
    return r"mkdocs\.yml: extra\.repository = 'github\.com/no-scheme' is not an http\(s\) address"


def _break_tex(project: Path):
    line = _append(project / "docs/index.md", "\nA formula that never closes: $\\frac{1}{$.\n")
    return rf"docs/index\.md:{line}: invalid TeX `\\frac\{{1\}}\{{`"


def _break_figure_reference(project: Path):
    line = _append(project / "docs/index.md", "\n{{ figure: framework/no_such_figure }}\n")
    return rf"docs/index\.md:{line}: .*no figure 'framework/no_such_figure'"


def _break_anchor(project: Path):
    _append(project / "docs/index.md", "\nSee [nowhere](framework.md#no-such-heading).\n")
    return r"'index\.md' contains a link 'framework\.md#no-such-heading', but .* does not contain an anchor"


def _break_snippet_reference(project: Path):
    line = _append(project / "docs/index.md", "\nWe expect {{ value: framework.no_such_function }} users.\n")
    return rf"docs/index\.md:{line}: .*snippets/framework\.py: has no no_such_function \(shown there: .*peak_qps"


def _break_link(project: Path):
    _append(project / "docs/index.md", "\nSee [the missing chapter](no-such-chapter.md).\n")
    return r"index\.md.*no-such-chapter\.md"


def _break_unused_figure(project: Path):
    (project / "diagrams/framework/orphan.py").write_text(
        (project / "diagrams/framework/steps.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return r"diagrams/framework/orphan\.py: the figure is not shown on any page"


def _break_engine(project: Path):
    """Not a content error: the engine itself fails. Still one line, with the file, no traceback."""
    (project / "requirements.txt").unlink()  # part of every lab's cache key
    return r"casebook/notebooks\.py:\d+: unexpected error in the build engine \(on_files\): FileNotFoundError"


CASES = {
    "diagram raises": _break_diagram_raises,
    "diagram draws nothing": _break_diagram_draws_nothing,
    "diagram uses a missing Custom icon": _break_diagram_missing_icon,
    "snippet raises": _break_snippet,
    "value nothing shows": _break_unused_value,
    "unmarked function on a page": _break_unmarked_value,
    "assumption cites a missing footnote": _break_uncited_source,
    "bare name on a page without a module": _break_value_without_module,
    "notebook cell fails": _break_notebook,
    "plot with no description": _break_plot_description,
    "lab imports an unpinned package": _break_lab_import,
    "lab uses a page shortcode": _break_lab_shortcode,
    "repository setting is not an address": _break_repository_setting,
    "invalid TeX": _break_tex,
    "missing figure": _break_figure_reference,
    "missing snippet function": _break_snippet_reference,
    "broken anchor": _break_anchor,
    "broken link": _break_link,
    "figure no page shows": _break_unused_figure,
    "the engine itself fails": _break_engine,
}


@pytest.mark.parametrize("case", list(CASES))
def test_breakage_fails_the_build_naming_the_file(case, project_copy, tmp_path):
    expected = CASES[case](project_copy)
    build = build_site(project_copy, tmp_path / "site")
    assert build.returncode != 0, f"{case}: the build passed\n{build.output}"
    assert re.search(expected, build.output), f"{case}: expected /{expected}/ in:\n{build.output}"
    assert "Traceback" not in build.output, f"{case}: a traceback reached the contributor:\n{build.output}"


def test_the_unbroken_copy_builds(project_copy, tmp_path):
    """The copy itself is sound, so each failure above comes from its own breakage."""
    build = build_site(project_copy, tmp_path / "site")
    assert build.returncode == 0, build.output
