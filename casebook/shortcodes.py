"""Shortcodes: how a Markdown page shows a figure or a computed result.

    {{ figure: architecture }}     a figure of the page (diagrams/<page>/architecture.py), alone on its line
    {{ table: capacity_table }}    a @table function's Markdown, alone on its line
    {{ value: peak_qps }}          a computed value inside a sentence, linked to the code behind it
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

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from casebook import figures, snippets
from casebook.errors import CasebookError
from casebook.figures import RenderedFigure

SHORTCODE = re.compile(r"\{\{\s*(?P<kind>[A-Za-z_-]+)\s*:\s*(?P<arg>[^{}]*?)\s*\}\}")
BLOCK_KINDS = ("figure", "table", "contents")
INLINE_KINDS = ("value", "repository")
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
    return "\n".join(out)


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
        expand_inline = _repository if match["kind"] == "repository" else _value
        pieces.append(expand_inline(match["arg"], context, linked=linked))
        last = match.end()
    pieces.append(line[last:])
    return "".join(pieces)


def _figure(figure_id: str, context: PageContext) -> str:
    figure_id = figure_id.strip()
    if "/" not in figure_id and context.figures:
        figure_id = f"{context.figures}/{figure_id}"
    figure = context.figure(figure_id)
    context.figures_shown += 1
    number = context.figures_shown
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
    return "\n".join(
        [
            "",
            f'<figure class="casebook-figure" id="{anchor}" markdown="span">',
            "".join(images),
            f'<figcaption markdown="span">{caption} '
            f'[Source]({source}){{ .casebook-source-link title="The code that draws this figure" }}'
            "</figcaption>",
            "</figure>",
            "",
        ]
    )


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
    return "\n".join(["", shown.text.strip("\n"), "", _provenance(target, shown, context), ""])


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
        f'{target.file}"){{ .casebook-value }}'
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
    return (
        f'<p class="casebook-provenance" markdown="span">{_verb(target, shown)} '
        f"[`{_code_name(target, shown)}` in `{target.file}`]({link}#{shown.anchor})</p>"
    )


def figure_anchor(figure_id: str) -> str:
    """The id of a figure's ``<figure>`` element on its page."""
    return "figure-" + re.sub(r"[^a-z0-9]+", "-", figure_id.lower()).strip("-")


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
