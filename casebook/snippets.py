"""Snippets: what pages show from ``snippets/``, evaluated at build time and cached.

A target names something a page shows, in the page's own calculation module unless a module is
given (``casebook.names`` says which module is the page's own):

    peak_qps                    a function marked ``@value(fmt)``: called, formatted
    example_recall[5]           the same, called with one argument (an int, a float or a word)
    capacity_table              a function marked ``@table``: the Markdown it returns
    daily_active_users          a field of the module's ``ASSUMPTIONS``, formatted as declared
    assumptions                 the module's assumptions table
    kit.house.peak_to_average   any of these in another module (here the house rules)

Each result carries the anchor of the code that produced it (the function, or the assumptions
class), so the page can link the number to that code. A result is cached under a key made of the
module's source and the source of every project module it imports (transitively), so changing
``snippets/kit/estimation.py`` re-evaluates exactly the pages whose snippets import it.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError, describe_exception
from casebook.paths import ROOT, SNIPPETS, rel

PACKAGE = "snippets"
ASSUMPTIONS = "ASSUMPTIONS"  # the module-level name of a module's assumptions
ASSUMPTIONS_TABLE = "assumptions"  # the target that shows them as a table
_TARGET = re.compile(r"^(?:(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.)?(?P<name>[A-Za-z_]\w*)"
                     r"(?:\[(?P<key>[\w.-]+)\])?$")


@dataclass(frozen=True)
class Target:
    module: str  # dotted, relative to the snippets package
    name: str
    key: str | None = None

    @property
    def path(self) -> Path:
        return module_path(self.module)

    @property
    def file(self) -> str:
        """The module's project path, e.g. ``snippets/video_recommendation.py``."""
        return rel(self.path)

    def __str__(self) -> str:
        return f"{self.module}.{self.name}" + (f"[{self.key}]" if self.key else "")


@dataclass(frozen=True)
class Shown:
    """What a target shows: its text, whether it is a value or a table, and the anchor of its code."""

    text: str
    kind: str  # "value" or "table"
    anchor: str  # a function or class name in the module's source page


class SnippetError(CasebookError):
    """A snippet that could not be evaluated; the message names the snippet file and line."""


def parse_target(text: str, default_module: str | None = None) -> Target:
    """``[module.]name[key]``; without a module, the page's own (``default_module``)."""
    match = _TARGET.match(text.strip())
    if not match:
        raise SnippetError(
            f"cannot read snippet target {text!r}: write name, name[key] or module.name"
        )
    module = match["module"] or default_module
    if module is None:
        raise SnippetError(
            f"{text.strip()!r} names no module and this page has no calculation module of its own: "
            "write module.name"
        )
    return Target(module, match["name"], match["key"])


def discover(root: Path = SNIPPETS) -> list[str]:
    """Dotted names of every snippet module (helpers such as ``__init__`` excluded)."""
    modules = []
    for path in sorted(root.rglob("*.py")):
        if path.name.startswith("_"):
            continue
        modules.append(".".join(path.relative_to(root).with_suffix("").parts))
    return modules


def module_path(module: str) -> Path:
    return SNIPPETS / (module.replace(".", "/") + ".py")


@functools.lru_cache(maxsize=256)
def _imports_of(path: Path, mtime_ns: int) -> frozenset[str]:
    """Project snippet modules that ``path`` imports (``snippets.x`` or relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not path.is_relative_to(SNIPPETS):
                    continue
                base = ".".join(["snippets"] + list(path.relative_to(SNIPPETS).parent.parts))
                names = [f"{base}.{node.module}" if node.module else base]
                names += [f"{names[0]}.{alias.name}" for alias in node.names]
            elif node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.startswith(PACKAGE + "."):
                module = name[len(PACKAGE) + 1:]
                if module_path(module).is_file():
                    found.add(module)
    return frozenset(found)


def imports_of(path: Path) -> frozenset[str]:
    return _imports_of(path, path.stat().st_mtime_ns)


def closure(module: str) -> list[Path]:
    """The module's file and every snippet module it imports, directly or not, sorted."""
    seen: set[str] = set()
    stack = [module]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        path = module_path(current)
        if not path.is_file():
            raise SnippetError(f"{rel(path)}: no such snippet module (snippets.{current})")
        stack.extend(imports_of(path) - seen)
    return sorted(module_path(name) for name in seen)


def cache_key(module: str) -> str:
    files = closure(module)
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _cache_key(stamp, tuple(files))


@functools.lru_cache(maxsize=256)
def _cache_key(stamp: tuple, files: tuple[Path, ...]) -> str:
    """Hash the files' contents; memoised on their names, times and sizes (a page asks many times)."""
    return cache.digest([*files, Path(__file__), sys.version])


