"""The build benchmark: how long the Casebook takes to build, next to the floor it cannot go below.

Run it with ``scripts/benchmark`` (``--repeat N``, ``--quick`` for 2 repetitions), which runs
``python -m benchmarks.benchmark``. It is a tool, not part of the build engine: it lives beside its
results and reaches into the engine's internals (``casebook.figures._run_dot``) to time them. It
works on throwaway copies of the project in a temporary folder (a ``git clone`` of this checkout plus
its uncommitted files, ``node_modules`` linked from the checkout), so it measures what is on disk and
never touches this checkout's ``.cache/`` or ``site/``. Results go to ``benchmarks/latest.md`` and
``benchmarks/latest.json``.

Each scenario is repeated N times, the repetitions interleaved so that machine noise hits them all
alike; every ratio is taken within one repetition, and the median of the ratios is reported:

- **floor**: ``mkdocs build`` of the same Markdown with no casebook hook and every executed artefact
  already in place (shortcodes expanded, figure SVGs, executed notebooks, KaTeX CSS and fonts as
  static files). Math stays TeX. mkdocs-jupyter still *renders* the executed notebooks: from its
  cache, as in a warm build of the real site, and (**floor, notebooks rendered**) anew, as in a
  cold build.
- **cold**: a fresh copy with no ``.cache``; **warm**: a rebuild after one sentence of a chapter
  changed; **one figure changed**, **one snippet changed**: a rebuild after a one-line edit, with
  what was re-rendered and re-executed, read from the build cache, against the dependants the
  engine's own import analysis predicts.
- **live reload**: ``mkdocs serve --dirty`` (as ``scripts/serve`` runs it), then the time from saving
  a chapter to the served page showing the new sentence.
- **scaled book**: the same live reload on copies of the book grown to 5, 8 and 11 chapters (and as
  many more labs) by cloning the video-recommendation chapter with its calculations, figures and lab,
  to show how the time of a save grows with the book (:func:`scale_project`); plotted in
  ``scaled-book.svg`` beside the results.
- **figures**: the engine's render time against raw ``dot -Tsvg`` on the DOT the engine produces,
  and each SVG's bytes against a PNG of the same DOT; **notebooks**: the labs' own execution time
  (the kernel's per-cell timings) and kernel start; **pages**: the gzip transfer size of each page.

Every build runs with ``CASEBOOK_PDF=0``: PDF printing is measured on its own (:func:`measure_pdfs`).
The exit status is 1 when one of the build's targets (:func:`targets`; listed with the latest
results in CONTRIBUTING.md, under "The build benchmark") is not met.

This module is also the hook that captures the floor project: MkDocs loads it as a hook file next
to ``casebook/hooks.py`` in one build, and its ``on_files`` and ``on_page_markdown`` save what they
see while :data:`CAPTURE_ENV` names a folder. Outside that build they do nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import importlib
import json
import os
import platform
import posixpath
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Self

from mkdocs.plugins import event_priority

from casebook.paths import ROOT
from casebook.settings import WORKERS

MKDOCS = [sys.executable, "-m", "mkdocs"]
BUILD_TIMEOUT_SECONDS = 900
CAPTURE_ENV = "CASEBOOK_BENCHMARK_CAPTURE"
# Every build here leaves the PDFs out (casebook/pdf.py prints them with Chromium after the site is
# built): the targets are about building the site, and printing is measured on its own (measure_pdfs).
SITE_ONLY = {"CASEBOOK_PDF": "0"}

# Warm and live-reload edits append a sentence to the first paragraph of this chapter.
CHAPTER = "docs/framework.md"
CHAPTER_PAGE = "framework/index.html"
TARGET_WARM = 1.3  # warm rebuild <= 1.3 x floor
TARGET_RELOAD = 1.0  # live reload of a prose edit <= 1.0 s, at today's size and at the scaled book's largest
TARGET_EDIT_RELOAD = 1.5  # live reload of a figure or snippet edit <= 1.5 s + its dependants' own time
TARGET_RELOAD_GROWTH = 1.25  # ... and at 11 chapters at most 1.25 x what it is at today's size
SERVE = ["serve", "--dirty", "--strict"]  # as scripts/serve runs it (with --strict, as CI builds)
# The scaled book: chapters (and labs) cloned from this one, up to the book's planned size.
SCALE_FROM = "video-recommendation"
SCALED_CHAPTERS = (5, 8, 11)
PLANNED_LABS = 13  # the labs at eleven chapters: today's four and nine more
TARGET_COLD = 1.5  # cold build <= 1.5 x (floor with notebooks rendered + raw dot + labs' own execution)
# File types a static host compresses; the others (PNG, WOFF2) are compressed already.
COMPRESSED_ON_THE_WIRE = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".ipynb"}
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".otf"}


@dataclass(frozen=True)
class Edit:
    """A one-line change to a project file that changes the built site; ``{n}`` is the repetition."""

    path: str  # project file
    old: str  # text that occurs exactly once in it
    new: str  # replacement, with {n}
    shows_in: str  # site file where the new text must appear after the rebuild

    def applied(self, original: str, n: int) -> str:
        if original.count(self.old) != 1:
            raise ValueError(f"{self.path}: expected {self.old!r} exactly once; update the benchmark's edit")
        return original.replace(self.old, self.new.format(n=n))

    def marker(self, n: int) -> str:
        """The new text as the built file shows it."""
        return self.new.format(n=n).strip('"')

    @property
    def changes(self) -> dict[str, str]:
        """What the edited file is to the engine: ``{"figure": id}`` or ``{"module": dotted name}``."""
        path = Path(self.path).with_suffix("")
        if path.parts[0] == "diagrams":
            return {"figure": path.relative_to("diagrams").as_posix()}
        return {"module": ".".join(path.relative_to("snippets").parts)}


def with_sentence(markdown: str, sentence: str) -> str:
    """``markdown`` with ``sentence`` appended to its first paragraph of prose."""
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if line[:1].isalpha()), None)
    if start is None:
        raise ValueError("the chapter has no paragraph of prose to edit")
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    lines[end - 1] += " " + sentence
    return "\n".join(lines)


FIGURE_EDIT = Edit(
    "diagrams/framework/steps.py", '"Run it"', '"Run it {n}"', "figures/framework/steps-light.svg"
)
SNIPPET_EDIT = Edit("snippets/reference/metrics.py", '"Box B"', '"Box B {n}"', "reference/metrics/index.html")
FIGURE_ID = "framework/steps"  # the figure FIGURE_EDIT changes
SNIPPET_LABS = ("metrics",)  # the labs that import SNIPPET_EDIT's module (checked by "What a rebuild re-executed")


def log(message: str) -> None:
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


# -- statistics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """The median of repeated measurements and their range."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no measurements")
        return cls(statistics.median(values), min(values), max(values))


def pair_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Ratios taken repetition by repetition (never a ratio of medians)."""
    if len(numerators) != len(denominators):
        raise ValueError("every repetition needs both measurements")
    return [a / b for a, b in zip(numerators, denominators, strict=True)]


# -- project copies -------------------------------------------------------------------------------


def _git(source: Path, *args: str) -> str:
    """A read-only git command in ``source`` (no optional locks: the index is never rewritten)."""
    command = ["git", "--no-optional-locks", "-C", str(source), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def snapshot_checkout(source: Path, dest: Path) -> dict:
    """``dest``: a clone of ``source``'s HEAD plus its uncommitted files, so it builds what is on disk."""
    subprocess.run(["git", "clone", "--quiet", str(source), str(dest)], check=True)
    changed = set(filter(None, _git(source, "diff", "--name-only", "-z", "HEAD").split("\0")))
    changed |= set(filter(None, _git(source, "ls-files", "--others", "--exclude-standard", "-z").split("\0")))
    copied, deleted = [], []
    for name in sorted(changed):
        if (source / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, dest / name)
            copied.append(name)
        else:
            (dest / name).unlink(missing_ok=True)
            deleted.append(name)
    (dest / "node_modules").symlink_to(source / "node_modules")
    return {"commit": _git(source, "rev-parse", "HEAD").strip(), "copied": copied, "deleted": deleted}


