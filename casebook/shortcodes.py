"""Shortcodes: how a Markdown page shows a figure or a computed result.

    {{ figure: architecture }}     a figure of the page (diagrams/<page>/architecture.py), alone on its line
    {{ table: capacity_table }}    a @table function's Markdown, alone on its line
    {{ value: peak_qps }}          a computed value inside a sentence, linked to the code behind it
    {{ figref: architecture }}     "Figure 2.3", linked: the number of a figure this page shows
    {{ contents: Case studies }}   the pages of a navigation section, linked, with their descriptions
    {{ repository: the repository }}  a link to the project's repository (extra.repository in
                                   mkdocs.yml) with this text; with no text, the address is the text

Names without a module refer to the page's own calculation module and figure folder (the rule is in
``casebook.names``); ``{{ figure: framework/steps }}`` or ``{{ value: kit.house.peak_to_average }}``
reach another page's figure or another module. See ``casebook.snippets`` for what a target can name.

Shortcodes inside fenced code blocks and inline code are left alone, so pages can show the syntax.
Anything that looks like a shortcode but is not one of these fails the build.
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from casebook import figures, live, numbering, snippets
from casebook.errors import CasebookError
from casebook.figures import RenderedFigure

SHORTCODE = re.compile(r"\{\{\s*(?P<kind>[A-Za-z_-]+)\s*:\s*(?P<arg>[^{}]*?)\s*\}\}")
BLOCK_KINDS = ("figure", "table", "contents")
INLINE_KINDS = ("value", "repository", "figref")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Shortcode:
    kind: str
    arg: str
    line: int  # 1-based line in the Markdown handed to the parser
    text: str  # the shortcode as written


def iter_lines(markdown: str) -> Iterator[tuple[int, str, bool]]:
    """``(line number, line, is_code)`` for each line; fenced code blocks are code."""
    fence: str | None = None
    for number, line in enumerate(markdown.split("\n"), start=1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match["fence"]
            yield number, line, True
        elif fence is not None:
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence) \
                    and not line.strip()[len(match["fence"]):].strip():
                fence = None
            yield number, line, True
        else:
            yield number, line, False


def _mask_code_spans(line: str) -> str:
    """The line with inline code replaced by spaces (same length), so offsets still match."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def find(markdown: str) -> list[Shortcode]:
    """Every shortcode in ``markdown`` outside code."""
    found = []
    for number, line, is_code in iter_lines(markdown):
        if is_code:
            continue
        masked = _mask_code_spans(line)
        for match in SHORTCODE.finditer(masked):
            found.append(Shortcode(match["kind"], match["arg"], number, line[match.start():match.end()]))
    return found


@dataclass
class PageContext:
    """What expanding one page needs to know."""

    page_path: str  # e.g. docs/video-recommendation.md, for messages
    src_uri: str  # e.g. video-recommendation.md, for relative links
    line_offset: int  # lines of front matter before the Markdown body
    figure: Callable[[str], RenderedFigure]  # figure id -> rendered figure
    figure_uri: Callable[[str, str], str]  # (figure id, variant) -> site src_uri of the SVG
    source_uri: Callable[[str], str]  # project path such as snippets/x.py -> its source page src_uri
    module: str | None = None  # the page's own calculation module, if it has one
    figures: str = ""  # the page's figure-id prefix (its folder in diagrams/)
    figures_shown: int = 0
    label: numbering.Label | None = None  # the page's chapter or appendix number, if it has one
    figure_numbers: dict[str, str] = field(default_factory=dict)  # figure id -> "2.3", for this page
    code_references: int = 0  # figures and tables whose code the page names
    # nav section title -> [(title, src_uri, description)] of its pages, from the navigation
    contents: Callable[[str], list[tuple[str, str, str]]] = lambda section: []
    footnotes: frozenset[str] = frozenset()  # footnote names the page defines ([^name]: ...)
    repository: str = ""  # the project's repository address (casebook.repository.address)

    def link(self, target_src_uri: str) -> str:
        """A relative Markdown link from this page to another file of the site."""
        start = posixpath.dirname(self.src_uri)
        return posixpath.relpath(target_src_uri, start or ".")


_FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
COLLAPSIBLE_TITLE = re.compile(r"\s*\?\?\?\+?\s")


def expand(markdown: str, context: PageContext) -> str:
    """``markdown`` with every shortcode replaced; all failures reported together."""
    errors: list[str] = []
    out: list[str] = []
    context.footnotes = frozenset(_FOOTNOTE_DEFINITION.findall(markdown))
    # Figures are numbered in the order the page shows them, before anything is expanded, so that a
    # {{ figref: ... }} can name a figure shown further down.
    for found in find(markdown):
        if found.kind == "figure":
            figure_id = _figure_id(found.arg, context)
            if figure_id not in context.figure_numbers:
                context.figure_numbers[figure_id] = numbering.figure_number(context.label,
                                                                            len(context.figure_numbers) + 1)
    for number, line, is_code in iter_lines(markdown):
        if is_code:
            out.append(line)
            continue
        masked = _mask_code_spans(line)
        matches = list(SHORTCODE.finditer(masked))
        if not matches:
            out.append(line)
            continue
        where = f"{context.page_path}:{number + context.line_offset}"
        try:
            out.append(_expand_line(line, matches, context))
        except CasebookError as exc:
            errors.append(f"{where}: {matches[0].group(0).strip()}: {exc}")
    if errors:
        raise CasebookError("\n".join(errors))
    return "\n".join(out) + code_note(context)


def _expand_line(line: str, matches: list[re.Match], context: PageContext) -> str:
    kinds = [m["kind"] for m in matches]
    for kind in kinds:
        if kind not in BLOCK_KINDS + INLINE_KINDS:
            raise CasebookError(
                f"unknown shortcode kind {kind!r} (known: {', '.join(BLOCK_KINDS + INLINE_KINDS)})"
            )
    block = [m for m in matches if m["kind"] in BLOCK_KINDS]
    if block:
        only = block[0]
        if len(matches) > 1 or line[: only.start()].strip() or line[only.end():].strip():
            raise CasebookError(f"a {only['kind']} shortcode must stand alone on its line")
        indent = line[: only.start()]
        render = {"figure": _figure, "table": _table, "contents": _contents}[only["kind"]]
        rendered = render(only["arg"], context)
        return "\n".join(indent + part if part else part for part in rendered.split("\n"))
    # The title of a collapsible block is itself a button: a link inside it would be a control
    # nested in a control, which keyboard and screen-reader users cannot reach. Plain text there.
    linked = not COLLAPSIBLE_TITLE.match(line)
    pieces, last = [], 0
    for match in matches:
        pieces.append(line[last: match.start()])
        expand_inline = {"repository": _repository, "figref": _figref, "value": _value}[match["kind"]]
        pieces.append(expand_inline(match["arg"], context, linked=linked))
        last = match.end()
    pieces.append(line[last:])
    return "".join(pieces)


def _figure_id(arg: str, context: PageContext) -> str:
    """A figure shortcode's argument as a figure id: a bare name is one of the page's own figures."""
    figure_id = arg.strip()
    if "/" not in figure_id and context.figures:
        figure_id = f"{context.figures}/{figure_id}"
    return figure_id


