"""Notebooks: labs stored as Jupytext percent scripts, executed at build time, cached by content.

A lab lives in ``notebooks/<name>.py`` (diffable, no outputs). The build executes it with a fresh
kernel and hands the executed ``.ipynb`` to mkdocs-jupyter, which only renders it. The cache key is
the lab's source plus every snippet module it imports (transitively), so editing
``snippets/kit/estimation.py`` re-runs the labs that use it and no others. A cell that raises fails the
build with the lab's file, the line of the cell and the error.

What readers get is the *published* notebook (:func:`publish`): the executed one with
``{{ repository: text }}`` in its Markdown turned into a link to the project's repository. The
address is a setting of the build, so changing it re-publishes the labs without re-running them.
``casebook/download.py`` packs each published notebook with what it imports into a zip.
"""

from __future__ import annotations

import ast
import functools
from html import escape, unescape
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from casebook import cache
from casebook import snippets as snippet_deps
from casebook.errors import CasebookError
from casebook.paths import NOTEBOOKS, ROOT, rel
from casebook.settings import WORKERS

SECTION = "labs"
# Labs rank below the chapters and reference pages (1) that define what a lab exercises: "nDCG" finds
# the metrics page before the metrics lab, and the lab right after it.
SEARCH_BOOST = 0.5
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class NotebookSource:
    name: str  # file stem, also the page slug
    path: Path

    @property
    def src_uri(self) -> str:
        return f"{SECTION}/{self.name}.ipynb"


def discover(root: Path = NOTEBOOKS) -> list[NotebookSource]:
    return [NotebookSource(p.stem, p) for p in sorted(root.glob("*.py")) if not p.name.startswith("_")]


def read(source: NotebookSource):
    import jupytext

    try:
        return jupytext.read(source.path, fmt="py:percent")
    except Exception as exc:
        raise CasebookError(f"{rel(source.path)}: cannot read as a Jupytext percent notebook: {exc}") from None


def imported_snippets(source: NotebookSource) -> set[str]:
    """Snippet modules the lab's code cells import, directly.

    A percent script is Python (Jupytext writes magics as comments), so the file is parsed as it is,
    without reading it as a notebook; only a lab with a syntax error is read cell by cell.
    """
    try:
        return set(snippet_deps.imports_of(source.path))
    except SyntaxError:
        pass  # the kernel will report it, with its line; find the imports of the cells that parse
    notebook = read(source)
    modules = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.split("\n") if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue  # the kernel will report it, with its line
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.startswith("snippets."):
                    module = name.removeprefix("snippets.")
                    if snippet_deps.module_path(module).is_file():
                        modules.add(module)
    return modules


def cache_key(source: NotebookSource) -> str:
    dependencies = sorted({p for m in imported_snippets(source) for p in snippet_deps.closure(m)})
    files = (source.path, *dependencies, Path(__file__),
             ROOT / "requirements.txt")  # the whole pinned environment: a lab may import anything in it
    return _cache_key(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files), files)


@functools.lru_cache(maxsize=256)
def _cache_key(stamp: tuple, files: tuple[Path, ...]) -> str:
    """Hash the files' contents; memoised on their names, times and sizes (a live preview asks for
    every lab's key on every save)."""
    return cache.digest([*files, sys.version])


def execute(source: NotebookSource) -> Path:
    """The executed notebook in the cache, at ``<folder>/<src_uri>``, run only when something changed.

    The folder mirrors the site (``labs/<name>.ipynb``) so MkDocs can treat it as a docs folder.
    """
    import nbformat

    key = cache_key(source)
    target = cache.cache_dir("notebooks") / key / source.src_uri
    if target.is_file():
        return target
    notebook = read(source)
    for index, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{index}"  # Jupytext draws random ids; fixed ones keep the output reproducible
    _run(notebook, source)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        _join_streams(cell)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cache.write_atomic(target, nbformat.writes(notebook).encode())
    return target


def _join_streams(cell) -> None:
    """One output per run of printed text: the kernel sends a cell's prints in as many messages as
    timing makes it (a busy machine splits them), which would make the same lab two notebooks."""
    joined = []
    for output in cell.get("outputs", []):
        previous = joined[-1] if joined else None
        if (previous is not None and output.get("output_type") == "stream" == previous.get("output_type")
                and output.get("name") == previous.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    if "outputs" in cell:
        cell["outputs"] = joined


def execute_all(sources: list[NotebookSource], jobs: int = WORKERS) -> dict[str, Path | CasebookError]:
    """:func:`execute` for every lab, ``jobs`` at a time (each lab runs in a kernel of its own, so two
    cores run two labs): the executed notebook, or the error that names the lab's line, by lab name."""
    from concurrent.futures import ThreadPoolExecutor

    def run(source: NotebookSource) -> Path | CasebookError:
        try:
            return execute(source)
        except CasebookError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip((source.name for source in sources), pool.map(run, sources), strict=True))


