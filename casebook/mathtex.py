"""Math: TeX rendered to HTML by KaTeX at build time, so pages need no script and no CDN.

``pymdownx.arithmatex`` (generic mode) marks math in the HTML as ``<span class="arithmatex">\\(...\\)``
and ``<div class="arithmatex">\\[...\\]</div>``; :func:`render_page_math` replaces each with KaTeX's
HTML (plus MathML for screen readers). Invalid TeX raises :class:`CasebookError` naming the page,
the line of the formula in its Markdown source and KaTeX's message.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError
from casebook.paths import ROOT

KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
_SCRIPT = Path(__file__).with_name("katex_render.mjs")
_MATH = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<block>.*?)\\\]</div>',
    re.S,
)


class _Katex:
    """One long-lived ``node`` process; a request is a batch of formulas (one page)."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise CasebookError("Node.js is not installed (no `node` on PATH); run scripts/setup")
        if not (KATEX_DIST / "katex.mjs").is_file():
            raise CasebookError("KaTeX is not installed (node_modules/katex); run scripts/setup")
        return subprocess.Popen(
            [node, str(_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            request = {"formulas": [{"tex": tex, "display": display} for tex, display in formulas]}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise CasebookError("the KaTeX renderer (casebook/katex_render.mjs) stopped unexpectedly")
        reply = json.loads(line)
        if "fatal" in reply:
            raise CasebookError(f"casebook/katex_render.mjs: {reply['fatal']}")
        return reply["results"]

    def close(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=5)
        self._process = None


_KATEX = _Katex()
atexit.register(_KATEX.close)


def render_page_math(content: str, page_path: str, markdown_source: str | None = None) -> str:
    """Replace arithmatex placeholders in ``content`` (a page's HTML) with KaTeX HTML."""
    matches = list(_MATH.finditer(content))
    if not matches:
        return content
    formulas = []
    for match in matches:
        display = match.group("block") is not None
        tex = html.unescape(match.group("block") if display else match.group("inline"))
        formulas.append((tex.strip(), display))
    results = _render_cached(formulas)
    errors = []
    for (tex, _), result in zip(formulas, results, strict=True):
        if "error" in result:
            line = _line_of(tex, markdown_source)
            where = page_path + (f":{line}" if line else "")
            errors.append(f"{where}: invalid TeX `{tex}`: {result['error']}")
    if errors:
        raise CasebookError("\n".join(errors))
    rendered = iter(results)
    return _MATH.sub(lambda m: _wrap(next(rendered)["html"], m.group("block") is not None), content)


def _render_cached(formulas: list[tuple[str, bool]]) -> list[dict]:
    """KaTeX's results for one page's formulas, from the build cache while they and KaTeX are
    unchanged: a warm build whose math did not change starts no Node process."""
    key = cache.digest([json.dumps(formulas), KATEX_DIST.parent / "package.json", _SCRIPT])
    path = cache.cache_dir("math") / f"{key}.json"
    results = cache.read_json(path)
    if results is None:
        results = _KATEX.render(formulas)
        if not any("error" in result for result in results):
            cache.write_json(path, results)
    return results


def _wrap(katex_html: str, display: bool) -> str:
    tag = "div" if display else "span"
    return f'<{tag} class="casebook-math">{_searchable_once(katex_html)}</{tag}>'


def _searchable_once(katex_html: str) -> str:
    """KaTeX writes each formula three times: MathML, its TeX source inside it, and the drawn
    glyphs. Search indexes only the glyphs' text, so a preview does not show a formula three times
    over. (The exclusion sits on the ``<math>`` element because Material's search parser loses an
    exclusion when an element of the same tag nests inside the excluded one, as spans do.)"""
    return katex_html.replace("<math ", "<math data-search-exclude ", 1)


def _line_of(tex: str, markdown_source: str | None) -> int | None:
    """The line of the page's Markdown where ``tex`` first appears (best effort)."""
    if not markdown_source:
        return None
    needle = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    index = markdown_source.find(needle) if needle else -1
    return markdown_source.count("\n", 0, index) + 1 if index >= 0 else None


def stylesheet() -> str:
    """KaTeX's stylesheet with only the WOFF2 fonts referenced (every current browser reads them)."""
    css_path = KATEX_DIST / "katex.min.css"
    if not css_path.is_file():
        raise CasebookError("KaTeX is not installed (node_modules/katex); run scripts/setup")
    css = css_path.read_text(encoding="utf-8")
    return re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)


def uses_math(html: str) -> bool:
    """Whether a rendered page holds KaTeX's markup, so needs its stylesheet (and, through it, its fonts).
    Code cannot match: in a code block the quotes are escaped."""
    return 'class="katex' in html


def font_files() -> list[Path]:
    return sorted((KATEX_DIST / "fonts").glob("*.woff2"))


def close() -> None:
    """Stop the KaTeX process (MkDocs calls this when a build or serve session ends)."""
    _KATEX.close()