def _figure(figure_id: str, context: PageContext) -> str:
    figure_id = _figure_id(figure_id, context)
    figure = context.figure(figure_id)
    context.figures_shown += 1
    number = context.figure_numbers.get(figure_id) or numbering.figure_number(context.label, context.figures_shown)
    width = round(figure.width * 4 / 3)  # points to CSS pixels
    height = round(figure.height * 4 / 3)
    anchor = figure_anchor(figure.id)
    source = context.link(context.source_uri(f"diagrams/{figure.id}.py"))
    caption = f"Figure {number}. {figure.caption}"
    plain_caption = re.sub(r"[`*]", "", caption)  # the lightbox shows text, not Markdown
    readable = figures.readable_scale(figure)
    # attr_list values: no double quotes or braces.
    attribute = plain_caption.replace('"', "'").replace("{", "(").replace("}", ")")
    alt = _escape_alt(figure.alt)
    images = []
    for variant in ("light", "dark"):
        uri = context.link(context.figure_uri(figure.id, variant))
        # A link to the SVG itself that lightbox.js opens full-screen (the plain link works without it):
        # the natural size, the readable scale and the caption travel with it.
        images.append(
            f'[![{alt}]({uri}#only-{variant}){{ width="{width}" height="{height}" loading="lazy" }}]({uri})'
            f'{{ .casebook-zoom data-variant="{variant}" data-width="{width}" data-height="{height}" '
            f'data-casebook-readable="{readable}" data-caption="{attribute}" }}'
        )
    context.code_references += 1
    # On screen the link says "Source"; on paper it names the file, which a reader can find in the
    # repository without the link (print.css shows one or the other; see _print_reference).
    link_text = (f'<span class="casebook-screen-only">Source</span>'
                 f'{_print_reference(f"Drawn by `diagrams/{figure.id}.py`")}')
    return "\n".join(
        [
            "",
            f'<figure class="casebook-figure" id="{anchor}" markdown="span">',
            "".join(images),
            f'<figcaption markdown="span"><span class="casebook-figure-number">Figure {number}.</span> '
            f'{figure.caption} [{link_text}]({source}){{ .casebook-source-link title="The code that draws this figure" }}'
            "</figcaption>",
            "</figure>",
            "",
        ]
    )


def _figref(arg: str, context: PageContext, *, linked: bool = True) -> str:
    """``Figure 2.3``, linked to the figure: the number of a figure shown on this page."""
    figure_id = _figure_id(arg, context)
    number = context.figure_numbers.get(figure_id)
    if number is None:
        shown = ", ".join(sorted(context.figure_numbers)) or "none"
        raise CasebookError(f"figure {figure_id!r} is not shown on this page (its figures: {shown}); a figref "
                            "names a figure that the page shows with {{ figure: ... }}")
    text = f"Figure {number}"
    return f"[{text}](#{figure_anchor(figure_id)})" if linked else text


def _contents(section: str, context: PageContext) -> str:
    """A list of the section's pages, each linked, with its description when it has one."""
    pages = context.contents(section.strip())
    if not pages:
        raise CasebookError(f"the navigation has no section {section.strip()!r} with pages in it")
    lines = [f"- [{title}]({context.link(uri)})" + (f": {description}" if description else "")
             for title, uri, description in pages]
    return "\n".join(["", *lines, ""])


def _table(arg: str, context: PageContext) -> str:
    target = snippets.parse_target(arg, context.module)
    shown = snippets.evaluate(target)
    if shown.kind != "table":
        raise CasebookError(f"{target.file}: {target.name} is a value: show it with {{{{ value: {arg.strip()} }}}}")
    if not shown.text.strip():
        raise CasebookError(f"{target.file}: {target.name}() returned empty text")
    missing = sorted(set(_FOOTNOTE_REFERENCE.findall(shown.text)) - context.footnotes)
    if missing:
        raise CasebookError(
            f"{target.file}: {target.name} cites footnote(s) {', '.join('[^' + m + ']' for m in missing)} "
            "that this page does not define"
        )
    parts = ["", shown.text.strip("\n"), "", _provenance(target, shown, context), ""]
    if target.name == snippets.ASSUMPTIONS_TABLE and target.module == context.module:
        parts += [live.MARKER, ""]  # the page's own assumptions: the reader may try their own
    return "\n".join(parts)


def _value(arg: str, context: PageContext, *, linked: bool = True) -> str:
    target = snippets.parse_target(arg, context.module)
    shown = snippets.evaluate(target)
    if shown.kind != "value":
        raise CasebookError(f"{target.file}: {target.name} is a table: show it with {{{{ table: {arg.strip()} }}}}")
    if not shown.text.strip() or "\n" in shown.text:
        raise CasebookError(f"{target.file}: {target}: an inline value must be one non-empty line, got {shown.text!r}")
    if not linked:
        return shown.text
    link = context.link(context.source_uri(target.file))
    return (
        f'[{shown.text}]({link}#{shown.anchor} "{_verb(target, shown)} {_code_name(target, shown)} in '
        f'{target.file}"){{ .casebook-value data-casebook="{target}" }}'
    )


