"""Source pages: the code behind every figure and computed number, readable on the site.

Each file in ``snippets/`` and ``diagrams/`` gets a page at ``source/<path>/`` (not in the navigation).
Every top-level function and class gets a heading whose anchor is its name, so a computed value can
link straight to the function that produced it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Sequence
from pathlib import Path

from casebook.paths import ROOT, rel
from casebook.usage import User, link

SECTION = "source"
# Far below prose pages (1): search weighs a title match 1000 times a text match, so at 0.1 a function
# named bonferroni_threshold outranked the section on the Bonferroni correction; at 0.001 a source
# page's title match weighs what a prose page's text match does, and a term's home in the book ranks
# first. A name found nowhere else (bonferroni_threshold) still finds its source page.
SEARCH_BOOST = 0.001


def src_uri(project_path: str) -> str:
    """``snippets/x.py`` -> ``source/snippets/x.md``."""
    return f"{SECTION}/{Path(project_path).with_suffix('.md').as_posix()}"


def page(path: Path, users: Sequence[User] = ()) -> str:
    """The Markdown of the source page for ``path``, listing the ``users`` of its code."""
    stat = path.stat()
    return _page(path, stat.st_mtime_ns, stat.st_size, tuple(users))


@functools.lru_cache(maxsize=1024)  # every build asks for every source page; a preview's save changes few
def _page(path: Path, mtime_ns: int, size: int, users: tuple[User, ...]) -> str:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    lines = text.split("\n")
    name = rel(path)
    # Search finds a function by its name (headings) without code crowding out the prose pages:
    # the pages rank low and their code blocks stay out of the index (casebook.hooks marks them).
    parts = ["---", "search:", f"  boost: {SEARCH_BOOST}", "---", "", f"# `{name}`", ""]
    doc = ast.get_docstring(tree)
    if doc:
        parts += [doc.split("\n\n")[0].strip(), ""]
    parts += [
        '!!! info "Source code"',
        f"    This is `{name}` as it was when this site was built. Pages run it at build time: "
        "every number and figure that cites it comes from this code.",
        "",
    ]
    parts += _used_by(src_uri(name), users)
    definitions = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)]
    cursor = 0
    header_end = definitions[0].lineno - 1 - len(definitions[0].decorator_list) if definitions else len(lines)
    header = "\n".join(lines[cursor:header_end]).strip("\n")
    if header:
        parts += ["## Module", "", _code(header), ""]
    for index, node in enumerate(definitions):
        start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        end = (
            (definitions[index + 1].decorator_list[0].lineno if definitions[index + 1].decorator_list
             else definitions[index + 1].lineno) - 1
            if index + 1 < len(definitions)
            else len(lines)
        )
        kind = "class" if isinstance(node, ast.ClassDef) else "def"
        parts += [
            f"## `{kind} {node.name}` {{ #{node.name} }}",
            "",
            _code("\n".join(lines[start:end]).strip("\n"), first_line=start + 1),
            "",
        ]
    return "\n".join(parts)


_KINDS = {"page": "Page", "figure": "Figure", "lab": "Lab"}


def _used_by(own_uri: str, users: Sequence[User]) -> list[str]:
    """A list of the pages, figures and labs that use this code, each linked where a reader sees it."""
    lines, seen = [], set()
    for user in users:
        if not user.src_uri:
            continue
        target = link(own_uri, user.src_uri) + (f"#{user.anchor}" if user.anchor else "")
        item = f"- {_KINDS[user.kind]}: [`{user.path}`]({target})"
        if item not in seen:
            seen.add(item)
            lines.append(item)
    if not lines:
        return []
    return ["## Used by", "", *lines, ""]


def _code(code: str, first_line: int = 1) -> str:
    fence = "````" if "```" in code else "```"
    return f'{fence} python linenums="{first_line}"\n{code}\n{fence}'


def project_files() -> list[Path]:
    """Every file that gets a source page."""
    files = []
    for folder in ("snippets", "diagrams"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "__init__.py" or any(p.startswith(".") for p in path.parts):
                continue
            files.append(path)
    return files


def exclude_code_from_search(html: str) -> str:
    """The page's HTML with its code blocks marked for search to skip (headings stay searchable).

    The mark sits on each ``<pre>``: Material's search parser loses an exclusion when an element of
    the same tag nests inside the excluded one, and no ``<pre>`` holds another."""
    return html.replace("<pre>", "<pre data-search-exclude>")
