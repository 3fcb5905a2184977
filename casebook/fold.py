"""The fold of a long page: where its first screens end and the rest may be shown a moment later.

A long chapter (thousands of elements: KaTeX's markup, tables, highlighted code) costs a phone's main
thread one long style-and-layout task when the theme's script first reads the page's geometry, and that
task is what kept long pages short of the phone speed target (CONTRIBUTING, "Speed (Lighthouse)").
The page's first top-level ``h2`` that follows at least ``FOLD_CHARS`` characters of text, far below the
first screen on a phone or a desktop, is marked ``casebook-fold``; a lab has no top-level headings (its
notebook is one block), so there the first cell of the notebook after that much text is the fold. While the root element carries
``casebook-progressive`` (set by an inline script in the page's head, so a reader without scripts never
has it), casebook.css hides the fold and everything after it, and casebook.js shows it again a few
hundred elements per frame once the page is parsed, so the layout is paid in many short tasks instead
of one long one. Printing, an address with a fragment and an in-page link show everything at once.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Text (characters) above the fold: about four phone screens and well over a desktop screen.
FOLD_CHARS = 4_000
#: Text below the fold for a fold to be worth it; a shorter page is shown whole at once.
MIN_BELOW = 4_000
CLASS = "casebook-fold"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Headings(HTMLParser):
    """Where a fold may go: top-level h2 start tags, and the cells of a notebook (the children of its
    ``jp-Notebook`` block), each with its offset in the source and the text length before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chars = 0
        self.notebook = -1  # the depth of the notebook's own block, once inside it
        self.found: list[tuple[tuple[int, int], int]] = []  # ((line, column), chars of text before)
        self.cells: list[tuple[tuple[int, int], int]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and self.depth == 0:
            self.found.append((self.getpos(), self.chars))
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and self.notebook >= 0 and self.depth == self.notebook + 1 and "jp-Cell" in classes:
            self.cells.append((self.getpos(), self.chars))
        if tag == "div" and self.notebook < 0 and "jp-Notebook" in classes:
            self.notebook = self.depth
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        self.chars += len(data.strip())


def mark(page_html: str) -> str:
    """The page's HTML with its fold marked (the ``class`` of one top-level ``h2``), or unchanged."""
    if len(page_html) < FOLD_CHARS + MIN_BELOW:  # markup included, too little text for a fold
        return page_html
    parser = _Headings()
    parser.feed(page_html)
    parser.close()
    total = parser.chars
    # The parser counts lines by "\n" only (str.splitlines would also split at \f, \u2028, ...).
    line_starts = [0]
    for line in page_html.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    for (line, column), before in parser.found or parser.cells:
        if before < FOLD_CHARS:
            continue
        if total - before < MIN_BELOW:
            return page_html
        at = line_starts[line - 1] + column
        tag_name = "h2" if parser.found else "div"
        assert page_html.startswith(f"<{tag_name}", at), page_html[at:at + 40]
        end = page_html.index(">", at)
        tag = page_html[at:end]
        if ' class="' in tag:
            marked = tag.replace(' class="', f' class="{CLASS} ', 1)
        else:
            marked = f'<{tag_name} class="{CLASS}"' + tag[len(tag_name) + 1:]
        return page_html[:at] + marked + page_html[end:]
    return page_html
