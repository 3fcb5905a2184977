"""MkDocs hooks: a thin adapter between MkDocs and the casebook engine.

Each hook parses what MkDocs hands it, delegates to a plain module and turns a
:class:`~casebook.errors.CasebookError` into a :class:`~mkdocs.exceptions.PluginError`, which MkDocs
prints as one clean message (the file and line at fault) without a traceback.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import _populate_page
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data
from mkdocs_jupyter import plugin as jupyter_plugin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs restores sys.path after loading a hook; on_config re-adds it
    sys.path.insert(0, str(ROOT))

from casebook import (  # noqa: E402
    download,
    figures,
    flashcards,
    fold,
    fonts,
    footnotes,
    incremental,
    labcss,
    labplots,
    lightbox,
    live,
    mathtex,
    names,
    notebooks,
    numbering,
    pdf,
    practice,
    repository,
    search,
    shortcodes,
    snippets,
    sourcepages,
    usage,
)
from casebook.errors import CasebookError, describe_exception  # noqa: E402
from casebook.paths import DOCS, rel  # noqa: E402

log = logging.getLogger("mkdocs.hooks.casebook")

KATEX_CSS = "assets/katex/katex.min.css"
_state: dict = {"figures": {}, "shown": set(), "command": "build", "chapters": [], "labels": {}}


def _guarded(hook):
    """Any failure in a hook becomes one clean message naming a file and line, never a traceback.

    A :class:`CasebookError` already names the content at fault. Anything else is a bug in the
    build engine (or an environment problem): report where it happened, so it can be fixed.
    """

    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except PluginError:
            raise
        except CasebookError as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:
            file, line, summary = describe_exception(exc, ROOT)
            where = f"{file}:{line}: " if file else ""
            raise PluginError(f"{where}unexpected error in the build engine ({hook.__name__}): {summary}") from None

    return wrapper


def figure_uri(figure_id: str, variant: str) -> str:
    return f"figures/{figure_id}-{variant}.svg"


def on_startup(command, dirty):
    _state["command"] = command
    # `scripts/serve` runs `mkdocs serve --dirty`: each rebuild renders only the pages whose inputs
    # changed (casebook/incremental.py), which makes MkDocs' own warning about dirty builds untrue.
    _state["incremental"] = command == "serve" and dirty
    if _state["incremental"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())
        incremental.keep_compiled_templates()


class _DirtyWarning(logging.Filter):
    def filter(self, record):
        return "A 'dirty' build is being performed" not in record.getMessage()


def pdfs_wanted() -> bool:
    """PDFs come with the deployable build (`mkdocs build`); the live preview skips them, and
    CASEBOOK_PDF=0 skips them anywhere."""
    return _state["command"] != "serve" and os.environ.get("CASEBOOK_PDF", "1") != "0"


@_guarded
def on_config(config):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    _state["site_dir"] = config["site_dir"]
    # extra.repository, checked; the header shows it by its short name (overrides/partials/header.html)
    _state["repository"] = config["extra"][repository.SETTING] = repository.address(config["extra"])
    config["extra"][repository.SETTING + "_name"] = repository.name(_state["repository"])
    return config


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
@_guarded
def on_files(files, config):
    errors = []
    try:
        _state["figures"] = figures.render_all(figures.discover())
    except CasebookError as exc:
        errors.append(str(exc))
        _state["figures"] = {}
    _state["shown"], _state["page_shown"], _state["page_lab_css"] = set(), {}, {}
    _state["plots"], _state["lab_css"], _state["lab_pages"] = {}, [], []
    for figure in _state["figures"].values():
        for variant in figures.VARIANTS:
            files.append(File.generated(config, figure_uri(figure.id, variant), abs_src_path=str(figure.path(variant))))
    sources = notebooks.discover()
    executed_labs = notebooks.execute_all(sources)
    for source in sources:
        executed = executed_labs[source.name]
        if isinstance(executed, CasebookError):
            errors.append(str(executed))
            continue
        try:
            published = notebooks.publish(source, executed, _state["repository"])
            packed = download.build(source, published, _state["repository"])
            plots = labplots.render(source.name, source.path, published,
                                    functools.partial(notebooks._cell_line, source))
        except CasebookError as exc:
            errors.append(str(exc))
            continue
        _state["plots"][source.name] = plots
        for plot in plots:  # beside the page, like the download, so the page links them by name
            for variant, path in plot.files.items():
                uri = labplots.site_uri(source.name, plot.number, variant, config["use_directory_urls"])
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        # A File rooted in the cache folder, not File.generated: mkdocs-jupyter wraps notebook
        # files in a class that only finds the source path through src_dir.
        folder = published.parents[len(Path(source.src_uri).parts) - 1]
        files.append(File(source.src_uri, str(folder), config["site_dir"], config["use_directory_urls"]))
        # The standalone download, next to the notebook that mkdocs-jupyter copies beside the page.
        files.append(File.generated(config, download.site_uri(source, config["use_directory_urls"]),
                                    abs_src_path=str(packed)))
    _state["usage"] = found = usage.scan()
    for path in sourcepages.project_files():
        try:
            content = sourcepages.page(path, found.users_of_file(path))
        except SyntaxError as exc:
            errors.append(f"{rel(path)}:{exc.lineno}: SyntaxError: {exc.msg}")
            continue
        files.append(File.generated(config, sourcepages.src_uri(rel(path)), content=content))
    try:
        files.append(File.generated(config, KATEX_CSS, content=mathtex.stylesheet()))
        for font in mathtex.font_files():
            files.append(File.generated(config, f"assets/katex/fonts/{font.name}", abs_src_path=str(font)))
    except CasebookError as exc:
        errors.append(str(exc))
    try:
        files.append(File.generated(config, fonts.STYLESHEET, content=fonts.stylesheet()))
        for uri, path in [*fonts.site_files(), *lightbox.site_files(), *live.site_files()]:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        files.append(File.generated(config, live.ARCHIVE, content=live.archive()))
    except CasebookError as exc:
        errors.append(str(exc))
    try:  # a practice page for every case study, made from the chapter (casebook/practice.py)
        for uri, content in practice.pages(config["nav"] or []).items():
            files.append(File.generated(config, uri, content=content))
    except CasebookError as exc:
        errors.append(str(exc))
    # Written after the pages (on_post_build); announced here so that a page can link them.
    for uri in (flashcards.APKG, flashcards.CSV):
        files.append(File.generated(config, uri, content=b""))
    if errors:
        raise PluginError("\n".join(errors))
    return files


@_guarded
def on_page_markdown(markdown, page, config, files):
    src_path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    page_path = rel(src_path) if src_path and src_path.is_relative_to(DOCS) else page.file.src_uri
    offset = 0
    if src_path and src_path.is_file():
        raw = src_path.read_text(encoding="utf-8-sig")
        if raw.endswith(markdown) and len(raw) > len(markdown):
            offset = raw.count("\n", 0, len(raw) - len(markdown))

    def figure(figure_id: str):
        rendered = _state["figures"].get(figure_id)
        if rendered is None:
            raise CasebookError(f"no figure {figure_id!r}: expected a module diagrams/{figure_id}.py")
        _state["shown"].add(figure_id)
        _state["page_shown"].setdefault(page.file.src_uri, set()).add(figure_id)
        return rendered

    own = names.for_page(page.file.src_uri)
    context = shortcodes.PageContext(
        module=own.module if own.module_path.is_file() else None,
        figures=own.figures,
        page_path=page_path,
        src_uri=page.file.src_uri,
        line_offset=offset,
        figure=figure,
        figure_uri=figure_uri,
        source_uri=sourcepages.src_uri,
        contents=nav_contents,
        repository=_state["repository"],
        label=_state["labels"].get(page.file.src_uri),
    )
    if practice.INDEX in markdown:  # the list of practice pages, which are not in the navigation
        markdown = markdown.replace(practice.INDEX, practice.index(config["nav"] or [], page.file.src_uri))
    expanded = shortcodes.expand(markdown, context)
    if live.MARKER in expanded:  # the page's own assumptions table: "Try your own numbers" after it
        targets = [str(snippets.parse_target(code.arg, context.module)) for code in shortcodes.find(markdown)
                   if code.kind in ("value", "table")]
        expanded = expanded.replace(live.MARKER, live.control(
            context.module, getattr(snippets.load(context.module), snippets.ASSUMPTIONS), targets), 1)
    if names.lender(page.file.src_uri):  # a mock interview: turns as collapsibles, phases with their minutes
        page.meta.setdefault("search", {"exclude": True})
        expanded = practice.mock_markdown(expanded, snippets.load(own.module))
    return expanded


def _is_lab(page) -> bool:
    return _is_lab_file(page.file)


def _is_lab_file(file) -> bool:
    return file.src_uri.startswith(notebooks.SECTION + "/") and file.src_uri.endswith(".ipynb")


@_guarded
def on_page_content(html, page, config, files):
    src_path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    page_path = rel(src_path) if src_path else page.file.src_uri
    # Lines are reported in the file as written (shortcode expansions add lines to page.markdown).
    source = src_path.read_text(encoding="utf-8-sig") if src_path and src_path.is_file() and src_path.suffix == ".md" \
        else page.markdown
    html = footnotes.separate_markers(mathtex.render_page_math(html, page_path, source))
    if mathtex.uses_math(html):
        page.meta["casebook_katex_css"] = KATEX_CSS  # linked by overrides/main.html: only pages with math wait for it
    html = search.exclude_number_cells(html)
    if page.file.src_uri.startswith(sourcepages.SECTION + "/"):
        html = sourcepages.exclude_code_from_search(html)
    label = _state["labels"].get(page.file.src_uri)
    if label:
        html, numbers = numbering.number_headings(html, label, sections=page.meta.get("section_numbers", True) is not False)
        numbering.number_toc(page.toc, numbers)
    if _is_lab(page):
        page.meta.setdefault("search", {}).setdefault("boost", notebooks.SEARCH_BOOST)
        html = search.exclude_lab_code_and_outputs(html)
        name = Path(page.file.src_uri).name
        stem = Path(name).stem
        packed = download.filename(notebooks.NotebookSource(stem, Path(name)))
        lab = f"notebooks/{stem}.py"
        html, styles = labcss.extract(html, lab)
        _state["lab_css"].extend(styles)  # one shared stylesheet instead (on_post_build)
        _state["page_lab_css"][page.file.src_uri] = styles
        html = notebooks.clean_rendered_html(html, lab, _state["plots"].get(stem, []), stem)
        download_links = (
            f'<p class="casebook-download"><a class="md-button md-button--primary" href="{packed}" download>'
            f"Download the lab ({packed})</a> or only "
            f'<a href="{name}" download>the notebook ({name})</a></p>\n'
        )
        # Under the lab's title, so that a reader (and a screen reader) meets the title first: the
        # title moves out of the notebook's first cell to the top of the page, the links under it.
        # (Inside the cell, the links widened the notebook on a phone and narrowed every code cell.)
        title = re.search(r"<h1\b.*?</h1>", html, re.S)
        if title:
            html = html[:title.start()] + html[title.end():]
        heading = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", title.group(0)) if title else ""
        html = (heading + "\n" if heading else "") + download_links + html
    return fold.mark(html)  # a long page's later sections are shown after its first screens


@_guarded
def on_nav(nav, config, files):
    """Every page in the navigation gets a PDF and goes in the book; chapters and appendices get their
    numbers from their place in the navigation (casebook/numbering.py)."""
    _state["labels"] = labels = numbering.plan(nav.items, config["extra"].get(numbering.SETTING))
    chapters = []
    for page in nav.pages:
        if page.is_homepage:
            continue
        section = page.parent.title if page.parent else ""
        label = labels.get(page.file.src_uri)
        chapters.append(pdf.Chapter(url=page.url, title=page.title, pdf=pdf.pdf_uri(page.file.src_uri),
                                    section=section, label=label.name if label else "",
                                    number=label.number if label else ""))
    # Each case study's cheat sheet gets a one-page PDF of its own, outside the book.
    sheets = {uri: pdf.pdf_uri(uri) for _, uri in practice.cheat_sheets(config["nav"] or [])}
    for chapter, uri in practice.cheat_sheets(config["nav"] or []):
        sheet = files.get_file_from_path(uri)
        if sheet is not None:
            chapters.append(pdf.Chapter(url=sheet.url, title=f"Cheat sheet: {chapter.title}", pdf=sheets[uri],
                                        in_book=False))
    _state["cheat_sheets"] = sheets
    _state["chapters"] = chapters
    _state["nav"] = nav
    # The flashcards' pages: every chapter and appendix (their follow-up questions) and the glossary.
    _state["card_pages"] = [
        flashcards.PageInput(page.title, Path(config["site_dir"]) / page.file.dest_uri, page.url,
                             glossary=page.file.src_uri == flashcards.GLOSSARY)
        for page in nav.pages if labels.get(page.file.src_uri) or page.file.src_uri == flashcards.GLOSSARY]
    if _state.get("incremental"):
        _plan_rebuild(nav, files, config)
    return nav


def _plan_rebuild(nav, files, config):
    """Mark each documentation page modified or not by its key (casebook/incremental.py)."""
    built = incremental.site(config["site_dir"])
    common = incremental.global_key(nav, _state["labels"], files, _state["command"])
    figure_of = _state["figures"].get
    module_key = functools.cache(snippets.cache_key)
    built.keys, built.rebuilt, built.order = {}, set(), []
    for file in files.documentation_pages():
        extra = None
        if _is_lab_file(file):
            stem = Path(file.src_uri).stem
            extra = [repr(plot) for plot in _state["plots"].get(stem, [])]
        key = incremental.page_key(file, common, content=file.content_bytes, figure_of=figure_of,
                                   contents=_contents_or_error, module_key=module_key, extra=extra)
        built.keys[file.src_uri] = key
        built.order.append(file.src_uri)
        record = built.records.get(file.src_uri)
        modified = record is None or record.key != key or not Path(file.abs_dest_path).is_file()
        file.is_modified = (lambda value: lambda: value)(modified)
        if modified:
            built.rebuilt.add(file.src_uri)


def _contents_or_error(section: str):
    try:
        return nav_contents(section)
    except CasebookError as exc:
        return repr(exc)


def nav_contents(section: str) -> list[tuple[str, str, str]]:
    """``(title, src_uri, description)`` of the pages under the nav section titled ``section``.

    The description is the page's front-matter ``description`` (Markdown pages only)."""
    def find(items):
        for item in items:
            if item.is_section:
                if item.title == section:
                    return item.children
                found = find(item.children)
                if found is not None:
                    return found
        return None

    children = find(_state["nav"].items) if _state.get("nav") else None
    out = []
    for child in children or []:
        if child.is_page:
            description = ""
            if child.file.src_uri.endswith(".md") and child.file.abs_src_path:
                _, meta = get_data(Path(child.file.abs_src_path).read_text(encoding="utf-8-sig"))
                description = str(meta.get("description", "")).strip()
                if not description:
                    raise CasebookError(
                        f"{rel(child.file.abs_src_path)}:1: listed in '{section}' but has no front-matter "
                        "`description:` (a quoted one-sentence summary) to show there"
                    )
            out.append((child.title or child.file.name, child.file.src_uri, description))
    return out


