"""The benchmark's own helpers (benchmarks/benchmark.py), on small made-up inputs: fast, no full build.

The whole benchmark runs with `scripts/benchmark`; these tests check the parts its numbers rest on:
the statistics, the edits it makes, the copy of the checkout, the floor project, what counts as
re-executed, and the page weights.
"""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import pytest

from benchmarks import benchmark


def test_spread_is_median_and_range():
    spread = benchmark.Spread.of([3.0, 1.0, 10.0, 2.0])
    assert (spread.median, spread.low, spread.high) == (2.5, 1.0, 10.0)  # median of 2 and 3
    with pytest.raises(ValueError):
        benchmark.Spread.of([])


def test_ratios_are_taken_within_each_repetition():
    # Per repetition: 1/1, 10/5, 3/6 -> 1, 2, 0.5; their median is 1. The ratio of the medians
    # would be 3/5 = 0.6, which mixes a slow repetition of one scenario with a fast one of the other.
    ratios = benchmark.pair_ratios([1.0, 10.0, 3.0], [1.0, 5.0, 6.0])
    assert ratios == [1.0, 2.0, 0.5]
    assert benchmark.Spread.of(ratios).median == 1.0
    with pytest.raises(ValueError):
        benchmark.pair_ratios([1.0], [1.0, 2.0])


def test_sentence_goes_to_the_end_of_the_first_paragraph():
    markdown = "# Title\n\nFirst line\nends here.\n\nSecond paragraph.\n"
    edited = benchmark.with_sentence(markdown, "New one.")
    assert edited == "# Title\n\nFirst line\nends here. New one.\n\nSecond paragraph.\n"
    with pytest.raises(ValueError):
        benchmark.with_sentence("# Only a title\n", "New one.")


def test_edit_replaces_its_text_once_and_names_what_it_changes():
    edit = benchmark.Edit("snippets/x.py", '"Box B"', '"Box B {n}"', "x/index.html")
    assert edit.applied('header = ["Box A", "Box B"]', 3) == 'header = ["Box A", "Box B 3"]'
    assert edit.marker(3) == "Box B 3"
    assert edit.changes == {"module": "x"}
    assert benchmark.FIGURE_EDIT.changes == {"figure": "framework/steps"}
    for original in ('["Box A"]', '["Box B", "Box B"]'):  # missing, or ambiguous
        with pytest.raises(ValueError):
            edit.applied(original, 1)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_snapshot_is_head_plus_what_is_on_disk(tmp_path):
    source = tmp_path / "source"
    (source / "node_modules").mkdir(parents=True)
    (source / ".gitignore").write_text("node_modules/\n")
    for name in ("kept.txt", "changed.txt", "deleted.txt"):
        (source / name).write_text(f"{name} as committed\n")
    _git(source, "init", "--quiet")
    _git(source, "add", ".")
    _git(source, "commit", "--quiet", "-m", "first")
    (source / "changed.txt").write_text("changed on disk\n")
    (source / "deleted.txt").unlink()
    (source / "new").mkdir()
    (source / "new" / "untracked.txt").write_text("not committed\n")

    copy = tmp_path / "copy"
    snapshot = benchmark.snapshot_checkout(source, copy)

    assert snapshot["copied"] == ["changed.txt", "new/untracked.txt"]
    assert snapshot["deleted"] == ["deleted.txt"]
    assert (copy / "kept.txt").read_text() == "kept.txt as committed\n"
    assert (copy / "changed.txt").read_text() == "changed on disk\n"
    assert (copy / "new" / "untracked.txt").is_file()
    assert not (copy / "deleted.txt").exists()
    assert (copy / "node_modules").resolve() == (source / "node_modules").resolve()


EXPANDING_HOOK = """
from mkdocs.structure.files import File


def on_files(files, config):
    files.append(File.generated(config, "figures/answer.svg", content="<svg/>"))
    return files


def on_page_markdown(markdown, page, config, files):
    return markdown.replace("{{ answer }}", "42 ![figure](figures/answer.svg)")
"""


