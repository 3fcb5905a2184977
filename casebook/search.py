"""What the site's search reads of a page's tables.

Material's search index keeps a section's text without its table markup, so a table of computed
numbers reads in a search preview as a run of figures ("1 5.0% 0.05 5 22.6% 0.01 ..."), and a number
typed into search matches cells out of context. A table cell that holds only a number (digits with
their units, signs and separators) is marked ``data-search-exclude``: the words of a table, its header
and row labels, stay searchable; its figures stay on the page for the reader.

A lab's code and its outputs (printed text, data frames) stay out of the index too: its Markdown is
what explains it, and a preview of code or of a data frame reads as noise. (Material's search parser
compares elements by tag name only, so a mark on a ``<div>`` is lost at the first nested ``</div>``:
the marks sit on ``<pre>`` and ``<table>``, which never nest here.)
"""

from __future__ import annotations

import re

_CELL = re.compile(r"<td(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")
# A number as the book prints one: 3.48B, 5.22 TB, 10%, ~1.2x, -0.4 pp, 2^20, 1,000, 12 ms, 3 days, 9-12 ...
_NUMBER = re.compile(
    r"^[\s~≈<>≤≥+\-−–±$€£(]*"  # leading signs and currency
    r"\d[\d\s.,:/^×x*\-–]*"  # the digits, and ranges such as 9-12
    r"(?:[%‰]|\s*(?:[KMGTPkmµnp]?(?:B|b|s|ms|Hz|W|x|pp|bps|QPS|qps|rps)|min|h|days?|weeks?|th|st|nd|rd|[KMBTk]))?"  # one unit
    r"[\s)]*$"
)


def is_number(text: str) -> bool:
    """True when a cell's text (tags removed) is a number with at most one unit, and nothing else."""
    text = " ".join(text.split())
    return bool(text) and bool(_NUMBER.match(text))


def exclude_number_cells(html: str) -> str:
    """``html`` with every table cell that holds only a number marked for search to skip."""

    def mark(match: re.Match) -> str:
        attrs, body = match["attrs"] or "", match["body"]
        if "data-search-exclude" in attrs or not is_number(_TAG.sub("", body)):
            return match.group(0)
        return f"<td{attrs} data-search-exclude>{body}</td>"

    return _CELL.sub(mark, html)


# Code blocks and printed outputs, data frames, and the hidden copy of each cell's code that
# mkdocs-jupyter keeps for its copy button (a <div> holding only text, so its mark holds).
_LAB_CODE_OR_OUTPUT = re.compile(
    r'<(pre|table class="dataframe"|div class="clipboard-copy-txt")(?=[\s>])(?![^>]*data-search-exclude)'
)


def exclude_lab_code_and_outputs(html: str) -> str:
    """A lab page's HTML with every code block, printed output and data frame marked for search to skip."""
    return _LAB_CODE_OR_OUTPUT.sub(lambda match: f"<{match[1]} data-search-exclude", html)