def on_page_context(context, page, config, nav):
    if _is_lab(page):
        page.meta["casebook_lab_css"] = labcss.STYLESHEET  # linked in <head> by overrides/main.html
    if page.file.src_uri and page.title:
        address = (config["site_url"] or "").rstrip("/") + "/" + page.url  # a path when there is no site_url
        page.meta["casebook_issue"] = repository.new_issue_url(_state["repository"], page.title, address,
                                                              page.file.src_uri)
    if pdfs_wanted() and page.file.src_uri in _state.get("cheat_sheets", {}):
        page.meta["casebook_pdf"], page.meta["casebook_pdf_label"] = _state["cheat_sheets"][page.file.src_uri], "Download PDF"
    if pdfs_wanted() and page.file.src_uri and nav and page in nav.pages:
        if page.is_homepage:
            page.meta["casebook_pdf"], page.meta["casebook_pdf_label"] = pdf.BOOK_PDF, "Download the book (PDF)"
        else:
            page.meta["casebook_pdf"], page.meta["casebook_pdf_label"] = pdf.pdf_uri(page.file.src_uri), "Download PDF"
    return context


@_guarded
def on_env(env, config, files):
    if _state.get("incremental"):
        _restore_skipped(config, files)
    return env


def _restore_skipped(config, files):
    """Give each page that this build skips what the rest of the build reads from it, as recorded
    when it was last built; if a page's title changed, render every page (the navigation shows them)."""
    built = incremental.site(config["site_dir"])
    pages = [files.get_file_from_path(uri).page for uri in built.order]
    for page in pages:
        uri = page.file.src_uri
        if uri in built.rebuilt:
            continue
        record = built.records[uri]
        page.meta = copy.deepcopy(record.meta)
        page.title = record.title
        page.present_anchor_ids = set(record.anchors) if record.anchors is not None else None
        page.links_to_anchors = {target: dict(links) for uri_, links in record.links.items()
                                 if (target := files.get_file_from_path(uri_)) is not None}
    titles = {page.file.src_uri: page.title for page in pages}
    if built.titles is not None and titles != built.titles:  # the navigation of every page changes
        for page in pages:
            if page.file.src_uri not in built.rebuilt:
                _populate_page(page, config, files)
                page.file.is_modified = lambda: True
                built.rebuilt.add(page.file.src_uri)
        titles = {page.file.src_uri: page.title for page in pages}
    built.titles = titles
    # Search: the index lists every page, in the order a full build adds them.
    index = config.plugins["material/search"].search_index
    generate = index.generate_search_index

    def merged(previous):
        fresh: dict[str, list] = {}
        by_url = {page.url: page.file.src_uri for page in pages}
        for entry in index.entries:
            fresh.setdefault(by_url.get(entry["location"].split("#", 1)[0]), []).append(entry)
        for uri in built.rebuilt:
            built.records[uri].search = fresh.get(uri, [])
        index.entries = [entry for uri in built.order for entry in built.records[uri].search]
        return generate(None)

    index.generate_search_index = merged
    # mkdocs-jupyter forgets the HTML of every lab it did not convert in this build; keep the skipped ones.
    jupyter = config.plugins["mkdocs-jupyter"]
    for page in pages:
        if _is_lab(page) and page.file.src_uri not in built.rebuilt and jupyter.config["cache"]:
            key = jupyter_plugin._compute_cache_key(page.file.abs_src_path, jupyter.config, jupyter.config["execute"])
            jupyter._used_cache_paths.add(jupyter_plugin._get_cache_path(jupyter.config["cache_dir"], key))