def test_floor_project_is_the_expanded_site_without_the_hook(tmp_path):
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Tiny\ntheme: mkdocs\nhooks:\n  - expand.py\n")
    (project / "expand.py").write_text(EXPANDING_HOOK)
    (project / "docs" / "index.md").write_text("# Home\n\nThe answer is {{ answer }}.\n")
    (project / "docs" / "other.md").write_text("---\ntitle: Elsewhere\n---\n\n# Other\n")
    (project / "docs" / "notes.txt").write_text("a static file\n")
    floor = tmp_path / "floor"

    config = benchmark.build_floor_project(project, floor)

    docs = floor / "docs"
    assert (docs / "index.md").read_text() == "# Home\n\nThe answer is 42 ![figure](figures/answer.svg).\n"
    assert (docs / "other.md").read_text().startswith("---\ntitle: Elsewhere\n---\n")
    assert (docs / "figures" / "answer.svg").read_text() == "<svg/>"
    assert (docs / "notes.txt").is_file()
    assert not (docs / "css").exists()  # the theme's own files come from the theme, not from docs
    assert not (project / "mkdocs.capture.yml").exists()
    assert "hooks: []" in config.read_text()

    benchmark.floor_build(project, config, floor)
    benchmark.mkdocs_build(project, tmp_path / "real")
    assert "The answer is 42" in (floor / "site" / "index.html").read_text()
    differences = benchmark.compare_sites(tmp_path / "real", floor / "site")
    assert "index.html" in differences["pages"]
    assert {k: v for k, v in differences.items() if k != "pages"} == {
        "pages_only_in_real": [],
        "pages_only_in_floor": [],
        "files_only_in_real": [],
        "files_only_in_floor": [],
    }


def test_floor_limits_mkdocs_jupyter_to_notebooks():
    plugins = [
        "search",
        {"mkdocs-jupyter": {"include": ["*.ipynb"], "ignore": ["drafts/*"]}},
        {"glightbox": None},
    ]
    assert benchmark.notebooks_only(plugins) == [
        "search",
        {"mkdocs-jupyter": {"include": ["*.ipynb"], "ignore": ["drafts/*", "*.md"]}},
        {"glightbox": None},
    ]
    assert benchmark.notebooks_only(["mkdocs-jupyter"]) == [{"mkdocs-jupyter": {"ignore": ["*.md"]}}]
    assert benchmark.notebooks_only({"search": {}, "mkdocs-jupyter": None}) == {
        "search": {},
        "mkdocs-jupyter": {"ignore": ["*.md"]},
    }


DEPENDENCIES = {
    "snippet_keys": {"k-metrics": "metrics", "k-chapter": "chapter", "k-display": "display"},
    "modules": {"display": ["display"], "metrics": ["metrics"], "chapter": ["chapter", "display", "metrics"]},
    "notebooks": {"lab": ["metrics"], "other-lab": ["display"]},
    "figures": {"funnel": ["chapter", "display", "metrics"], "steps": []},
    "pages": {
        "chapter.md": {"modules": ["chapter"], "figures": ["funnel", "steps"]},
        "metrics.md": {"modules": ["metrics"], "figures": []},
        "index.md": {"modules": [], "figures": []},
    },
}


def test_dependants_follow_imports_and_shortcodes():
    assert benchmark.dependants(DEPENDENCIES, module="metrics") == {
        "figures": ["funnel"],  # through chapter, which imports metrics
        "modules": ["chapter", "metrics"],
        "notebooks": ["lab"],
        "pages": ["chapter.md", "metrics.md"],
    }
    assert benchmark.dependants(DEPENDENCIES, figure="steps") == {
        "figures": ["steps"],
        "modules": [],
        "notebooks": [],
        "pages": ["chapter.md"],
    }
    assert benchmark.dependants(DEPENDENCIES) == {"figures": [], "modules": [], "notebooks": [], "pages": []}


