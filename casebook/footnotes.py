"""Footnote markers in a row are told apart: references 1 and 3 read "1,3", never "13".

Python-Markdown writes each reference as its own ``<sup>``; two in a row print as one number. A
superscript comma goes between them in the HTML itself, so the screen, the PDF, search and copied
text all read the same. (A CSS sibling rule cannot do it: it also matches two markers with words
between them.)
"""

from __future__ import annotations

import re

_ADJACENT = re.compile(r'(<sup id="fnref[^"]*">(?:(?!</sup>).)*</sup>)(?=<sup id="fnref)', re.S)
SEPARATOR = '<sup class="casebook-fnsep" aria-hidden="true">,</sup>'


def separate_markers(html: str) -> str:
    """``html`` with a superscript comma between directly adjacent footnote references."""
    return _ADJACENT.sub(lambda m: m.group(1) + SEPARATOR, html)
