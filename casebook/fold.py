"""The fold of a long page: where its first screens end and the rest may be shown a moment later.

A long chapter (thousands of elements: KaTeX's markup, tables, highlighted code) costs a phone's main
thread one long style-and-layout task when the theme's script first reads the page's geometry, and that
task is what kept long pages short of the phone speed target (CONTRIBUTING, "Speed (Lighthouse)").
The page's first top-level ``h2`` that follows at least ``FOLD_CHARS`` characters of text, far below the
first screen on a phone or a desktop, is marked ``casebook-fold``. While the root element carries
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
    """Top-level h2 start tags (their offsets in the source) and the text length before each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chars = 0
        self.found: list[tuple[tuple[int, int], int]] = []  # ((line, column), chars of text before)

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and self.depth == 0:
            self.found.append((self.getpos(), self.chars))
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
    for (line, column), before in parser.found:
        if before < FOLD_CHARS:
            continue
        if total - before < MIN_BELOW:
            return page_html
        at = line_starts[line - 1] + column
        assert page_html.startswith("<h2", at), page_html[at:at + 40]
        end = page_html.index(">", at)
        tag = page_html[at:end]
        if ' class="' in tag:
            marked = tag.replace(' class="', f' class="{CLASS} ', 1)
        else:
            marked = f'<h2 class="{CLASS}"' + tag[3:]
        return page_html[:at] + marked + page_html[end:]
    return page_html