def copy_project(template: Path, dest: Path) -> Path:
    """A fresh copy of ``template``: no build cache, no site, no bytecode; node_modules stays a link."""
    shutil.copytree(
        template, dest, symlinks=True, ignore=shutil.ignore_patterns(".cache", "site", "__pycache__")
    )
    return dest


# -- builds ---------------------------------------------------------------------------------------


def mkdocs_env(project: Path) -> dict[str, str]:
    """The environment of a build of ``project``: its own ``casebook`` and ``snippets`` first."""
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)} | SITE_ONLY
    env.pop("CASEBOOK_CACHE", None)
    env.pop(CAPTURE_ENV, None)
    return env


def mkdocs_build(
    project: Path, site: Path, *, config: Path | None = None, cwd: Path | None = None, env: dict | None = None
) -> float:
    """Seconds taken by ``mkdocs build --strict`` of ``project`` (process start to exit)."""
    command = [*MKDOCS, "build", "--strict", "--clean", "-d", str(site)]
    if config is not None:
        command += ["-f", str(config)]
    start = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=cwd or project,
        env=env or mkdocs_env(project),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        raise RuntimeError(f"mkdocs build of {project} failed:\n" + "\n".join(output[-30:]))
    return seconds


# -- the floor project ----------------------------------------------------------------------------


@event_priority(-100)  # after every other on_files: the casebook's generated files are in
def on_files(files, config):
    """Capture hook: save every file that is not a Markdown page, as the build would publish it."""
    folder = os.environ.get(CAPTURE_ENV)
    if folder:
        theme_dirs = {os.path.abspath(d) for d in config.theme.dirs}
        for file in files:
            from_theme = file.src_dir is not None and os.path.abspath(file.src_dir) in theme_dirs
            if from_theme or file.src_uri.endswith(".md"):
                continue
            target = Path(folder) / file.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content_bytes)
    return files


@event_priority(-100)  # after the casebook hook has expanded the shortcodes
def on_page_markdown(markdown, page, config, files):
    """Capture hook: save each page's Markdown as the Markdown parser receives it."""
    folder = os.environ.get(CAPTURE_ENV)
    if folder and page.file.src_uri.endswith(".md"):
        import yaml

        front_matter = f"---\n{yaml.safe_dump(page.meta, sort_keys=False)}---\n\n" if page.meta else ""
        target = Path(folder) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front_matter + markdown, encoding="utf-8")
    return markdown


