"""The lab pages' shared stylesheet: nbconvert's CSS moved out of every lab page, cut to what labs use.

mkdocs-jupyter inlines its whole notebook theme into each lab page: JupyterLab's and Blueprint's CSS,
about 590 KB, the same on every lab. The build takes those ``<style>`` blocks out of the page
(:func:`extract`) and writes one file, :data:`STYLESHEET`, which every lab page links from its
``<head>`` (``overrides/main.html``, before the site's own stylesheets): served once, then cached.

The file keeps only what can apply to a lab page (:func:`stylesheet`). A selector is kept when every
class, id and element it names outside a functional pseudo-class occurs in some lab page; a rule with
no selector left goes. A custom property (``--jp-...``) is kept when a kept declaration uses it,
directly or through another property, or the site's own stylesheets do. Pseudo-classes, attribute
selectors and the insides of ``:not()``/``:is()`` never remove a selector, so the cut can keep too
much but never too little: what a lab page shows is styled exactly as by the inline CSS.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError
from casebook.paths import DOCS

STYLESHEET = "assets/labs.css"
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.S)
_WRAPPER_START = '<div class="jupyter-wrapper">'
_WRAPPER_END = "</div> <!-- jupyter-wrapper -->"
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def extract(html: str, page: str) -> tuple[str, list[str]]:
    """The lab's HTML without the notebook theme's ``<style>`` blocks, and those blocks' CSS.

    Only blocks outside the notebook (before its ``jupyter-wrapper`` or after it) are taken: a style
    that an output carries (a DataFrame's, say) stays with it. mkdocs-jupyter also appends the Python
    ``repr`` of a list of CSS strings, which is not CSS and styles nothing; it is dropped.
    """
    start, end = html.find(_WRAPPER_START), html.find(_WRAPPER_END)
    if start < 0 or end < start:
        raise CasebookError(f"{page}: the rendered lab has no jupyter-wrapper (did mkdocs-jupyter change "
                            "its template? casebook/labcss.py expects it)")
    blocks: list[str] = []

    def take(part: str) -> str:
        for css in _STYLE.findall(part):
            if not css.strip().startswith("['"):
                blocks.append(css.strip())
        return _STYLE.sub("", part)

    end += len(_WRAPPER_END)
    return take(html[:start]) + html[start:end] + take(html[end:]), blocks


class _Names(HTMLParser):
    """Every element name, class and id in some HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = {"html", "body"}
        self.classes: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag.lower())
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())
            elif name == "id" and value:
                self.ids.add(value)

    handle_startendtag = handle_starttag


def stylesheet(blocks: list[str], pages: list[str]) -> str:
    """One stylesheet from the labs' CSS ``blocks`` (duplicates once), cut to what ``pages`` use."""
    site_css = sorted((DOCS / "assets").glob("*.css"))
    unique = list(dict.fromkeys(blocks))
    key = cache.digest([Path(__file__), *site_css, *unique, "\n".join(pages)])
    target = cache.cache_dir("labcss") / f"{key}.css"
    if target.is_file():
        return target.read_text(encoding="utf-8")
    import tinycss2

    names = _Names()
    for page in pages:
        names.feed(_STYLE.sub("", page))
    rules = [r for css in unique for r in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)]
    kept = _keep_used_selectors(rules, names)
    used = set(_VAR.findall("\n".join(pages)))
    for path in site_css:
        used.update(_VAR.findall(path.read_text(encoding="utf-8")))
    text = '@charset "UTF-8";\n' + _keep_used_properties(kept, used)
    cache.write_atomic(target, text.encode())
    return text


def _selectors(prelude) -> list[list]:
    out: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            out.append([])
        else:
            out[-1].append(token)
    return out


def _named(selector: list) -> list[tuple[str, str]]:
    """The classes, ids and elements a selector requires (none from inside pseudo-classes)."""
    needs, after, index = [], "start", 0
    while index < len(selector):
        token = selector[index]
        if token.type == "literal" and token.value == "." and index + 1 < len(selector) \
                and selector[index + 1].type == "ident":
            needs.append(("class", selector[index + 1].value))
            index, after = index + 2, "name"
            continue
        if token.type == "literal" and token.value == ":":
            index += 1
            if index < len(selector) and selector[index].type == "literal" and selector[index].value == ":":
                index += 1
            index, after = index + 1, "name"  # the pseudo-class's name or function: never required
            continue
        if token.type == "hash":
            needs.append(("id", token.value))
        elif token.type == "ident" and after in ("start", "space", "combinator"):
            needs.append(("tag", token.value.lower()))
        if token.type == "whitespace":
            after = "space"
        elif token.type == "literal" and token.value in (">", "+", "~"):
            after = "combinator"
        else:
            after = "name"
        index += 1
    return needs


def _keep_used_selectors(rules, names: _Names) -> list:
    import tinycss2

    def present(kind: str, value: str) -> bool:
        return value in {"class": names.classes, "id": names.ids, "tag": names.tags}[kind]

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if all(present(*n) for n in _named(s))]
            if selectors:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
                kept.append(("rule", prelude, rule.content))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _keep_used_selectors(
                tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), names)
            if inner:
                kept.append(("at", f"@{rule.lower_at_keyword} {tinycss2.serialize(rule.prelude).strip()}", inner))
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
            kept.append(("raw", rule.serialize(), None))
    return kept


def _keep_used_properties(kept: list, used: set[str]) -> str:
    import tinycss2

    definitions: dict[str, set[str]] = {}

    def declarations(content):
        return [d for d in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"]

    def scan(items):
        for kind, head, body in items:
            if kind == "rule":
                for d in declarations(body):
                    refs = set(_VAR.findall(tinycss2.serialize(d.value)))
                    if d.name.startswith("--"):
                        definitions.setdefault(d.name, set()).update(refs)
                    else:
                        used.update(refs)
            elif kind == "at":
                scan(body)
            else:
                used.update(_VAR.findall(head))

    scan(kept)
    todo = list(used)
    while todo:
        for ref in definitions.get(todo.pop(), ()):
            if ref not in used:
                used.add(ref)
                todo.append(ref)

    def write(items) -> list[str]:
        out = []
        for kind, head, body in items:
            if kind == "rule":
                kept_declarations = [
                    f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
                    for d in declarations(body)
                    if not d.name.startswith("--") or d.name in used
                ]
                if kept_declarations:
                    out.append(f"{head}{{{';'.join(kept_declarations)}}}")
            elif kind == "at":
                inner = write(body)
                if inner:
                    out.append(f"{head}{{\n{''.join(inner)}}}")
            else:
                out.append(head)
        return out

    return "\n".join(write(kept)) + "\n"