def test_reexecuted_reads_new_and_rewritten_cache_entries(tmp_path):
    cache = tmp_path / "cache"
    (cache / "figures" / "old").mkdir(parents=True)
    (cache / "figures" / "old" / "figure.json").write_text(json.dumps({"id": "steps"}))
    (cache / "snippets").mkdir()
    (cache / "snippets" / "k-display.json").write_text("{}")
    (cache / "snippets" / "k-metrics.json").write_text("{}")
    before = benchmark.cache_state(cache)

    (cache / "figures" / "new").mkdir()
    (cache / "figures" / "new" / "figure.json").write_text(json.dumps({"id": "funnel"}))
    (cache / "notebooks" / "k1" / "labs").mkdir(parents=True)
    (cache / "notebooks" / "k1" / "labs" / "lab.ipynb").write_text("{}")
    (cache / "snippets" / "k-chapter.json").write_text("{}")
    after = benchmark.cache_state(cache)
    after["snippets/k-metrics.json"] += 1  # rewritten in place (a function evaluated for the first time)

    assert benchmark.reexecuted(cache, before, after, DEPENDENCIES) == {
        "figures": ["funnel"],
        "modules": ["chapter", "metrics"],
        "notebooks": ["lab"],
        "pages": ["chapter.md", "metrics.md"],
    }
    assert benchmark.reexecuted(cache, after, after, DEPENDENCIES)["pages"] == []


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def test_page_weight_counts_what_a_page_loads(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    files = {
        "style.css": b"body{font-family:K}@font-face{src:url(fonts/k.woff2)}" * 20,
        "fonts/k.woff2": bytes(range(256)) * 4,
        "app.js": b"console.log('hello');" * 50,
        "a/figure-light.svg": b"<svg>" + b"<g/>" * 100 + b"</svg>",
        "a/figure-dark.svg": b"<svg>dark</svg>",
        "worker.js": b"self.onmessage=()=>{};" * 30,
        "search/search_index.json": b'{"docs": []}' * 40,
    }
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    (site / "index.html").write_text(
        '<link rel="stylesheet" href="style.css"><link rel="canonical" href="https://example.org/">'
        '<script id="__config" type="application/json">{"base": ".", "search": "worker.js"}</script>'
        '<script src="app.js"></script><p>No math.</p>'
    )
    (site / "a" / "index.html").write_text(
        '<link rel="stylesheet" href="/style.css"><script src="../app.js"></script>'
        '<img src="figure-light.svg#only-light"><img src="figure-dark.svg#only-dark">'
        '<span class="katex">x</span><a href="https://example.org/x.png">external</a>'
    )

    weights = benchmark.page_weights(site)

    css, js = _gz(files["style.css"]), _gz(files["app.js"])
    search = _gz(files["worker.js"]) + _gz(files["search/search_index.json"])
    font = len(files["fonts/k.woff2"])  # WOFF2 is served as it is
    home = (site / "index.html").read_bytes()
    page = (site / "a" / "index.html").read_bytes()
    assert weights["pages"]["index.html"] == {
        "html": _gz(home),
        "own": search,
        "shared": css + js,
        "fonts": 0,
        "total": _gz(home) + search + css + js,
    }
    light = _gz(files["a/figure-light.svg"])
    assert weights["pages"]["a/index.html"] == {
        "html": _gz(page),
        "own": light,
        "shared": css + js,
        "fonts": font,
        "total": _gz(page) + light + css + js + font,
    }
    assert weights["shared"] == {"app.js": {"bytes": js, "pages": 2}, "style.css": {"bytes": css, "pages": 2}}


def test_pdf_log_line_is_read_from_the_engine_summary():
    """The benchmark reads the PDF step's time from the line casebook/pdf.py logs: if the engine's
    wording changes, this fails instead of the benchmark silently measuring nothing."""
    from casebook import pdf

    report = pdf.Report(printed=["a/", "b/"], reused=["c/"], seconds=12.25, pages={"x.pdf": 3, "y.pdf": 4})
    match = benchmark.PDF_LOG.search("INFO    -  casebook: " + report.summary())
    assert match is not None
    assert match.groups() == ("2", "7", "12.2", "2") or match.groups() == ("2", "7", "12.3", "2")


def test_markdown_table_lines_up():
    assert benchmark.table(["Name", "Seconds"], [["floor", "3.10 s"], ["cold", "19.00 s"]], "lr") == (
        "| Name  | Seconds |\n| :---- | ------: |\n| floor |  3.10 s |\n| cold  | 19.00 s |"
    )


def test_scaled_book_clones_chapters_and_labs_into_the_navigation(tmp_path):
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "project")
    today = benchmark.chapters_in(project)
    size = benchmark.scale_project(project, 11)
    assert size == {"chapters": 11, "labs": benchmark.PLANNED_LABS}
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8")
    clones = sorted(path.stem for path in (project / "docs").glob(f"{benchmark.SCALE_FROM}-*.md"))
    assert len(clones) == 11 - today
    for name in clones:
        module = name.replace("-", "_")
        assert (project / "snippets" / f"{module}.py").is_file()
        assert (project / "diagrams" / module / "architecture.py").is_file()
        assert f": {name}.md\n" in nav
    labs = [line for line in nav.splitlines() if line.strip().startswith("- ") and ".ipynb" in line]
    assert len(labs) == benchmark.PLANNED_LABS, "every lab, cloned or not, is in the navigation"