def evaluate(target: Target, *, use_cache: bool = True) -> Shown:
    """What ``target`` shows, from the cache when its module and imports have not changed."""
    key = cache_key(target.module)
    cache_file = cache.cache_dir("snippets") / f"{key}.json"
    stored = (cache.read_json(cache_file) or {}) if use_cache else {}
    entry = stored.get(str(target))
    if entry is not None:
        return Shown(*entry)
    shown = _show(target)
    if use_cache:
        stored[str(target)] = [shown.text, shown.kind, shown.anchor]
        cache.write_json(cache_file, stored)
    return shown


def _show(target: Target) -> Shown:
    from snippets.kit import assume, show  # the kit is part of the project, imported fresh

    module = load(target.module)
    assumptions = getattr(module, ASSUMPTIONS, None)
    fields = {f.name for f in dataclasses.fields(assumptions)} if dataclasses.is_dataclass(assumptions) else set()
    where = target.file
    if target.name == ASSUMPTIONS_TABLE and not hasattr(module, target.name):
        if not fields:
            raise SnippetError(f"{where}: has no {ASSUMPTIONS} dataclass to show as a table")
        text = _run(target, lambda: assume.assumptions_table(assumptions), "the assumptions table")
        return Shown(text, "table", type(assumptions).__name__)
    obj = getattr(module, target.name, None)
    kind = show.kind(obj)
    if target.name in fields:
        if kind:
            raise SnippetError(f"{where}: {target.name} is both an assumption and a function: rename one")
        if target.key is not None:
            raise SnippetError(f"{where}: {target.name} is an assumption: drop [{target.key}]")
        text = _run(target, lambda: assume.formatted(assumptions, target.name), f"formatting {target.name}")
        return Shown(text, "value", type(assumptions).__name__)
    if kind is None:
        if obj is None:
            raise SnippetError(f"{where}: has no {target.name} ({_available(module, fields)})")
        raise SnippetError(
            f"{where}: {target.name} is not marked for pages: decorate it with @value(fmt) or @table "
            "(from snippets.kit.show)"
        )
    if kind == "table":
        if target.key is not None:
            raise SnippetError(f"{where}: {target.name}() is a table and takes no [key]")
        text = _run(target, obj, f"{target.name}() raised")
        if not isinstance(text, str):
            raise SnippetError(f"{where}: {target.name}() returned {type(text).__name__}; a @table returns Markdown")
        return Shown(text, "table", target.name)
    args = [] if target.key is None else [_argument(target.key)]
    arity = _arity(obj)
    if len(args) > arity[1] or len(args) < arity[0]:
        raise SnippetError(
            f"{where}: {target.name}() takes " + ("a [key]" if arity[0] else "no [key]")
            + f", got {str(target).split('.')[-1]}"
        )
    text = _run(target, lambda: show.shown(obj, *args), f"{target.name}({', '.join(map(repr, args))}) raised")
    if not isinstance(text, str):
        raise SnippetError(f"{where}: the format of {target.name}() returned {type(text).__name__}, not text")
    return Shown(text, "value", target.name)


def _run(target: Target, thunk, what: str):
    try:
        return thunk()
    except CasebookError:
        raise
    except Exception as exc:
        raise SnippetError(_failure(exc, target, what)) from None


def _arity(function) -> tuple[int, int]:
    """(required, accepted) positional arguments, not counting those with defaults as required."""
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in parameters if p.default is p.empty)
    return required, len(parameters)


def _argument(key: str) -> int | float | str:
    """A target's [key] as the argument it stands for: 5 -> 5, 0.5 -> 0.5, ranking -> 'ranking'."""
    for kind in (int, float):
        try:
            return kind(key)
        except ValueError:
            pass
    return key


def _available(module, fields: set[str]) -> str:
    from snippets.kit import show

    marked = sorted(name for name, obj in vars(module).items() if show.kind(obj))
    parts = []
    if marked:
        parts.append("shown there: " + ", ".join(marked))
    if fields:
        parts.append("assumptions: " + ", ".join(sorted(fields)))
    return "; ".join(parts) or "nothing there is marked for pages"


_imported: dict[str, tuple[str, object]] = {}


def load(module: str):
    """The module ``snippets.<module>``, imported anew only when its source or an import's source
    changed since this process last imported it (the same cache key as the results)."""
    target = Target(module, "_")
    key = cache_key(module)
    hit = _imported.get(str(target.path))
    if hit and hit[0] == key:
        return hit[1]
    imported = _fresh_import(target)
    _imported[str(target.path)] = (key, imported)
    return imported


def _fresh_import(target: Target):
    """Import the module anew, with every snippet module re-read from disk (serve edits them)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    if not target.path.is_file():
        raise SnippetError(f"{rel(target.path)}: no such snippet module (snippets.{target.module})")
    try:
        return importlib.import_module(f"{PACKAGE}.{target.module}")
    except Exception as exc:
        raise SnippetError(_failure(exc, target, "importing the module raised")) from None


def _failure(exc: BaseException, target: Target, what: str) -> str:
    """``snippets/x.py:LINE: what Type: message``, at the innermost line inside ``snippets/``."""
    file, line, summary = describe_exception(exc, SNIPPETS)
    location = f"{file}:{line}" if file else rel(target.path)
    return f"{location}: {what} {summary}"