def on_post_page(output, page, config):
    if _is_lab(page):
        _state["lab_pages"].append(output)  # what the shared stylesheet is cut to
    if _state.get("incremental"):
        uri = page.file.src_uri
        built = incremental.site(config["site_dir"])
        built.records[uri] = incremental.Record(
            key=built.keys[uri],
            dest=page.file.abs_dest_path,
            title=page.title,
            meta=copy.deepcopy(page.meta),
            anchors=set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
            links={target.src_uri: dict(links) for target, links in (page.links_to_anchors or {}).items()},
            shown=set(_state["page_shown"].get(uri, ())),
            lab_styles=list(_state["page_lab_css"].get(uri, [])),
            lab_output=output if _is_lab(page) else None,
        )
    return output


def on_serve(server, config, builder):
    if _state.get("incremental"):
        incremental.watch_closely(server)
    return server


def on_build_error(error):
    if _state.get("site_dir"):
        incremental.forget(_state["site_dir"])  # the next build is a full one


@event_priority(-100)  # after every plugin has written its files
@_guarded
def on_post_build(config):
    shown = _state["shown"]
    if _state.get("incremental"):  # the skipped pages' part, as recorded when they were built
        built = incremental.site(config["site_dir"])
        incremental.remove_stale(built, Path(config["site_dir"]).resolve())
        records = [built.records[uri] for uri in built.order]
        shown = set().union(*(record.shown for record in records))
        if _state.get("lab_pages"):
            labs = [record for record in records if record.lab_output is not None]
            _state["lab_css"] = [style for record in labs for style in record.lab_styles]
            _state["lab_pages"] = [record.lab_output for record in labs]
    if _state.get("lab_pages"):  # before the PDFs, which print the lab pages with it
        target = Path(config["site_dir"]) / labcss.STYLESHEET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(labcss.stylesheet(_state["lab_css"], _state["lab_pages"]), encoding="utf-8")
    cards = flashcards.write(Path(config["site_dir"]), _state.get("card_pages", []), config["site_url"] or "")
    log.info(f"casebook: {len(cards)} flashcards in {flashcards.APKG} and {flashcards.CSV}")
    if pdfs_wanted():
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        commit, committed = _commit()
        book = pdf.Book(
            title=config["site_name"],
            subtitle=config["site_description"] or "",
            rights=config["copyright"] or "",
            pdf=pdf.BOOK_PDF,
            site_url=config["site_url"] or "",
            repository=_state["repository"],
            epoch=int(epoch) if epoch else None,
            commit=commit,
            edition_epoch=int(epoch) if epoch else committed,
        )
        report = pdf.make_all(Path(config["site_dir"]), _state["chapters"], book)
        log.info(f"casebook: {report.summary()}")
    for problem in usage.unused(_state["usage"]):
        log.warning(problem)
    unused = sorted(set(_state["figures"]) - shown)
    for figure_id in unused:
        log.warning(f"diagrams/{figure_id}.py: the figure is not shown on any page")


def _commit() -> tuple[str, int | None]:
    """The short commit the site is built from and its time (CASEBOOK_COMMIT, else git), or ("", None)
    outside a checkout."""
    if os.environ.get("CASEBOOK_COMMIT"):
        return os.environ["CASEBOOK_COMMIT"][:12], None
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%h %ct", "--abbrev=12"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "", None
    if result.returncode != 0 or not result.stdout.strip():
        return "", None
    commit, time = result.stdout.split()
    return commit, int(time)


def on_shutdown():
    mathtex.close()