def test_reload_targets_hold_at_the_largest_size_and_flat_growth():
    def results(today: list[float], largest: list[float]) -> dict:
        seconds = {name: [1.0] for name in ("floor", "floor_rendering", "cold", "warm", "dot", "notebook_cells")}
        seconds["reload"] = today
        seconds["reload_figure"] = [0.4 + 1.4, 0.5 + 1.6]  # the figure's own render: 0.4 s and 0.5 s
        seconds["reload_snippet"] = [3.0 + 1.0, 3.2 + 2.0]  # the lab's kernel start and cells: 3.0 s and 3.2 s
        lab = {"kernel_start_s": 0.5}
        return {"seconds": seconds, "reexecuted": {"warm": [], "figure_changed": [], "snippet_changed": []},
                "figure_timings": [{"figures": {benchmark.FIGURE_ID: {"engine_s": 0.4}}},
                                   {"figures": {benchmark.FIGURE_ID: {"engine_s": 0.5}}}],
                "notebook_timings": [{name: lab | {"cells_s": 2.5} for name in benchmark.SNIPPET_LABS},
                                     {name: lab | {"cells_s": 2.7} for name in benchmark.SNIPPET_LABS}],
                "figure_sizes": {"a/b": {"svg_gzip": 1, "svg": 2, "png": 3}},
                "scaled": [{"chapters": 2, "reload": today}, {"chapters": 11, "reload": largest}]}

    def verdicts(found: list[dict]) -> dict[str, bool]:
        return {t["target"].split(" (")[0].split(":")[0]: t["pass"] for t in found
                if "reload" in t["target"] and "own time" not in t["target"]}

    flat = verdicts(benchmark.targets(results([0.5, 0.6, 0.55], [0.6, 0.62, 0.61])))
    assert all(flat.values()) and len(flat) == 3, flat
    growing = verdicts(benchmark.targets(results([0.5, 0.6, 0.55], [0.9, 0.95, 0.92])))
    assert growing == {"live reload of a prose edit": True, "live reload of a prose edit at 11 chapters": True,
                       "live reload at 11 chapters / at 2": False}, growing  # 0.92 / 0.55 > 1.25
    slow = verdicts(benchmark.targets(results([1.2, 1.3, 1.25], [1.3, 1.3, 1.3])))
    assert list(slow.values()).count(False) == 2, slow


def test_figure_and_snippet_reloads_are_judged_net_of_their_dependants_own_time():
    def edit_targets(figure: list[float], snippet: list[float]) -> list[bool]:
        seconds = {name: [1.0] for name in ("floor", "floor_rendering", "cold", "warm", "dot", "notebook_cells")}
        seconds |= {"reload": [0.5], "reload_figure": figure, "reload_snippet": snippet}
        lab = {"kernel_start_s": 0.5, "cells_s": 2.5}  # the lab runs again for 3.0 s
        found = benchmark.targets({
            "seconds": seconds, "reexecuted": {"warm": [], "figure_changed": [], "snippet_changed": []},
            "figure_sizes": {"a/b": {"svg_gzip": 1, "svg": 2, "png": 3}},
            "figure_timings": [{"figures": {benchmark.FIGURE_ID: {"engine_s": 0.4}}}] * len(figure),
            "notebook_timings": [{name: lab for name in benchmark.SNIPPET_LABS}] * len(snippet)})
        return [t["pass"] for t in found if "own time" in t["target"]]

    assert edit_targets([1.8], [4.4]) == [True, True]  # 1.8 - 0.4 = 1.4 s; 4.4 - 3.0 = 1.4 s
    assert edit_targets([2.0], [4.6]) == [False, False]  # 1.6 s over each


def test_scaled_only_report_names_its_targets_and_sizes():
    results = {
        "date": "2026-12-01T00:00:00+00:00", "repeat": 2, "load": {"start": 0.1, "end": 0.2},
        "snapshot": {"commit": "0123456789abcdef", "copied": [], "deleted": []},
        "machine": {key: "x" for key in ("cpu", "cores", "ram", "os", "python", "mkdocs", "mkdocs-material",
                                         "mkdocs-jupyter", "dot", "node")},
        "scaled": [{"chapters": 5, "labs": 7, "pages": 9, "first_build": 40.0, "reload": [0.4, 0.5, 0.45]},
                   {"chapters": 11, "labs": 13, "pages": 15, "first_build": 80.0, "reload": [0.5, 0.5, 0.6]}],
    }
    results["targets"] = benchmark.scaled_targets(results)
    assert [t["pass"] for t in results["targets"]] == [True, True]  # 0.5 s; 0.5 / 0.45 = 1.11
    text = benchmark.scaled_report(results)
    import re

    assert "## The scaled book" in text and re.search(r"\|\s+11 \|\s+13 \|\s+15 \|", text)
    assert "Load average (5 min) 0.1 at the start and 0.2 at the end" in text
