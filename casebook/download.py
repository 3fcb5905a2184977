"""Lab downloads: each lab as a .zip that runs on its own, away from the repository.

A lab imports the book's calculation modules (``snippets/``), so its notebook alone stops at
``ModuleNotFoundError: snippets``. The zip unpacks to one folder, ``<lab>/``, holding:

    <lab>.ipynb        the executed notebook, as the site publishes it
    snippets/...       every snippet module the lab imports, directly or not, with the
                       ``__init__.py`` of each package on the way
    requirements.txt   the packages the lab and those modules import, pinned to the versions in the
                       project's requirements.txt, and ipykernel (the kernel that runs a notebook)
    README.txt         how to run it

An import that no pinned package provides fails the build with its file and line. The bytes are
deterministic (entries sorted, fixed timestamps and permissions), and the zip is cached under a key
made of everything it is made from.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import sys
import zipfile
from pathlib import Path

from casebook import cache, notebooks
from casebook import snippets as snippet_deps
from casebook.errors import CasebookError
from casebook.paths import ROOT, rel

KERNEL = "ipykernel"  # not imported by the lab, but a notebook needs a kernel to run
REQUIREMENTS = "requirements.txt"
README = "README.txt"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build time leaks in
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def filename(source: notebooks.NotebookSource) -> str:
    return f"{source.name}.zip"


def site_uri(source: notebooks.NotebookSource, use_directory_urls: bool = True) -> str:
    """Where the zip goes in the site: next to the notebook, which mkdocs-jupyter copies into the
    lab page's folder, so the page links to both by their bare names."""
    folder = f"{notebooks.SECTION}/{source.name}" if use_directory_urls else notebooks.SECTION
    return f"{folder}/{filename(source)}"


def snippet_files(source: notebooks.NotebookSource) -> list[Path]:
    """The snippet modules the lab imports (the transitive closure) and their packages' ``__init__.py``."""
    root = snippet_deps.SNIPPETS
    modules = {path for module in notebooks.imported_snippets(source) for path in snippet_deps.closure(module)}
    packages = set()
    for path in modules:
        folder = path.parent
        while folder.is_relative_to(root):
            packages.add(folder / "__init__.py")
            if folder == root:
                break
            folder = folder.parent
    missing = sorted(p for p in packages if not p.is_file())
    if missing:
        raise CasebookError(f"{rel(missing[0])}: missing; every folder of snippets/ is a package with an __init__.py")
    return sorted(modules | packages)


def _top_level_imports(path: Path) -> dict[str, int]:
    """Absolute imports in a file: top-level name -> first line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            found[top] = min(found.get(top, node.lineno), node.lineno)
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(requirements: Path = ROOT / REQUIREMENTS) -> dict[str, str]:
    """The project's pins: canonical name -> ``name==version`` as written in requirements.txt."""
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[_canonical(match[1])] = f"{match[1]}=={match[2]}"
    return pins


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return packages_distributions()


def requirements(files: list[Path], requirements_file: Path = ROOT / REQUIREMENTS) -> list[str]:
    """``name==version`` for every package ``files`` import (standard library and ``snippets`` aside),
    and the kernel, sorted by name."""
    pins = pinned(requirements_file)
    wanted = {_canonical(KERNEL)}
    for path in files:
        for top, line in sorted(_top_level_imports(path).items()):
            if top in sys.stdlib_module_names or top in (snippet_deps.PACKAGE, "__future__"):
                continue
            provided = [d for d in _distributions().get(top, []) if _canonical(d) in pins]
            if not provided:
                raise CasebookError(
                    f"{rel(path)}:{line}: imports {top!r}, which no package pinned in {REQUIREMENTS} provides "
                    "(a lab's download lists the packages its code imports: add it to requirements.in)"
                )
            wanted.update(_canonical(d) for d in provided)
    missing = sorted(wanted - set(pins))
    if missing:
        raise CasebookError(f"{REQUIREMENTS}: {missing[0]} is not pinned (a lab's download needs it)")
    return sorted((pins[name] for name in wanted), key=str.lower)


def _title(notebook_path: Path, fallback: str) -> str:
    import nbformat

    notebook = nbformat.reads(notebook_path.read_text(encoding="utf-8"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def readme(source: notebooks.NotebookSource, title: str, repository: str) -> str:
    notebook = f"{source.name}.ipynb"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"""{title}: a lab of the ML System Design Casebook
{repository}

This folder runs on its own. It holds the notebook ({notebook}, with the outputs it gave when the
book was built), the book's code that it imports (snippets/), and {REQUIREMENTS}: the packages
they import, pinned to the versions the book was built with, and ipykernel to run the notebook.

Run it from this folder, with Python {python} or newer:

    python3 -m venv .venv
    .venv/bin/pip install -r {REQUIREMENTS} jupyterlab
    .venv/bin/jupyter lab {notebook}

On Windows, use .venv\\Scripts\\pip and .venv\\Scripts\\jupyter. With a Jupyter you already have,
install only {REQUIREMENTS} in the environment, register it as a kernel
(.venv/bin/python -m ipykernel install --user --name casebook) and choose that kernel. Either way,
open the notebook from this folder, so that "import snippets" finds the code next to it.

To rerun it without a browser:

    .venv/bin/pip install nbconvert
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace {notebook}

The book, its other labs and the code behind every number: {repository}
"""


def build(source: notebooks.NotebookSource, published: Path, repository: str) -> Path:
    """The lab's zip in the cache (``<key>/<lab>.zip``), made only when something in it changed.

    ``published`` is the notebook as the site publishes it (``notebooks.publish``).
    """
    root = snippet_deps.SNIPPETS
    files = snippet_files(source)
    key = cache.digest([
        published,
        *[part for path in files for part in (path.relative_to(root).as_posix(), path)],
        source.path,
        ROOT / REQUIREMENTS,
        repository,
        f"{sys.version_info.major}.{sys.version_info.minor}",
        Path(__file__),
    ])
    target = cache.cache_dir("downloads") / key / filename(source)
    if target.is_file():
        return target
    entries = {
        f"{source.name}.ipynb": published.read_bytes(),
        REQUIREMENTS: (
            f"# What {source.name}.ipynb needs: the packages it and its snippets/ modules import, pinned to\n"
            "# the versions the book was built with, and ipykernel, the kernel that runs the notebook.\n"
            + "".join(f"{line}\n" for line in requirements([source.path, *files]))
        ).encode(),
        README: readme(source, _title(published, source.name), repository).encode(),
    }
    for path in files:
        entries[f"{snippet_deps.PACKAGE}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    cache.write_atomic(target, pack(source.name, entries))
    return target


def pack(folder: str, entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` under ``folder/``, byte for byte the same for the same entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()
