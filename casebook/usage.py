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
    """Who uses what. A live preview asks on every save, so each file's part is kept while neither the
    file nor any snippet module changed, and the whole while no file changed. Callers only read it."""
    library = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sorted(SNIPPETS.rglob("*.py")))
    pages = [(page, (DOCS / page).stat().st_mtime_ns) for page in names.pages()]
    figures = [path for path in sorted(DIAGRAMS.rglob("*.py")) if not path.name.startswith("_")]
    labs = [path for path in sorted(NOTEBOOKS.glob("*.py")) if not path.name.startswith("_")]
    stamp = (library, tuple(pages), tuple((str(p), p.stat().st_mtime_ns) for p in (*figures, *labs)))
    if _last_scan and _last_scan[0] == stamp:
        return _last_scan[1]
    usage = Usage()
    for page, mtime_ns in pages:
        shown, used, modules = _page_uses(page, mtime_ns, library)
        for figure_id in shown:
            usage.figures[figure_id].append(page)
        project_path = f"docs/{page}"
        for module, name, line in used:
            usage.names[(module, name)].append(User("page", project_path, line, page))
        for module in modules:
            usage.modules[module].add(User("page", project_path, 0, page))
    for path in figures:
        figure_id = path.relative_to(DIAGRAMS).with_suffix("").as_posix()
        shown_on = usage.figures.get(figure_id, [])
        user = User("figure", rel(path), 0, shown_on[0] if shown_on else "", shortcodes.figure_anchor(figure_id))
        _record(path, user, usage, library)
    for path in labs:
        _record(path, User("lab", rel(path), 0, f"{LABS}/{path.stem}.ipynb"), usage, library)
    _last_scan[:] = [stamp, usage]
    return usage


_last_scan: list = []


@functools.lru_cache(maxsize=1024)
def _page_uses(page: str, mtime_ns: int, library: tuple) -> tuple[list[str], list[tuple[str, str, int]], frozenset[str]]:
    """What one page's shortcodes use: figure ids, ``(module, name, line)`` of values and tables, and
    every snippet module those depend on. ``library`` (the snippet modules' stamps) is part of the key."""
    own = names.for_page(page)
    module = own.module if own.module_path.is_file() else None
    shown, used, modules = [], [], set()
    for code in shortcodes.find((DOCS / page).read_text(encoding="utf-8")):
        if code.kind == "figure":
            figure_id = code.arg.strip()
            shown.append(figure_id if "/" in figure_id else f"{own.figures}/{figure_id}")
        elif code.kind in ("value", "table"):
            try:
                target = snippets.parse_target(code.arg, module)
            except CasebookError:
                continue  # the page's own expansion reports it, with its line
            used.append((target.module, target.name, code.line))
            modules.update(_closure(target.module, library))
    return shown, used, frozenset(modules)


@functools.lru_cache(maxsize=1024)
def _closure(module: str, library: tuple) -> tuple[str, ...]:
    """The snippet modules ``module`` depends on (itself included), by name; none if it does not exist."""
    if not snippets.module_path(module).is_file():
        return ()
    return tuple(".".join(path.relative_to(SNIPPETS).with_suffix("").parts) for path in snippets.closure(module))


def _record(path: Path, user: User, usage: Usage, library: tuple) -> None:
    try:
        references = _references(path, path.stat().st_mtime_ns)
    except SyntaxError:
        return  # the figure or lab itself fails the build, with its line
    for module, name in references:
        usage.names[(module, name)].append(user)
        for dependency in _closure(module, library):
            usage.modules[dependency].add(replace(user, line=0))


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
