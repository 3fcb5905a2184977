"""Who uses what: the pages, figures and labs behind each calculation, and what nothing uses.

A static scan, cheap enough for every build: shortcodes in ``docs/`` (resolved to the page's own
module as ``casebook.names`` says), and the ``snippets`` imports and attribute reads of every figure
module and lab, parsed with ``ast``. The build uses it twice: each source page lists the pages,
figures and labs that use its module, and a ``@value`` or ``@table`` that nothing uses fails the
build with its file and line.
"""

from __future__ import annotations

import ast
import functools
import inspect
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from casebook import names, shortcodes, snippets
from casebook.errors import CasebookError
from casebook.paths import DIAGRAMS, DOCS, NOTEBOOKS, SNIPPETS, rel

LABS = "labs"  # where labs are published (notebooks.SECTION)


@dataclass(frozen=True)
class User:
    """One place that uses a calculation: a page, a figure or a lab."""

    kind: str  # "page", "figure" or "lab"
    path: str  # project path: docs/x.md, diagrams/x/y.py, notebooks/x.py
    line: int
    src_uri: str  # the site page a reader opens to see it ("" for a figure no page shows)
    anchor: str = ""  # where on that page (a figure's anchor)


@dataclass
class Usage:
    names: dict[tuple[str, str], list[User]] = field(default_factory=lambda: defaultdict(list))
    modules: dict[str, set[User]] = field(default_factory=lambda: defaultdict(set))
    figures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # figure id -> pages

    def users_of_file(self, path: Path) -> list[User]:
        """Who uses a file of ``snippets/`` (its module) or of ``diagrams/`` (the pages showing it)."""
        if path.is_relative_to(SNIPPETS):
            users = self.modules.get(".".join(path.relative_to(SNIPPETS).with_suffix("").parts), ())
        else:
            figure_id = path.relative_to(DIAGRAMS).with_suffix("").as_posix()
            users = [User("page", f"docs/{page}", 0, page, shortcodes.figure_anchor(figure_id))
                     for page in self.figures.get(figure_id, ())]
        return sorted(set(users), key=lambda u: (("page", "figure", "lab").index(u.kind), u.path))


def scan() -> Usage:
    """Who uses what, scanned again only when a file it reads has changed (a live preview asks on
    every save). The result is shared: callers only read it."""
    stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in _scanned_files())
    if _last_scan and _last_scan[0] == stamp:
        return _last_scan[1]
    usage = _scan()
    _last_scan[:] = [stamp, usage]
    return usage


_last_scan: list = []


def _scanned_files() -> list[Path]:
    return [*sorted(DOCS.rglob("*.md")), *sorted(DIAGRAMS.rglob("*.py")), *sorted(NOTEBOOKS.glob("*.py")),
            *sorted(SNIPPETS.rglob("*.py"))]


def _scan() -> Usage:
    usage = Usage()

    @functools.cache  # many users of few modules
    def closure(module: str) -> tuple[str, ...]:
        return tuple(".".join(path.relative_to(SNIPPETS).with_suffix("").parts) for path in snippets.closure(module))

    for page in names.pages():
        _scan_page(page, usage, closure)
    for path in sorted(DIAGRAMS.rglob("*.py")):
        if path.name.startswith("_"):
            continue
        figure_id = path.relative_to(DIAGRAMS).with_suffix("").as_posix()
        shown_on = usage.figures.get(figure_id, [])
        user = User("figure", rel(path), 0, shown_on[0] if shown_on else "", shortcodes.figure_anchor(figure_id))
        _record(path, user, usage, closure)
    for path in sorted(NOTEBOOKS.glob("*.py")):
        if not path.name.startswith("_"):
            _record(path, User("lab", rel(path), 0, f"{LABS}/{path.stem}.ipynb"), usage, closure)
    return usage


def _scan_page(page: str, usage: Usage, closure) -> None:
    own = names.for_page(page)
    module = own.module if own.module_path.is_file() else None
    path = DOCS / page
    project_path = rel(path)
    for code in _shortcodes(path, path.stat().st_mtime_ns):
        if code.kind == "figure":
            figure_id = code.arg.strip()
            usage.figures[figure_id if "/" in figure_id else f"{own.figures}/{figure_id}"].append(page)
        elif code.kind in ("value", "table"):
            try:
                target = snippets.parse_target(code.arg, module)
            except CasebookError:
                continue  # the page's own expansion reports it, with its line
            usage.names[(target.module, target.name)].append(User("page", project_path, code.line, page))
            _add_module(usage, target.module, User("page", project_path, 0, page), closure)


@functools.lru_cache(maxsize=1024)
def _shortcodes(path: Path, mtime_ns: int) -> list[shortcodes.Shortcode]:
    return shortcodes.find(path.read_text(encoding="utf-8"))


def _record(path: Path, user: User, usage: Usage, closure) -> None:
    try:
        references = _references(path, path.stat().st_mtime_ns)
    except SyntaxError:
        return  # the figure or lab itself fails the build, with its line
    for module, name in references:
        usage.names[(module, name)].append(user)
        _add_module(usage, module, replace(user, line=0), closure)


def _add_module(usage: Usage, module: str, user: User, closure) -> None:
    if not snippets.module_path(module).is_file():
        return
    for name in closure(module):
        usage.modules[name].add(user)


@functools.lru_cache(maxsize=1024)
def _references(path: Path, mtime_ns: int) -> set[tuple[str, str]]:
    return references_in(path)


def references_in(path: Path) -> set[tuple[str, str]]:
    """``(module, name)`` for every snippet name a Python file imports or reads as ``alias.name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases: dict[str, str] = {}
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(snippets.PACKAGE + ".") and alias.asname:
                    aliases[alias.asname] = alias.name.removeprefix(snippets.PACKAGE + ".")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module != snippets.PACKAGE and not node.module.startswith(snippets.PACKAGE + "."):
                continue
            base = node.module.removeprefix(snippets.PACKAGE).lstrip(".")
            for alias in node.names:
                dotted = f"{base}.{alias.name}" if base else alias.name
                if snippets.module_path(dotted).is_file():
                    aliases[alias.asname or alias.name] = dotted  # a module imported by name
                elif base:
                    found.add((base, alias.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            found.add((aliases[node.value.id], node.attr))
    return found


def unused(usage: Usage) -> list[str]:
    """``file:line: message`` for every ``@value``/``@table`` of a page module that nothing uses."""
    from snippets.kit import show  # the project's own code, on the path once the build has started

    modules = [m for m in snippets.discover() if not names.is_kit(m)]
    problems = []
    for module, imported in ((m, snippets.load(m)) for m in modules):
        for name, obj in vars(imported).items():
            kind = show.kind(obj)
            if not kind or getattr(obj, "__module__", None) != imported.__name__:
                continue
            if (module, name) not in usage.names:
                line = inspect.getsourcelines(inspect.unwrap(obj))[1]
                problems.append(
                    f"{rel(snippets.module_path(module))}:{line}: {name}() is marked @{kind} but no page, "
                    "figure or lab uses it: show it, or drop the mark (or the function)"
                )
    return problems


def link(from_src_uri: str, to_src_uri: str) -> str:
    """A relative Markdown link between two site files."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")