def _load_config(config_file: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as handle:
        return yaml_load(handle)


def notebooks_only(plugins: list | dict) -> list | dict:
    """``plugins`` with mkdocs-jupyter told to ignore Markdown pages.

    mkdocs-jupyter parses every Markdown page that is a file with Jupytext, in three events per
    build, to see whether it is a notebook in disguise. The floor's pages are all files, where the
    real build's source pages are generated, so without this the floor would pay for ~25 parses per
    event that the real build does not (seconds on this machine). Neither site has such notebooks.
    """

    def configured(name: str, options):
        if name != "mkdocs-jupyter":
            return options
        options = dict(options or {})
        options["ignore"] = [*options.get("ignore", []), "*.md"]
        return options

    if isinstance(plugins, dict):
        return {name: configured(name, options) for name, options in plugins.items()}
    entries = []
    for entry in plugins:
        if isinstance(entry, dict):
            entries.append({name: configured(name, options) for name, options in entry.items()})
        else:
            entries.append({entry: configured(entry, None)} if entry == "mkdocs-jupyter" else entry)
    return entries


def _write_config(path: Path, values: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")


def build_floor_project(project: Path, floor: Path) -> Path:
    """Capture ``project``'s expanded pages and generated files into ``floor/docs``; return its config.

    One build of ``project`` runs with this module as an extra hook after the project's own. The
    floor's config sits next to ``mkdocs.yml`` and inherits it (theme, extensions, plugins, and any
    path relative to it), with ``floor/docs`` as docs folder, no hooks, and mkdocs-jupyter limited to
    notebooks (:func:`notebooks_only`). Build it from ``floor`` (see :func:`floor_build`), so that
    mkdocs-jupyter keeps its cache there.
    """
    docs = floor / "docs"
    docs.mkdir(parents=True)
    config = _load_config(project / "mkdocs.yml")
    capture_config = project / "mkdocs.capture.yml"
    _write_config(
        capture_config,
        {"INHERIT": "mkdocs.yml", "hooks": [*(config.get("hooks") or []), str(Path(__file__).resolve())]},
    )
    try:
        mkdocs_build(
            project,
            floor / "capture-site",
            config=capture_config,
            env=mkdocs_env(project) | {CAPTURE_ENV: str(docs)},
        )
    finally:
        capture_config.unlink()
    shutil.rmtree(floor / "capture-site")
    floor_config = project / "mkdocs.floor.yml"
    overrides = {"INHERIT": "mkdocs.yml", "docs_dir": str(docs), "hooks": [], "watch": []}
    if config.get("plugins"):
        overrides["plugins"] = notebooks_only(config["plugins"])
    _write_config(floor_config, overrides)
    return floor_config


def floor_build(project: Path, floor_config: Path, floor: Path, *, render_notebooks: bool = False) -> float:
    """Seconds to build the floor. From ``floor``, mkdocs-jupyter takes the notebooks' HTML from its
    cache there, as a warm build of the real site does; with ``render_notebooks`` it starts from an
    empty folder and converts every notebook, as a cold build does."""
    if not render_notebooks:
        return mkdocs_build(project, floor / "site", config=floor_config, cwd=floor)
    empty = Path(tempfile.mkdtemp(dir=floor, prefix="render-"))
    try:
        return mkdocs_build(project, floor / "site", config=floor_config, cwd=empty)
    finally:
        shutil.rmtree(empty)


def compare_sites(real: Path, floor: Path) -> dict[str, list[str]]:
    """Files (HTML pages, and everything else) that only one of two built sites has."""
    real_files = {p.relative_to(real).as_posix() for p in real.rglob("*") if p.is_file()}
    floor_files = {p.relative_to(floor).as_posix() for p in floor.rglob("*") if p.is_file()}
    return {
        "pages_only_in_real": sorted(f for f in real_files - floor_files if f.endswith(".html")),
        "pages_only_in_floor": sorted(f for f in floor_files - real_files if f.endswith(".html")),
        "files_only_in_real": sorted(f for f in real_files - floor_files if not f.endswith(".html")),
        "files_only_in_floor": sorted(f for f in floor_files - real_files if not f.endswith(".html")),
        "pages": sorted(f for f in real_files & floor_files if f.endswith(".html")),
    }


# -- what a rebuild re-executed -------------------------------------------------------------------


def cache_state(cache: Path) -> dict[str, int]:
    """Every figure, notebook and snippet entry of a build cache, with its modification time."""
    entries = {}
    for pattern in ("figures/*/figure.json", "notebooks/**/*.ipynb", "snippets/*.json"):
        for path in cache.glob(pattern):
            entries[path.relative_to(cache).as_posix()] = path.stat().st_mtime_ns
    return entries


def pages_using(dependencies: dict, modules: Sequence[str], figures: Sequence[str]) -> list[str]:
    """Pages with a shortcode calling one of ``modules`` or showing one of ``figures``."""
    return sorted(
        page
        for page, uses in dependencies["pages"].items()
        if set(uses["modules"]) & set(modules) or set(uses["figures"]) & set(figures)
    )


def reexecuted(
    cache: Path, before: dict[str, int], after: dict[str, int], dependencies: dict
) -> dict[str, list[str]]:
    """What a build rendered or executed anew: cache entries it created or rewrote, by name."""
    changed = [entry for entry, mtime in after.items() if before.get(entry) != mtime]
    figures = sorted(
        json.loads((cache / entry).read_text(encoding="utf-8"))["id"]
        for entry in changed
        if entry.startswith("figures/")
    )
    notebooks = sorted(Path(entry).stem for entry in changed if entry.startswith("notebooks/"))
    keys = dependencies["snippet_keys"]
    modules = sorted(
        keys.get(Path(entry).stem, f"? (unknown key {Path(entry).stem})")
        for entry in changed
        if entry.startswith("snippets/")
    )
    return {
        "figures": figures,
        "modules": modules,
        "notebooks": notebooks,
        "pages": pages_using(dependencies, modules, figures),
    }


def dependants(
    dependencies: dict, *, module: str | None = None, figure: str | None = None
) -> dict[str, list[str]]:
    """What a change to one snippet ``module`` or one ``figure`` must re-execute, and nothing else."""

    def users(kind: str) -> list[str]:
        return (
            sorted(name for name, closure in dependencies[kind].items() if module in closure)
            if module
            else []
        )

    modules, notebooks, figures = users("modules"), users("notebooks"), users("figures")
    if figure:
        figures = sorted({*figures, figure})
    return {
        "figures": figures,
        "modules": modules,
        "notebooks": notebooks,
        "pages": pages_using(dependencies, modules, figures),
    }


# -- probes: run inside a project copy, with that copy's engine -----------------------------------


@dataclass(frozen=True)
class DotCall:
    dot: str  # the DOT source handed to Graphviz
    seconds: float  # how long dot took


@contextmanager
def recorded_dot() -> Iterator[list[DotCall]]:
    """Record the DOT the engine hands to Graphviz (``figures._run_dot``), and how long dot took."""
    from casebook import figures

    calls: list[DotCall] = []
    run_dot = figures._run_dot

    def timed(dot_source: str, source):
        start = time.perf_counter()
        try:
            return run_dot(dot_source, source)
        finally:
            calls.append(DotCall(dot_source, time.perf_counter() - start))

    figures._run_dot = timed
    try:
        yield calls
    finally:
        figures._run_dot = run_dot


def _dot(dot_source: str, output_format: str) -> tuple[bytes, float]:
    start = time.perf_counter()
    result = subprocess.run(
        ["dot", f"-T{output_format}"], input=dot_source.encode(), capture_output=True, check=True
    )
    return result.stdout, time.perf_counter() - start


def probe_figures() -> dict:
    """All figures through ``render_all`` (empty cache), then one by one in-process, then raw ``dot``."""
    from casebook import figures

    sources = figures.discover()
    start = time.perf_counter()
    figures.render_all(sources)
    render_all_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for name in ("diagrams", "graphviz", "numpy", "PIL.Image", "casebook.figure_style"):
        importlib.import_module(name)
    imports_seconds = time.perf_counter() - start
    per_figure = {}
    for source in sources:
        with recorded_dot() as calls:
            start = time.perf_counter()
            figures.render(source, use_cache=False)
            engine_seconds = time.perf_counter() - start
        per_figure[source.id] = {
            "engine_s": engine_seconds,
            "engine_dot_s": sum(call.seconds for call in calls),
            "dot_s": sum(_dot(call.dot, "svg")[1] for call in calls),
        }
    return {"render_all_s": render_all_seconds, "imports_s": imports_seconds, "figures": per_figure}


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def probe_figure_sizes() -> dict:
    """Each figure's light SVG (raw and gzip -9) and a PNG of the same DOT (``dot -Tpng``, 96 dpi)."""
    from casebook import figures
    from casebook.figure_style import PALETTES

    light = [palette.name for palette in PALETTES].index("light")
    sizes = {}
    for source in figures.discover():
        with recorded_dot() as calls:
            figure = figures.render(source, use_cache=False)
        svg = figure.path("light").read_bytes()
        png, _ = _dot(calls[light].dot, "png")
        sizes[source.id] = {"svg": len(svg), "svg_gzip": gzipped_size(svg), "png": len(png)}
    return sizes


def _cell_seconds(cell) -> float:
    """The kernel's own time for a cell: from starting to execute it to its reply (nbclient timing)."""
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def probe_notebooks() -> dict:
    """Each lab executed as the engine does (fresh kernel, same environment), timed cell by cell."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from casebook import notebooks

    os.environ.update(
        {
            "SOURCE_DATE_EPOCH": "0",
            "PYTHONHASHSEED": "0",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    results = {}
    for source in notebooks.discover():
        notebook = notebooks.read(source)
        with (
            tempfile.TemporaryDirectory(prefix="casebook-benchmark-kernel-") as sockets,
            open(os.devnull, "w") as quiet,
        ):
            manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
            client = NotebookClient(
                notebook,
                km=manager,
                timeout=notebooks.TIMEOUT_SECONDS,
                allow_errors=False,
                record_timing=True,
                shutdown_kernel="immediate",
                resources={"metadata": {"path": str(ROOT)}},
            )
            client.reset_execution_trackers()
            start = time.perf_counter()
            with client.setup_kernel(cleanup_kc=True, stdout=quiet, stderr=quiet):
                kernel_start = time.perf_counter() - start
                cells_wall = 0.0
                for index, cell in enumerate(notebook.cells):
                    start = time.perf_counter()
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                    cells_wall += time.perf_counter() - start
        results[source.name] = {
            "kernel_start_s": kernel_start,
            "cells_s": sum(_cell_seconds(cell) for cell in notebook.cells if cell.cell_type == "code"),
            "cells_wall_s": cells_wall,
        }
    return results


def probe_dependencies() -> dict:
    """The engine's own view of who uses what: snippet cache keys, import closures, shortcodes."""
    from casebook import figures, names, notebooks, shortcodes, snippets
    from casebook.paths import DOCS, SNIPPETS

    def closure_of(modules) -> list[str]:
        paths = {path for module in modules for path in snippets.closure(module)}
        return sorted(".".join(path.relative_to(SNIPPETS).with_suffix("").parts) for path in paths)

    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        page = path.relative_to(DOCS).as_posix()
        # A shortcode without a module or a folder names the page's own, as the build resolves it.
        own = names.for_page(page)
        module = own.module if own.module_path.is_file() else None
        found = shortcodes.find(path.read_text(encoding="utf-8"))
        shown = {s.arg.strip() for s in found if s.kind == "figure"}
        pages[page] = {
            "modules": sorted(
                {snippets.parse_target(s.arg, module).module for s in found if s.kind in ("table", "value")}
            ),
            "figures": sorted(f if "/" in f or not own.figures else f"{own.figures}/{f}" for f in shown),
        }
    modules = snippets.discover()
    return {
        "snippet_keys": {snippets.cache_key(module): module for module in modules},
        "modules": {module: closure_of([module]) for module in modules},
        "notebooks": {s.name: closure_of(notebooks.imported_snippets(s)) for s in notebooks.discover()},
        "figures": {s.id: closure_of(snippets.imports_of(s.path)) for s in figures.discover()},
        "pages": pages,
    }


PROBES = {
    "figures": probe_figures,
    "figure-sizes": probe_figure_sizes,
    "notebooks": probe_notebooks,
    "dependencies": probe_dependencies,
}


def run_probe(project: Path, kind: str, scratch: Path) -> dict:
    """Run a probe in ``project`` (its own engine), with a build cache of its own in ``scratch``."""
    out = Path(tempfile.mkstemp(dir=scratch, suffix=f"-{kind}.json")[1])
    cache = Path(tempfile.mkdtemp(dir=scratch, prefix=f"cache-{kind}-"))
    # Through -c, not -m: the processes render_all spawns then have no main module to import again.
    entry = "import sys; from benchmarks.benchmark import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", entry, "--probe", kind, "--probe-out", str(out)]
    try:
        result = subprocess.run(
            command,
            cwd=project,
            env=mkdocs_env(project) | {"CASEBOOK_CACHE": str(cache)},
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"probe {kind} failed in {project}:\n{result.stdout}{result.stderr}")
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
        shutil.rmtree(cache, ignore_errors=True)


# -- live reload ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=BUILD_TIMEOUT_SECONDS) as response:
        return response.read().decode("utf-8")


class LiveServer:
    """``mkdocs serve --dirty --strict`` of a project copy on a free local port, in a process group of its own."""

    def __init__(self, project: Path, log_file: Path):
        self.project = project
        self.log_file = log_file
        self.url = f"http://127.0.0.1:{free_port()}/"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Self:
        address = self.url.removeprefix("http://").rstrip("/")
        with self.log_file.open("w") as output:
            self.process = subprocess.Popen(
                [*MKDOCS, *SERVE, "-a", address],
                cwd=self.project,
                env=mkdocs_env(self.project),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_serving()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + BUILD_TIMEOUT_SECONDS
        while True:  # the first build runs before the server listens
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve stopped:\n{self.log_file.read_text()[-3000:]}")
            try:
                fetch(self.url)
                return
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
                # Not serving yet; or, briefly, something else answered on the port: wait, and
                # notice above if mkdocs serve could not bind it and stopped.
                if time.monotonic() > deadline:
                    raise RuntimeError("mkdocs serve did not start serving in time") from None
                time.sleep(0.5)

    def reload_seconds(self, chapter: Path, markdown: str, page_url: str, sentence: str) -> float:
        """Save ``markdown`` (which holds ``sentence``) to ``chapter``; seconds until the page shows it."""
        chapter.write_text(markdown, encoding="utf-8")
        start = time.perf_counter()
        while sentence not in fetch(self.url + page_url):  # a request waits while a rebuild runs
            if time.perf_counter() - start > BUILD_TIMEOUT_SECONDS:
                raise RuntimeError(
                    f"the served page never showed the edit:\n{self.log_file.read_text()[-3000:]}"
                )
            time.sleep(0.05)
        return time.perf_counter() - start

    def __exit__(self, *exc_info) -> None:
        """Stop the server's process group: Ctrl-C first (mkdocs removes its temporary site), then
        SIGKILL for whatever is left in the group (the server if it hung, kernels it started)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


# -- page weight ----------------------------------------------------------------------------------


class _References(HTMLParser):
    """What loading a page fetches: stylesheets, icons, scripts, images and Material's search."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._config_script = False
        self.config = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon", "preload", "modulepreload"}:
            self.urls.append(attributes.get("href") or "")
        elif tag in ("script", "img") and not (attributes.get("src") or "#only-dark").endswith("#only-dark"):
            self.urls.append(attributes["src"])  # dark figures left out: a reader sees one palette
        self._config_script = tag == "script" and attributes.get("id") == "__config"

    def handle_data(self, data):
        if self._config_script:
            self.config += data

    def handle_endtag(self, tag):
        self._config_script = False


def _resolve(site: Path, from_file: str, url: str) -> str | None:
    """The site file a relative ``url`` in ``from_file`` points at, or None (external, data, missing)."""
    url = url.split("#")[0].split("?")[0]
    if not url or re.match(r"^[a-z]+:|^//", url):
        return None
    if url.startswith("/"):  # from the site's root (the 404 page links like this)
        target = posixpath.normpath(url.lstrip("/"))
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), url))
    if (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    return target if (site / target).is_file() else None


def page_references(site: Path, page: str) -> list[str]:
    """Every site file that loading ``page`` fetches, fonts of its stylesheets included."""
    parser = _References()
    parser.feed((site / page).read_text(encoding="utf-8"))
    found = [target for url in parser.urls if (target := _resolve(site, page, url))]
    if parser.config:
        config = json.loads(parser.config)
        found += [
            target
            for url in (
                config.get("search"),
                posixpath.join(config.get("base", "."), "search/search_index.json"),
            )
            if url and (target := _resolve(site, page, url))
        ]
    for stylesheet in [f for f in found if f.endswith(".css")]:
        css = (site / stylesheet).read_text(encoding="utf-8")
        for url in re.findall(r"""url\(\s*['"]?([^'")]+)""", css):
            if target := _resolve(site, stylesheet, url):
                found.append(target)
    return sorted(set(found))


def transfer_size(path: Path) -> int:
    """Bytes on the wire: gzip -9 for text, as a static host serves it; the file itself otherwise."""
    data = path.read_bytes()
    return gzipped_size(data) if path.suffix in COMPRESSED_ON_THE_WIRE else len(data)


def page_weights(site: Path) -> dict:
    """Each page's transfer size: its HTML, what only it loads, what it shares with other pages, fonts.

    Fonts count only on pages with KaTeX math, and all of KaTeX's fonts count: an upper bound, since
    a browser fetches only the faces a page's formulas use. Dark-palette figures are left out.
    """
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    references = {}
    for page in pages:
        has_math = 'class="katex' in (site / page).read_text(encoding="utf-8")
        references[page] = [
            target
            for target in page_references(site, page)
            if has_math or Path(target).suffix not in FONT_SUFFIXES
        ]
    users: dict[str, int] = {}
    for found in references.values():
        for target in found:
            users[target] = users.get(target, 0) + 1
    sizes = {target: transfer_size(site / target) for target in users}
    weights = {}
    for page in pages:
        fonts = [t for t in references[page] if Path(t).suffix in FONT_SUFFIXES]
        others = [t for t in references[page] if t not in fonts]
        weight = {
            "html": transfer_size(site / page),
            "own": sum(sizes[t] for t in others if users[t] == 1),
            "shared": sum(sizes[t] for t in others if users[t] > 1),
            "fonts": sum(sizes[t] for t in fonts),
        }
        weight["total"] = sum(weight.values())
        weights[page] = weight
    shared = {t: {"bytes": sizes[t], "pages": users[t]} for t in sorted(users) if users[t] > 1}
    return {"pages": weights, "shared": shared}


# -- PDF ------------------------------------------------------------------------------------------


PDF_LOG = re.compile(r"casebook: (\d+) PDFs \((\d+) pages\) in ([\d.]+) s; (\d+) pages printed")
PDF_REPEAT = 2  # a cold print of every page takes ~20 s: two rounds bound the benchmark's length


def pdf_step(project: Path, site: Path) -> tuple[float, int, int, int]:
    """One `mkdocs build` with PDFs on: the PDF step's own seconds (from the engine's log line), the
    number of PDFs, their pages and the pages the browser printed (the rest came from the cache)."""
    env = mkdocs_env(project)
    env.pop("CASEBOOK_PDF", None)
    result = subprocess.run([*MKDOCS, "build", "--strict", "--clean", "-d", str(site)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS, check=False)
    match = PDF_LOG.search(result.stdout + result.stderr)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"PDF build of {project} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    pdfs, pages, seconds, printed = match.groups()
    return float(seconds), int(pdfs), int(pages), int(printed)


def measure_pdfs(project: Path) -> str:
    """Seconds for the PDFs of ``project`` (a warm copy), as Markdown: every page and the book from an
    empty PDF cache (``WORKERS`` browsers, one per core), one chapter edited (that chapter and the
    book printed again), and a rebuild with nothing changed (nothing printed)."""
    pdf_cache = project / ".cache" / "casebook" / "pdf"
    chapter = project / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    cold, edited, unchanged = [], [], []
    counts = (0, 0, 0)
    try:
        for round_ in range(PDF_REPEAT):
            shutil.rmtree(pdf_cache, ignore_errors=True)
            seconds, *counts = pdf_step(project, project / "site-pdf")
            cold.append(seconds)
            chapter.write_text(with_sentence(original, f"A PDF benchmark sentence {round_}."), encoding="utf-8")
            edited.append(pdf_step(project, project / "site-pdf")[0])
            unchanged.append(pdf_step(project, project / "site-pdf")[0])
    finally:
        chapter.write_text(original, encoding="utf-8")
    pdfs, pages, printed = counts
    rows = [
        [f"every page ({printed} printed) and the book, empty PDF cache", _spread(cold)],
        [
            f"  per printed page (wall time / pages, {WORKERS} browsers)",
            _spread([seconds / max(printed, 1) for seconds in cold]),
        ],
        ["one chapter edited: its PDF and the book again", _spread(edited)],
        ["nothing changed: every PDF from the cache", _spread(unchanged)],
    ]
    return (
        f"{pdfs} PDFs, {pages} pages in all, median of {PDF_REPEAT} rounds (min–max); the PDF step's own "
        "time from the build's log, after the site is written.\n\n"
        + table(["PDF step", "Seconds"], rows, "lr")
    )


# -- machine --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    from importlib.metadata import version

    def first(path: str, pattern: str) -> str:
        try:
            match = re.search(pattern, Path(path).read_text(), re.MULTILINE)
        except OSError:
            return "unknown"
        return match.group(1).strip() if match else "unknown"

    def tool(*command: str) -> str:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        return (result.stdout + result.stderr).strip()

    memory_kib = first("/proc/meminfo", r"^MemTotal:\s+(\d+)")
    system = first("/etc/os-release", r'^PRETTY_NAME="?([^"\n]+)')
    return {
        "cpu": first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$"),
        "cores": str(os.cpu_count()),
        "ram": f"{int(memory_kib) / 2**20:.1f} GiB" if memory_kib.isdigit() else "unknown",
        "os": f"{system} (Linux {platform.release()})",
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "mkdocs-jupyter": version("mkdocs-jupyter"),
        "dot": tool("dot", "-V"),
        "node": tool("node", "--version"),
    }


# -- the run --------------------------------------------------------------------------------------


class Benchmark:
    """One run: the project copies it works on, and the results as they come in."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.template = scratch / "template"  # the snapshot every other copy is made from
        self.warm = scratch / "warm"  # rebuilt after each edit; the floor is captured from it
        self.floor = scratch / "floor"
        self.results: dict = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            # Other work on the machine slows every scenario: the 5-minute load average, start and end.
            "load": {"start": os.getloadavg()[1]},
            "seconds": {
                name: []
                for name in (
                    "floor",
                    "floor_rendering",
                    "cold",
                    "warm",
                    "figure_changed",
                    "snippet_changed",
                    "reload",
                    "reload_figure",
                    "reload_snippet",
                    "dot",
                    "notebook_cells",
                    "kernel_start",
                    "engine_in_process",
                    "engine_render_all",
                )
            },
            "figure_timings": [],
            "notebook_timings": [],
            "reexecuted": {"warm": [], "figure_changed": [], "snippet_changed": []},
        }
        self.seconds = self.results["seconds"]

    def prepare(self) -> None:
        """Snapshot the checkout; capture and warm up the floor; measure what needs no repeating."""
        snapshot = self.results["snapshot"] = snapshot_checkout(ROOT, self.template)
        log(f"snapshot of {snapshot['commit'][:10]} + {len(snapshot['copied'])} uncommitted files")
        copy_project(self.template, self.warm)
        log("capturing the floor project (a cold build of the real site, with the capture hook)")
        self.floor_config = build_floor_project(self.warm, self.floor)
        log("reference build of the real site, and a first build of the floor (fills mkdocs-jupyter's cache)")
        reference = self.scratch / "reference-site"
        mkdocs_build(self.warm, reference)
        floor_build(self.warm, self.floor_config, self.floor)
        self.results["floor"] = compare_sites(reference, self.floor / "site")
        self.results["pages"] = page_weights(reference)
        self.results["figure_sizes"] = run_probe(self.warm, "figure-sizes", self.scratch)
        self.results["pdf"] = measure_pdfs(self.warm)
        self.originals = {
            path: (self.warm / path).read_text(encoding="utf-8")
            for path in (CHAPTER, FIGURE_EDIT.path, SNIPPET_EDIT.path)
        }

    def floors(self) -> None:
        self.seconds["floor"].append(floor_build(self.warm, self.floor_config, self.floor))
        self.seconds["floor_rendering"].append(
            floor_build(self.warm, self.floor_config, self.floor, render_notebooks=True)
        )

    def cold(self, n: int) -> None:
        """A cold build of a fresh copy; then, on that copy, raw dot and the labs' own execution."""
        cold = copy_project(self.template, self.scratch / f"cold-{n}")
        self.seconds["cold"].append(mkdocs_build(cold, cold / "site"))
        figures = run_probe(cold, "figures", self.scratch)
        notebooks = run_probe(cold, "notebooks", self.scratch)
        shutil.rmtree(cold)
        self.results["figure_timings"].append(figures)
        self.results["notebook_timings"].append(notebooks)
        self.seconds["dot"].append(sum(f["dot_s"] for f in figures["figures"].values()))
        self.seconds["engine_in_process"].append(sum(f["engine_s"] for f in figures["figures"].values()))
        self.seconds["engine_render_all"].append(figures["render_all_s"])
        self.seconds["notebook_cells"].append(sum(nb["cells_s"] for nb in notebooks.values()))
        self.seconds["kernel_start"].append(sum(nb["kernel_start_s"] for nb in notebooks.values()))

    def edits(self, n: int) -> None:
        """Warm, one figure changed, one snippet changed: each a rebuild of the warm copy."""
        sentence = f"Benchmark edit warm {n}."
        self._rebuild(
            "warm", CHAPTER, with_sentence(self.originals[CHAPTER], sentence), CHAPTER_PAGE, sentence, {}
        )
        for name, edit in (("figure_changed", FIGURE_EDIT), ("snippet_changed", SNIPPET_EDIT)):
            text = edit.applied(self.originals[edit.path], n)
            self._rebuild(name, edit.path, text, edit.shows_in, edit.marker(n), edit.changes)

    def _rebuild(
        self, name: str, path: str, text: str, shows_in: str, marker: str, changes: dict[str, str]
    ) -> None:
        """Save one edit and rebuild; check that the edit reached the site, and record what the
        rebuild re-executed next to what depends on the change."""
        cache = self.warm / ".cache" / "casebook"
        (self.warm / path).write_text(text, encoding="utf-8")
        before = cache_state(cache)
        self.seconds[name].append(mkdocs_build(self.warm, self.warm / "site"))
        if marker not in (self.warm / "site" / shows_in).read_text(encoding="utf-8"):
            raise RuntimeError(f"{name}: the rebuilt {shows_in} does not show {marker!r}")
        dependencies = run_probe(self.warm, "dependencies", self.scratch)
        self.results["reexecuted"][name].append(
            {
                "observed": reexecuted(cache, before, cache_state(cache), dependencies),
                "expected": dependants(dependencies, **changes),
            }
        )

    def reload(self, server: LiveServer, n: int) -> None:
        sentence = f"Benchmark edit reload {n}."
        chapter = server.project / CHAPTER
        markdown = with_sentence(self.originals[CHAPTER], sentence)
        self.seconds["reload"].append(server.reload_seconds(chapter, markdown, "framework/", sentence))
        for name, edit in (("reload_figure", FIGURE_EDIT), ("reload_snippet", SNIPPET_EDIT)):
            text = edit.applied(self.originals[edit.path], 100 + n)  # not a number the warm copy used
            url = edit.shows_in.removesuffix("index.html")
            self.seconds[name].append(server.reload_seconds(server.project / edit.path, text, url, edit.marker(100 + n)))


# -- the scaled book -------------------------------------------------------------------------------


def chapters_in(project: Path) -> int:
    """Case studies in the project's navigation (the framework chapter counts as one)."""
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8")
    section = nav.split("  - Case studies:\n", 1)[1].split("\n  - ", 1)[0]
    return 1 + section.count(".md")


def scale_project(project: Path, chapters: int) -> dict[str, int]:
    """Grow ``project`` to ``chapters`` chapters by cloning :data:`SCALE_FROM` (its page, calculation
    module, figure folder and lab) under new names, with labs growing alongside up to :data:`PLANNED_LABS`
    at eleven chapters; each clone is in the navigation. Returns the chapters and labs it has then."""
    config = project / "mkdocs.yml"
    nav = config.read_text(encoding="utf-8")
    page_entry = f"      - Video recommendation: {SCALE_FROM}.md\n"
    lab_entry = f"      - Video recommendation lab: labs/{SCALE_FROM}.ipynb\n"
    if page_entry not in nav or lab_entry not in nav:
        raise RuntimeError(f"mkdocs.yml: the scaled book clones {SCALE_FROM}, whose nav entries were not found")
    module = SCALE_FROM.replace("-", "_")
    labs = len(list((project / "notebooks").glob("[!_]*.py")))
    start = chapters_in(project)
    extra_labs = round((PLANNED_LABS - labs) * (chapters - start) / max(1, 11 - start))
    pages, lab_pages = [], []
    for index in range(chapters - start):
        letter = "bcdefghijklmnopqrstuvwxyz"[index]  # no digits in file names (casebook/names.py)
        name, clone = f"{SCALE_FROM}-{letter}", f"{module}_{letter}"
        shutil.copy2(project / "docs" / f"{SCALE_FROM}.md", project / "docs" / f"{name}.md")
        shutil.copy2(project / "snippets" / f"{module}.py", project / "snippets" / f"{clone}.py")
        shutil.copytree(project / "diagrams" / module, project / "diagrams" / clone,
                        ignore=shutil.ignore_patterns("__pycache__"))
        pages.append(f"      - Video recommendation ({letter}): {name}.md\n")
        if index < extra_labs:  # the clone's lab imports the clone's module, as a chapter's own lab does
            lab = (project / "notebooks" / f"{SCALE_FROM}.py").read_text(encoding="utf-8")
            own_import = f"from snippets import {module} as"
            if own_import not in lab:
                raise RuntimeError(f"notebooks/{SCALE_FROM}.py: expected `{own_import} ...` to point at the clone")
            (project / "notebooks" / f"{name}.py").write_text(
                lab.replace(own_import, f"from snippets import {clone} as"), encoding="utf-8")
            lab_pages.append(f"      - Video recommendation lab ({letter}): labs/{name}.ipynb\n")
    nav = nav.replace(page_entry, page_entry + "".join(pages)).replace(lab_entry, lab_entry + "".join(lab_pages))
    config.write_text(nav, encoding="utf-8")
    return {"chapters": chapters_in(project), "labs": len(list((project / "notebooks").glob("[!_]*.py")))}


def run_scaled(benchmark: Benchmark, reloads: int) -> None:
    """Live reload of a prose edit on the book as it is and grown to each of :data:`SCALED_CHAPTERS`."""
    rows = benchmark.results["scaled"] = []
    today = chapters_in(benchmark.template)
    for chapters in (None, *(n for n in SCALED_CHAPTERS if n > today)):
        project = copy_project(benchmark.template, benchmark.scratch / f"scaled-{chapters or 'today'}")
        size = scale_project(project, chapters) if chapters else {
            "chapters": chapters_in(project), "labs": len(list((project / "notebooks").glob("[!_]*.py")))}
        log(f"scaled book: {size['chapters']} chapters, {size['labs']} labs: mkdocs serve (first build is cold)")
        started = time.perf_counter()
        with LiveServer(project, benchmark.scratch / f"scaled-{size['chapters']}.log") as server:
            first = time.perf_counter() - started
            seconds = []
            for n in range(1, reloads + 1):
                sentence = f"Benchmark edit scaled {n}."
                markdown = with_sentence(benchmark.originals[CHAPTER], sentence)
                seconds.append(server.reload_seconds(project / CHAPTER, markdown, "framework/", sentence))
        pages = len(list((project / "docs").rglob("*.md")))
        rows.append(size | {"pages": pages, "first_build": first, "reload": seconds})
        shutil.rmtree(project, ignore_errors=True)


def plot_scaled(rows: list[dict], out: Path) -> None:
    """``scaled-book.svg``: save-to-browser seconds against the number of chapters."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "casebook"  # the same file for the same numbers
    figure, axes = plt.subplots(figsize=(6, 3.2))
    for row in rows:
        axes.scatter([row["chapters"]] * len(row["reload"]), row["reload"], color="#3f51b5", s=12, alpha=0.6)
    axes.plot([row["chapters"] for row in rows], [statistics.median(row["reload"]) for row in rows],
              color="#3f51b5", label="median of the saves")
    axes.axhline(TARGET_RELOAD, color="#c62828", linestyle="--", linewidth=1, label=f"target: {TARGET_RELOAD:g} s")
    axes.set_xlabel("chapters in the book (labs grow alongside)")
    axes.set_ylabel("save to browser (s)")
    axes.set_ylim(0, max(TARGET_RELOAD * 1.5, *(max(row["reload"]) * 1.1 for row in rows)))
    axes.legend(frameon=False, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(out, metadata={"Date": None})
    plt.close(figure)


def run(repeat: int, scratch: Path) -> dict:
    """Every measurement, ``repeat`` times, interleaved; returns the raw results."""
    benchmark = Benchmark(scratch)
    benchmark.prepare()
    log("starting mkdocs serve in its own copy (its first build is cold)")
    with LiveServer(copy_project(benchmark.template, scratch / "serve"), scratch / "serve.log") as server:
        for n in range(1, repeat + 1):
            log(f"repetition {n}/{repeat}: floor, then floor with the notebooks rendered anew")
            benchmark.floors()
            log(f"repetition {n}/{repeat}: cold build, then raw dot and notebook execution on the same copy")
            benchmark.cold(n)
            log(f"repetition {n}/{repeat}: warm, one figure changed, one snippet changed")
            benchmark.edits(n)
            log(f"repetition {n}/{repeat}: live reload")
            benchmark.reload(server, n)
    run_scaled(benchmark, max(3, repeat))
    benchmark.results["repeat"] = repeat
    benchmark.results["load"]["end"] = os.getloadavg()[1]
    return benchmark.results


def run_scaled_only(repeat: int, scratch: Path) -> dict:
    """Only the scaled book (a few minutes): the live preview at today's size and grown to 11 chapters."""
    benchmark = Benchmark(scratch)
    benchmark.results["snapshot"] = snapshot_checkout(ROOT, benchmark.template)
    benchmark.originals = {CHAPTER: (benchmark.template / CHAPTER).read_text(encoding="utf-8")}
    run_scaled(benchmark, max(3, repeat))
    benchmark.results["repeat"] = repeat
    benchmark.results["load"]["end"] = os.getloadavg()[1]
    return benchmark.results


def scaled_report(results: dict) -> str:
    """``scaled-book.md``: what ``--scaled-only`` measured."""
    rows = [[t["target"], t["measured"], t["limit"], "PASS" if t["pass"] else "FAIL"] for t in results["targets"]]
    out = [*_header(results, "Live preview against the size of the book"), "## Targets", "",
           table(["Target", "Measured", "Limit", "Result"], rows), *scaled_section(results), ""]
    return "\n".join(out)


# -- the report -----------------------------------------------------------------------------------


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _x(value: float) -> str:
    return f"{value:.2f}×"


def _kib(value: float) -> str:
    return f"{value / 1024:.1f} KiB"


def _spread(values: Sequence[float], unit=_s) -> str:
    spread = Spread.of(values)
    return f"{unit(spread.median)} ({unit(spread.low)}–{unit(spread.high)})"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A Markdown table padded to line up in a terminal too; ``align`` has one of l/r per column."""
    align = align.ljust(len(headers), "l")
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(c).rjust(w) if a == "r" else str(c).ljust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = [
        "-" * (w - 1) + ":" if a == "r" else ":" + "-" * (w - 1) for w, a in zip(widths, align, strict=True)
    ]
    return "\n".join([line(headers), "| " + " | ".join(rule) + " |", *(line(row) for row in rows)])


def targets(results: dict) -> list[dict]:
    """Each of the build's targets (speed against the floor, re-executing only what a change
    affects, SVG no larger than PNG) with its measured value and PASS/FAIL."""
    seconds = results["seconds"]
    floor_plus = [
        f + d + c
        for f, d, c in zip(seconds["floor_rendering"], seconds["dot"], seconds["notebook_cells"], strict=True)
    ]
    found = []
    for measured, limit, description in (
        (pair_ratios(seconds["warm"], seconds["floor"]), TARGET_WARM, "warm rebuild / floor"),
        (
            pair_ratios(seconds["cold"], floor_plus),
            TARGET_COLD,
            "cold build / (floor with notebooks rendered + raw dot of all figures + notebooks' own execution)",
        ),
    ):
        median = Spread.of(measured).median
        found.append(
            {
                "target": description,
                "measured": _spread(measured, _x),
                "limit": f"≤ {limit}×",
                "pass": median <= limit,
                "ratios": measured,
            }
        )
    found.append(_reload_target(seconds["reload"], "live reload of a prose edit (s)"))
    found += scaled_targets(results)[:1]
    # A figure or snippet edit: 1.5 s plus the dependants' own time, taken in the same repetition (the
    # figure's render in the engine; the labs that import the snippet: kernel start and their cells).
    own = {"reload_figure": [timings["figures"][FIGURE_ID]["engine_s"] for timings in results["figure_timings"]],
           "reload_snippet": [sum(timings[lab]["kernel_start_s"] + timings[lab]["cells_s"] for lab in SNIPPET_LABS)
                              for timings in results["notebook_timings"]]}
    for name, description in (("reload_figure", f"live reload of a figure edit ({FIGURE_ID})"),
                              ("reload_snippet", f"live reload of a snippet edit (labs run again: {', '.join(SNIPPET_LABS)})")):
        measured = seconds.get(name) or []
        if not measured:
            continue
        over = [reload - dependants for reload, dependants in zip(measured, own[name], strict=False)]
        found.append({"target": f"{description}, minus its dependants' own time (s)", "measured": _spread(over),
                      "limit": f"≤ {TARGET_EDIT_RELOAD:g} s", "pass": statistics.median(over) <= TARGET_EDIT_RELOAD,
                      "ratios": over})
    found += scaled_targets(results)[1:]
    for name, description in (
        ("figure_changed", "one figure changed re-executes only its dependants"),
        ("snippet_changed", "one snippet changed re-executes only its dependants"),
        ("warm", "a prose edit re-executes nothing"),
    ):
        reps = results["reexecuted"][name]
        matches = sum(rep["observed"] == rep["expected"] for rep in reps)
        found.append(
            {
                "target": description,
                "measured": f"{matches}/{len(reps)} repetitions re-ran exactly the dependants",
                "limit": "all",
                "pass": matches == len(reps),
            }
        )
    sizes = results["figure_sizes"]
    for key, label in (("svg_gzip", "as served, gzip -9"), ("svg", "raw bytes")):
        smaller = [figure for figure, size in sizes.items() if size[key] <= size["png"]]
        ratios = [size[key] / size["png"] for size in sizes.values()]
        found.append(
            {
                "target": f"every figure's SVG no larger than a PNG of it ({label})",
                "measured": f"{len(smaller)}/{len(sizes)} figures; SVG/PNG median {_x(statistics.median(ratios))}, "
                f"max {_x(max(ratios))}",
                "limit": "all",
                "pass": len(smaller) == len(sizes),
            }
        )
    return found


def _names(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "none"


def _reload_target(measured: list[float], description: str) -> dict:
    return {"target": description, "measured": _spread(measured) if measured else "not measured",
            "limit": f"≤ {TARGET_RELOAD:g} s",
            "pass": bool(measured) and statistics.median(measured) <= TARGET_RELOAD, "ratios": measured}


def scaled_targets(results: dict) -> list[dict]:
    """The scaled book's targets: a prose save at the largest size within the limit, and flat growth."""
    scaled = results.get("scaled") or []
    found = [_reload_target(scaled[-1]["reload"] if scaled else [],
                            f"live reload of a prose edit at {scaled[-1]['chapters'] if scaled else '?'} "
                            "chapters (s), the scaled book")]
    if len(scaled) > 1:
        growth = statistics.median(scaled[-1]["reload"]) / statistics.median(scaled[0]["reload"])
        found.append({"target": f"live reload at {scaled[-1]['chapters']} chapters / at {scaled[0]['chapters']} "
                                "(medians): the cost of a save does not grow with the book",
                      "measured": _x(growth), "limit": f"≤ {TARGET_RELOAD_GROWTH}×",
                      "pass": growth <= TARGET_RELOAD_GROWTH, "ratios": [growth]})
    return found


def _header(results: dict, title: str) -> list[str]:
    """The report's title, date, snapshot, machine and load lines."""
    info = results["machine"]
    snapshot = results["snapshot"]
    return [
        f"# {title}",
        "",
        f"{results['date']}, {results['repeat']} repetitions, interleaved. Project: commit "
        f"`{snapshot['commit'][:10]}` plus {len(snapshot['copied'])} uncommitted file(s)"
        + (f" ({', '.join(snapshot['copied'])})" if snapshot["copied"] else "")
        + (f", {len(snapshot['deleted'])} deleted" if snapshot["deleted"] else "")
        + ".",
        "",
        (
            f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM, {info['os']}. Python {info['python']}, "
            f"mkdocs {info['mkdocs']}, mkdocs-material {info['mkdocs-material']}, mkdocs-jupyter {info['mkdocs-jupyter']}, "
            f"{info['dot']}, node {info['node']}."
            + (f" Load average (5 min) {results['load']['start']:.1f} at the start and "
               f"{results['load'].get('end', float('nan')):.1f} at the end, on {info['cores']} cores: anything above "
               "0.5 means other work shared the machine and every time is inflated."
               if "load" in results else "")
        ),
        "",
        (
            "Every value: median over the repetitions (min–max). Ratios are taken within each repetition, "
            "then their median is shown. Every build runs with `CASEBOOK_PDF=0`: PDF printing is measured "
            "on its own (see PDF below)."
        ),
        "",
    ]


def scaled_section(results: dict) -> list[str]:
    """The scaled book's table, as Markdown lines."""
    scaled = results.get("scaled") or []
    if not scaled:
        return []
    return [
        "",
        "## The scaled book",
        "",
        (f"Live reload of a prose edit (one sentence of `{CHAPTER}`) on copies of the book grown by cloning "
         f"the `{SCALE_FROM}` chapter (page, calculations, figures, lab) up to eleven chapters, with labs "
         f"growing alongside up to {PLANNED_LABS}. Each size is served by its own `mkdocs serve --dirty`; "
         "the first build is cold. Plotted in [scaled-book.svg](scaled-book.svg)."),
        "",
        table(["Chapters", "Labs", "Markdown pages", "First build (cold)", "Save → browser, median (min–max)"],
              [[str(row["chapters"]), str(row["labs"]), str(row["pages"]), _s(row["first_build"]),
                _spread(row["reload"])] for row in scaled], "rrrrr"),
    ]


def report(results: dict) -> str:
    """The results as Markdown (also what the terminal shows)."""
    seconds = results["seconds"]
    info = results["machine"]
    snapshot = results["snapshot"]
    out = [
        *_header(results, "Build benchmark"),
        "## Targets",
        "",
    ]
    out.append(
        table(
            ["Target", "Measured", "Limit", "Result"],
            [
                [t["target"], t["measured"], t["limit"], "PASS" if t["pass"] else "FAIL"]
                for t in results["targets"]
            ],
        )
    )
    rows = [
        [
            "floor",
            _spread(seconds["floor"]),
            "mkdocs build, same Markdown, no casebook hook, artefacts as static files",
        ],
        [
            "floor, notebooks rendered",
            _spread(seconds["floor_rendering"]),
            "the same, mkdocs-jupyter converting the executed notebooks anew (no cache)",
        ],
        ["cold", _spread(seconds["cold"]), "mkdocs build of a fresh copy, no .cache"],
        ["warm", _spread(seconds["warm"]), f"rebuild after one sentence of {CHAPTER} changed"],
        [
            "one figure changed",
            _spread(seconds["figure_changed"]),
            f"rebuild after a label in {FIGURE_EDIT.path} changed",
        ],
        [
            "one snippet changed",
            _spread(seconds["snippet_changed"]),
            f"rebuild after a table header in {SNIPPET_EDIT.path} changed",
        ],
        [
            "live reload",
            _spread(seconds["reload"]),
            "mkdocs serve --dirty: save a chapter → served page shows the sentence",
        ],
        [
            "live reload, figure edit",
            _spread(seconds.get("reload_figure") or [0.0]),
            f"mkdocs serve --dirty: save {FIGURE_EDIT.path} → the served SVG shows the new label",
        ],
        [
            "live reload, snippet edit",
            _spread(seconds.get("reload_snippet") or [0.0]),
            f"mkdocs serve --dirty: save {SNIPPET_EDIT.path} → the served page shows the new heading "
            f"(the {', '.join(SNIPPET_LABS)} lab runs again)",
        ],
        [
            "raw dot, all figures",
            _spread(seconds["dot"]),
            "dot -Tsvg on the engine's DOT, light + dark, one after another",
        ],
        [
            "figures, engine in-process",
            _spread(seconds["engine_in_process"]),
            "figures.render(use_cache=False), one by one",
        ],
        [
            "figures, render_all",
            _spread(seconds["engine_render_all"]),
            f"figures.render_all, empty cache, {WORKERS} processes",
        ],
        [
            "notebooks' own execution",
            _spread(seconds["notebook_cells"]),
            "sum of the kernel's per-cell times, all labs",
        ],
        ["kernel start", _spread(seconds["kernel_start"]), "starting a fresh kernel per lab, all labs"],
    ]
    out += ["", "## Builds", "", table(["Scenario", "Seconds", "What is timed"], rows, "lrl")]
    out += scaled_section(results)

    floor = results["floor"]
    out += [
        "",
        "## The floor",
        "",
        (
            "The floor is `mkdocs build --strict` of each page's Markdown captured after the casebook hook "
            "expanded its shortcodes, with the figure SVGs, the executed notebooks and KaTeX's CSS and fonts "
            "as static files, the same theme, extensions and plugins, and no casebook hook: no figure, snippet "
            "or notebook is executed. Math stays TeX (typesetting it with KaTeX is execution). mkdocs-jupyter "
            "still converts the executed notebooks to HTML; that is rendering, not execution, and comes from "
            'its cache (filled once before timing), as in a warm build of the real site; "floor, notebooks '
            'rendered" has it convert them anew, as in a cold build. mkdocs-jupyter is told to ignore '
            "`*.md` (it would otherwise parse every Markdown file with Jupytext, three times per build, to see "
            "whether it is a notebook: the floor's source pages are files, the real build's are generated)."
        ),
        "",
        (
            f"Pages: the floor site has {len(floor['pages'])} HTML pages in common with the real one; "
            f"only in the real site: {_names(floor['pages_only_in_real'])}; "
            f"only in the floor: {_names(floor['pages_only_in_floor'])}. "
            f"Other files only in the real site: {_names(floor['files_only_in_real'])}; "
            f"only in the floor: {_names(floor['files_only_in_floor'])}."
        ),
    ]

    rows = []
    for name in ("warm", "figure_changed", "snippet_changed"):
        for n, rep in enumerate(results["reexecuted"][name], start=1):
            for kind in ("expected", "observed"):
                found = rep[kind]
                verdict = (
                    "" if kind == "expected" else ("as expected" if found == rep["expected"] else "DIFFERENT")
                )
                rows.append(
                    [
                        name,
                        str(n),
                        kind,
                        _names(found["figures"]),
                        _names(found["modules"]),
                        _names(found["notebooks"]),
                        _names(found["pages"]),
                        verdict,
                    ]
                )
    out += [
        "",
        "## What a rebuild re-executed",
        "",
        (
            'Read from the build cache (entries created or rewritten by the rebuild); "expected" is what the '
            "engine's import analysis says depends on the change. Pages: those whose shortcodes use a "
            "re-evaluated snippet module or show a re-rendered figure."
        ),
        "",
        table(
            [
                "Scenario",
                "Rep",
                "",
                "Figures re-rendered",
                "Snippet modules re-evaluated",
                "Notebooks re-executed",
                "Pages affected",
                "",
            ],
            rows,
        ),
    ]

    sizes = results["figure_sizes"]
    timings = results["figure_timings"]
    rows = []
    for figure_id, size in sizes.items():
        engine = [rep["figures"][figure_id]["engine_s"] for rep in timings]
        in_engine = [rep["figures"][figure_id]["engine_dot_s"] for rep in timings]
        dot = [rep["figures"][figure_id]["dot_s"] for rep in timings]
        rows.append(
            [
                figure_id,
                _spread(engine),
                _s(Spread.of(in_engine).median),
                _spread(dot),
                _x(statistics.median(pair_ratios(engine, dot))),
                _kib(size["svg"]),
                _kib(size["svg_gzip"]),
                _kib(size["png"]),
                _x(size["svg_gzip"] / size["png"]),
                _x(size["svg"] / size["png"]),
            ]
        )
    engine_total = seconds["engine_in_process"]
    rows.append(
        [
            "all figures",
            _spread(engine_total),
            "",
            _spread(seconds["dot"]),
            _x(statistics.median(pair_ratios(engine_total, seconds["dot"]))),
            _kib(sum(s["svg"] for s in sizes.values())),
            _kib(sum(s["svg_gzip"] for s in sizes.values())),
            _kib(sum(s["png"] for s in sizes.values())),
            "",
            "",
        ]
    )
    imports = [rep["imports_s"] for rep in timings]
    out += [
        "",
        "## Figures",
        "",
        (
            "Engine: `figures.render(source, use_cache=False)` in one process (light and dark), after its imports "
            f"({_spread(imports)}). Raw dot: `dot -Tsvg` on the same DOT, both palettes. "
            f"`render_all` with an empty cache ({WORKERS} processes, imports included): {_spread(seconds['engine_render_all'])}, "
            f"{_spread(pair_ratios(seconds['engine_render_all'], seconds['dot']), _x)} raw dot. "
            "SVG: the light variant as published; PNG: `dot -Tpng` (96 dpi, its default) on the same DOT with the "
            "same icons. PNGs are not gzipped on the wire."
        ),
        "",
        table(
            [
                "Figure",
                "Engine",
                "dot inside engine",
                "Raw dot",
                "Engine/dot",
                "SVG",
                "SVG gzip",
                "PNG",
                "SVG gzip/PNG",
                "SVG/PNG",
            ],
            rows,
            "lrrrrrrrrr",
        ),
    ]

    notebook_rows = []
    for name in results["notebook_timings"][0]:
        reps = [rep[name] for rep in results["notebook_timings"]]
        notebook_rows.append(
            [
                name,
                _spread([r["kernel_start_s"] for r in reps]),
                _spread([r["cells_s"] for r in reps]),
                _spread([r["cells_wall_s"] for r in reps]),
            ]
        )
    out += [
        "",
        "## Notebooks",
        "",
        (
            "Executed outside the build, as the engine does (fresh kernel, same environment), on the cold copy of "
            "the same repetition. Own execution: the kernel's per-cell times (nbclient's `execution` metadata, "
            "from execute_input to execute_reply), which the cold target uses; wall: timed around each "
            "`execute_cell` by the client."
        ),
        "",
        table(["Lab", "Kernel start", "Cells, own execution", "Cells, wall"], notebook_rows, "lrrr"),
    ]

    pages = results["pages"]
    rows = [
        [page, _kib(w["html"]), _kib(w["own"]), _kib(w["shared"]), _kib(w["fonts"]), _kib(w["total"])]
        for page, w in pages["pages"].items()
    ]
    shared_rows = [
        [asset, _kib(info["bytes"]), str(info["pages"])] for asset, info in pages["shared"].items()
    ]
    out += [
        "",
        "## Pages: transfer size",
        "",
        (
            "gzip -9 (Python's gzip) for HTML, CSS, JS, SVG and JSON, as a static host serves them; PNG and WOFF2 "
            "as they are. Own: files only this page loads (its figures, light palette). Shared: files several "
            "pages load (cached after the first page), listed below; they include Material's search worker and "
            "index, which every page fetches. KaTeX fonts: counted on pages with math, all of them (an upper "
            "bound: a browser fetches only the faces its formulas use)."
        ),
        "",
        table(["Page", "HTML", "Own", "Shared", "KaTeX fonts (≤)", "Total"], rows, "lrrrrr"),
        "",
        table(["Shared file", "Transfer", "Pages"], shared_rows, "lrr"),
        "",
        "## PDF",
        "",
        results["pdf"],
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 repetitions, for a quick look")
    parser.add_argument("--scaled-only", action="store_true",
                        help="only the live preview on the scaled book (a few minutes); writes scaled-book.md")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks", help="folder for latest.md and latest.json"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary copies and print where they are"
    )
    parser.add_argument("--probe", choices=PROBES, help=argparse.SUPPRESS)  # internal: run inside a copy
    parser.add_argument("--probe-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        args.probe_out.write_text(json.dumps(PROBES[args.probe]()), encoding="utf-8")
        return 0
    repeat = 2 if args.quick else args.repeat
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    scratch = Path(tempfile.mkdtemp(prefix="casebook-benchmark-"))
    try:
        results = run_scaled_only(repeat, scratch) if args.scaled_only else run(repeat, scratch)
    finally:
        if args.keep:
            log(f"kept the copies in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.scaled_only:
        results["targets"] = scaled_targets(results)
        markdown = scaled_report(results)
        (args.out / "scaled-book.md").write_text(markdown, encoding="utf-8")
        (args.out / "scaled-book.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    else:
        results["targets"] = targets(results)
        markdown = report(results)
        (args.out / "latest.md").write_text(markdown, encoding="utf-8")
        (args.out / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown)
    if results.get("scaled"):
        plot_scaled(results["scaled"], args.out / "scaled-book.svg")
    log(f"wrote the results to {args.out}")
    return 0 if all(target["pass"] for target in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