def _repository(text: str, context: PageContext, *, linked: bool = True) -> str:
    if not context.repository:
        raise CasebookError("no repository address: set extra.repository in mkdocs.yml (CASEBOOK_REPO_URL)")
    text = text.strip() or context.repository
    return f"[{text}]({context.repository})" if linked else text


def expand_repository(markdown: str, repository: str, where: str = "a lab", line_offset: int = 0) -> str:
    """``markdown`` with its ``{{ repository: ... }}`` shortcodes expanded, and nothing else.

    This is what a lab's Markdown cells may use (a lab is read far from the site, so it has no
    figures or values to link to); any other shortcode there fails, with ``where`` and its line.
    """
    others = [found for found in find(markdown) if found.kind != "repository"]
    if others:
        raise CasebookError(f"{where}:{others[0].line + line_offset}: {others[0].text}: a lab's Markdown may "
                            "only use {{ repository: text }} (a lab is read away from the site)")
    context = PageContext(page_path=where, src_uri="", line_offset=line_offset, figure=_no_figure,
                          figure_uri=lambda figure_id, variant: "", source_uri=lambda path: "",
                          repository=repository)
    return expand(markdown, context)


def _no_figure(figure_id: str) -> RenderedFigure:
    raise CasebookError("a lab shows no figure shortcodes")


def _code_name(target: snippets.Target, shown: snippets.Shown) -> str:
    """How a caption names the code: ``peak_qps()`` for a function, ``Assumptions`` for the class."""
    return shown.anchor + "()" if shown.anchor == target.name else shown.anchor


def _verb(target: snippets.Target, shown: snippets.Shown) -> str:
    return "Computed at build time by" if shown.anchor == target.name else "Assumed in"


def _provenance(target: snippets.Target, shown: snippets.Shown, context: PageContext) -> str:
    link = context.link(context.source_uri(target.file))
    context.code_references += 1
    line = definition_line(target.path, shown.anchor)
    return (
        f'<p class="casebook-provenance" data-casebook="{target}" markdown="span">{_verb(target, shown)} '
        f"[`{_code_name(target, shown)}` in `{target.file}`"
        f"{_print_reference(f', line {line}' if line else '')}]({link}#{shown.anchor})</p>"
    )


def _print_reference(text: str) -> str:
    """``text`` shown in print only (class ``casebook-print-only``): where the code is, as a reader of
    paper finds it in the repository (a path, a line). Hidden from search: the page already says it."""
    return f'<span class="casebook-print-only" data-search-exclude>{text}</span>'


def code_note(context: PageContext) -> str:
    """The printed page's note on where its code paths lead: the repository (extra.repository)."""
    if not context.code_references or not context.repository:
        return ""
    return (
        f'\n\n<p class="casebook-print-only casebook-code-note" data-search-exclude>Every figure and computed '
        f"number on these pages is produced at build time by code in the project's repository, "
        f"{context.repository}: the paths in captions and below tables (such as "
        f"<code>snippets/...py</code>, with a line) name its files.</p>\n"
    )


@functools.cache
def _definitions(path: Path, source: str) -> dict[str, int]:
    tree = ast.parse(source, filename=str(path))
    return {node.name: node.lineno for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def definition_line(path: Path, name: str) -> int | None:
    """The line where ``name`` is defined at the top level of the module at ``path`` (its ``def`` or
    ``class`` line), or None when it is not found there."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        return _definitions(path, source).get(name)
    except SyntaxError:
        return None


def figure_anchor(figure_id: str) -> str:
    """The id of a figure's ``<figure>`` element on its page."""
    return "figure-" + re.sub(r"[^a-z0-9]+", "-", figure_id.lower()).strip("-")


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
