"""A page's numbers for assumptions a reader chose: the same code, run again (issue 24).

The site's "Try your own numbers" control runs this module in the reader's browser (Pyodide, a
WebAssembly CPython): it sets :data:`snippets.kit.assume.OVERRIDES`, imports the page's calculation
module afresh so that every module-level number follows, and shows each value and table the page
shows, formatted exactly as the build formats it. ``casebook/live.py`` describes a page's inputs when
the site is built, and ``tests/test_live.py`` checks the browser's text against this module run by
CPython, for random assumptions.

Only the standard library and the kit are imported here, so the browser needs nothing else.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import sys
from typing import Any

PACKAGE = "snippets"
#: Modules that stay imported across recomputations: the overrides live in ``assume``.
KEEP = ("snippets", "snippets.kit", "snippets.kit.assume", "snippets.kit.display", "snippets.kit.live")


def _fresh(module: str):
    for name in [n for n in sys.modules if (n == PACKAGE or n.startswith(PACKAGE + ".")) and n not in KEEP]:
        del sys.modules[name]
    importlib.invalidate_caches()
    return importlib.import_module(f"{PACKAGE}.{module}")


def _argument(key: str) -> int | float | str:
    for kind in (int, float):
        try:
            return kind(key)
        except ValueError:
            pass
    return key


def _parse(target: str) -> tuple[str, str, str | None]:
    """``module.name[key]`` -> (module, name, key); the module is everything before the last dot."""
    key = None
    if target.endswith("]"):
        target, key = target[:-1].split("[", 1)
    module, name = target.rsplit(".", 1)
    return module, name, key


def show(module_obj: Any, name: str, key: str | None) -> tuple[str, str]:
    """(kind, text) of one target of a loaded module, as the build shows it (casebook/snippets.py)."""
    from snippets.kit import assume, show as marks

    assumptions = getattr(module_obj, "ASSUMPTIONS", None)
    fields = {f.name for f in dataclasses.fields(assumptions)} if dataclasses.is_dataclass(assumptions) else set()
    if name == "assumptions" and not hasattr(module_obj, name):
        return "table", assume.assumptions_table(assumptions)
    if name in fields:
        return "value", assume.formatted(assumptions, name)
    obj = getattr(module_obj, name)
    if marks.kind(obj) == "table":
        return "table", obj()
    return "value", marks.shown(obj, *([] if key is None else [_argument(key)]))


def fields(assumptions: Any) -> list[dict[str, Any]]:
    """The inputs of a page: each numeric assumption of its module with its label, value and bounds."""
    from snippets.kit import assume

    found = []
    for name, value, declared in assume.declarations(assumptions):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            continue
        shown = declared.fmt(value)
        share = shown.endswith("%") and 0 <= value <= 1
        quantile = shown[:1] == "p" and shown[1:2].isdigit() and 0 < value < 1  # "p99": a probability
        found.append({
            "name": name,
            "label": declared.label,
            "value": value,
            "integer": isinstance(value, int),
            "percent": share,  # edited as a percentage, stored as a fraction
            "min": 0,
            "max": 1 if share or quantile else None,
            "shown": shown,
        })
    return found


def recompute(module: str, chosen: dict[str, Any], targets: list[str]) -> dict[str, Any]:
    """Every target's ``[kind, text]`` with the page module's assumptions ``chosen`` (field -> value).

    Returns ``{"shown": {target: [kind, text]}, "assumptions": {field: text}}``, or
    ``{"error": message}`` when the chosen values are outside what the arithmetic accepts (the
    message is the kit's own ``ValueError``: it names the argument and the value).
    """
    from snippets.kit import assume

    labels = {}
    try:
        own = _fresh(module)
        labels = {name: declared.label for name, _, declared in assume.declarations(own.ASSUMPTIONS)}
        unknown = sorted(set(chosen) - set(labels))
        if unknown:
            return {"error": f"no assumption {', '.join(unknown)} in snippets/{module}.py"}
        assume.OVERRIDES.clear()
        assume.OVERRIDES[f"{PACKAGE}.{module}"] = {labels[name]: value for name, value in chosen.items()}
        loaded = {module: _fresh(module)}
        shown, unavailable = {}, []
        for target in targets:
            owner, name, key = _parse(target)
            try:
                if owner not in loaded:
                    loaded[owner] = importlib.import_module(f"{PACKAGE}.{owner}")
                shown[target] = list(show(loaded[owner], name, key))
            except ModuleNotFoundError:  # a number computed with a library the browser lacks (NumPy)
                unavailable.append(target)
        mine = loaded[module].ASSUMPTIONS
        return {"shown": shown, "unavailable": unavailable,
                "assumptions": {name: assume.formatted(mine, name) for name in labels}}
    except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
        return {"error": _readable(exc)}
    finally:
        assume.OVERRIDES.clear()


def _readable(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"The arithmetic does not accept these numbers: {text}"