def publish(source: NotebookSource, executed: Path, repository: str) -> Path:
    """The executed notebook as readers get it (site page and download), in the cache at
    ``<folder>/<src_uri>`` like :func:`execute`'s: ``{{ repository: text }}`` in Markdown cells
    becomes a link to ``repository``; any other shortcode there fails with the lab's line."""
    import nbformat

    from casebook import shortcodes

    key = _published_key(executed, executed.stat().st_mtime_ns, repository,
                         Path(__file__).stat().st_mtime_ns, Path(shortcodes.__file__).stat().st_mtime_ns)
    target = cache.cache_dir("published") / key / source.src_uri
    if target.is_file():
        return target
    notebook = nbformat.reads(executed.read_text(encoding="utf-8"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "{{" in cell.source:
            line = _cell_line(source, cell.source) or 1
            cell.source = shortcodes.expand_repository(cell.source, repository, rel(source.path), line - 1)
    cache.write_atomic(target, nbformat.writes(notebook).encode())
    return target


@functools.lru_cache(maxsize=256)
def _published_key(executed: Path, executed_mtime_ns: int, repository: str, engine_mtime_ns: int,
                   shortcodes_mtime_ns: int) -> str:
    from casebook import shortcodes

    return cache.digest([executed, repository, Path(__file__), Path(shortcodes.__file__)])


def _run(notebook, source: NotebookSource) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    environment = {
        # Plots come out byte-identical: matplotlib takes its SVG/PDF date from this variable.
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    from jupyter_client.manager import KernelManager

    # A local socket instead of TCP: nothing listens on the network while the build runs.
    sockets = tempfile.TemporaryDirectory(prefix="casebook-kernel-")
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets.name, "k"))
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=TIMEOUT_SECONDS,
        allow_errors=False,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(ROOT)}},
    )
    kernel_log = open(os.path.join(sockets.name, "kernel.log"), "w+", encoding="utf-8")  # noqa: SIM115
    try:
        # The kernel's own chatter goes to a log that is shown only if the kernel dies.
        # cleanup_kc: shut the kernel down when done. nbclient only does that by itself for a kernel
        # manager it made, and this one is ours: without it every kernel lives until the build (or
        # `mkdocs serve`, one more kernel per re-run lab) ends.
        # The kernel's environment is passed to it, not set in this process: labs run side by side.
        client.execute(cleanup_kc=True, stdout=kernel_log, stderr=kernel_log, env=os.environ | environment)
    except CellExecutionError as exc:
        index, line = _failing_cell(notebook, source)
        ename = getattr(exc, "ename", "Error")
        evalue = getattr(exc, "evalue", "")
        raise CasebookError(
            f"{rel(source.path)}:{line}: cell {index} raised {ename}: {evalue}".rstrip(": ")
        ) from None
    except (CellTimeoutError, DeadKernelError) as exc:
        index, line = _failing_cell(notebook, source)
        kernel_log.seek(0)
        tail = " | ".join(kernel_log.read().strip().splitlines()[-5:])
        raise CasebookError(
            f"{rel(source.path)}:{line}: cell {index} did not finish: {exc} (kernel log: {tail})"
        ) from None
    finally:
        kernel_log.close()
        sockets.cleanup()


def _failing_cell(notebook, source: NotebookSource) -> tuple[int, int | None]:
    """The 1-based index of the first code cell with an error output, and its line in the source."""
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index, _cell_line(source, cell.source)
    return 0, None


def _cell_line(source: NotebookSource, cell_source: str) -> int | None:
    text = source.path.read_text(encoding="utf-8")
    first = next((line for line in cell_source.split("\n") if line.strip()), "")
    index = text.find(first) if first else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else None


_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S)
_NO_ALT = 'alt="No description has been provided for this image"'
_MARKDOWN_OUTPUT = re.compile(
    r'<div class="jp-Cell jp-MarkdownCell.*?data-mime-type="text/markdown">(.*?)</div>', re.S
)


def clean_rendered_html(html: str, page: str = "a lab", plots: list | None = None, name: str = "") -> str:
    """Fix what nbconvert's template produces, so a lab page meets the site's rules.

    - Drop an empty MathJax ``<script src="">`` (a request for the page itself) and a Mermaid loader
      that imports from a CDN. Labs hold no TeX and no Mermaid, so nothing is lost.
    - Give every plot an alt text: the first sentences of the Markdown cell that follows it, which
      by the house rule describes the plot. A plot with no such cell fails the build. Plots get the
      class ``casebook-plot`` (the lightbox leaves them alone).
    - With ``plots`` (:func:`casebook.labplots.render` of the lab ``name``), each plot's data URI is
      replaced by its light and dark files, shown like the book's figures.
    """
    html = _MERMAID.sub("", _MATHJAX.sub("", html))
    alts, cursor = [], 0
    while (index := html.find(_NO_ALT, cursor)) >= 0:
        following = _MARKDOWN_OUTPUT.search(html, index)
        next_code = html.find('<div class="jp-Cell jp-CodeCell', index)
        if (
            not following
            or 0 <= next_code < following.start()
            or following.group(1).lstrip().startswith("<h")
        ):
            raise CasebookError(
                f"{page}: plot {len(alts) + 1} has no Markdown cell right after it to describe it "
                "(the description is the plot's alt text)"
            )
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", following.group(1))).split())
        sentences = re.split(r"(?<=[.!?])\s+", text)
        alts.append(" ".join(sentences[:2]))
        cursor = index + len(_NO_ALT)
    if plots is not None:
        from casebook import labplots

        return labplots.replace_images(html, plots, name, page, alts)
    pieces, cursor = [], 0
    for alt in alts:
        index = html.find(_NO_ALT, cursor)
        pieces += [html[cursor:index], f'class="casebook-plot" alt="{escape(alt, quote=True)}"']
        cursor = index + len(_NO_ALT)
    pieces.append(html[cursor:])
    return "".join(pieces)
