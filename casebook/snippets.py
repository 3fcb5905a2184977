"""Snippets: results of display functions in ``snippets/``, evaluated at build time and cached.

A target names a zero-argument function in a snippet module, optionally with a key when the
function returns a mapping: ``video_recommendation.capacity_table`` or
``video_recommendation.numbers[peak_qps]``. A result is cached under a key made of the module's
source and the source of every project module it imports (transitively), so changing
``snippets/estimation.py`` re-evaluates exactly the pages whose snippets import it.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError, describe_exception
from casebook.paths import ROOT, SNIPPETS, rel

PACKAGE = "snippets"
_TARGET = re.compile(r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(?P<function>[A-Za-z_]\w*)"
                     r"(?:\[(?P<key>[\w.-]+)\])?$")


@dataclass(frozen=True)
class Target:
    module: str  # dotted, relative to the snippets package
    function: str
    key: str | None = None

    @property
    def path(self) -> Path:
        return SNIPPETS / (self.module.replace(".", "/") + ".py")

    def __str__(self) -> str:
        return f"{self.module}.{self.function}" + (f"[{self.key}]" if self.key else "")


class SnippetError(CasebookError):
    """A snippet that could not be evaluated; the message names the snippet file and line."""


def parse_target(text: str) -> Target:
    match = _TARGET.match(text.strip())
    if not match:
        raise SnippetError(
            f"cannot read snippet target {text!r}: write module.function or module.function[key]"
        )
    return Target(match["module"], match["function"], match["key"])


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


def evaluate(target: Target, *, use_cache: bool = True):
    """The value of ``target`` (a ``str`` or, for a mapping function, the selected entry)."""
    key = cache_key(target.module)
    cache_file = cache.cache_dir("snippets") / f"{key}.json"
    stored = (cache.read_json(cache_file) or {}) if use_cache else {}
    if target.function in stored:
        value = stored[target.function]
    else:
        value = _call(target)
        stored[target.function] = value
        cache.write_json(cache_file, stored)
    return _select(target, value)


def _call(target: Target):
    module = _fresh_import(target)
    function = getattr(module, target.function, None)
    if not callable(function):
        available = sorted(
            name for name, obj in vars(module).items()
            if callable(obj) and not name.startswith("_") and getattr(obj, "__module__", "") == module.__name__
        )
        raise SnippetError(
            f"{rel(target.path)}: has no function {target.function}() "
            f"(functions defined there: {', '.join(available) or 'none'})"
        )
    try:
        value = function()
    except Exception as exc:
        raise SnippetError(_failure(exc, target, f"{target.function}() raised")) from None
    if isinstance(value, Mapping):
        bad = {k: type(v).__name__ for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)}
        if bad:
            raise SnippetError(
                f"{rel(target.path)}: {target.function}() must map str keys to str values "
                f"(formatted for the page); offending entries: {bad}"
            )
        return dict(value)
    if not isinstance(value, str):
        raise SnippetError(
            f"{rel(target.path)}: {target.function}() returned {type(value).__name__}; display "
            "functions return the text the page shows (format numbers with snippets.display)"
        )
    return value


def _select(target: Target, value):
    if target.key is None:
        if isinstance(value, dict):
            raise SnippetError(
                f"{rel(target.path)}: {target.function}() returns a mapping; "
                f"name an entry, e.g. {target}[{next(iter(value), 'key')}]"
            )
        return value
    if not isinstance(value, dict):
        raise SnippetError(f"{rel(target.path)}: {target.function}() returns text, not a mapping: drop [{target.key}]")
    if target.key not in value:
        raise SnippetError(
            f"{rel(target.path)}: {target.function}() has no entry {target.key!r} "
            f"(entries: {', '.join(sorted(value))})"
        )
    return value[target.key]


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
