"""The live preview rebuilds only the pages whose inputs changed (``mkdocs serve --dirty``).

MkDocs' own dirty mode decides by file times alone, so it would keep serving a page whose figure,
calculation or navigation changed, and it leaves the search index, the anchors that links are checked
against and the build engine's whole-site outputs with only the pages it rebuilt. Here a page is
rebuilt when its **key** changed since the build that wrote it:

- what every page shows: ``mkdocs.yml``, the theme overrides, the build engine's own code, the
  navigation (titles, addresses, chapter numbers) and the list of files in the site;
- the page's own source (for a lab, the executed notebook and its plots; for a generated source
  page, its generated Markdown);
- what its shortcodes read: the cache key of every calculation module a ``value`` or ``table``
  names (which covers the modules it imports), every figure it shows or refers to, and the pages a
  ``contents`` list describes.

A skipped page gets back what the rest of the build reads from it (its metadata, its anchors and the
links it makes, its search entries, the figures it shows, a lab's styles), recorded when it was last
built, so that the site after an edit is the site a full build would make: ``tests/test_incremental.py``
compares them file by file. Anything unexpected (a failed build, a new site folder) forgets every record,
and the next build is a full one.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from casebook import names, shortcodes, snippets
from casebook.errors import CasebookError
from casebook.paths import ROOT

log = logging.getLogger("mkdocs.hooks.casebook")

# What every page's HTML may depend on besides its own inputs: the site's configuration, the theme's
# templates and the engine that writes the HTML.
GLOBAL_INPUTS = ("mkdocs.yml", "overrides", "casebook")
ENVIRONMENT = ("CASEBOOK_SITE_URL", "CASEBOOK_REPO_URL", "CASEBOOK_PDF", "SOURCE_DATE_EPOCH", "CASEBOOK_COMMIT")


@dataclass
class Record:
    """What the build read from one page the last time it was built."""

    key: str
    dest: str = ""  # the HTML file written
    title: str | None = None
    meta: dict = field(default_factory=dict)
    anchors: set[str] | None = None
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # target src_uri -> {anchor: link}
    search: list[dict] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)  # figure ids
    lab_styles: list = field(default_factory=list)
    lab_output: str | None = None


@dataclass
class Site:
    """The records of one site folder (one ``mkdocs serve``), and the current build's decisions."""

    records: dict[str, Record] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # this build: src_uri -> key
    rebuilt: set[str] = field(default_factory=set)  # this build: pages rendered anew
    order: list[str] = field(default_factory=list)  # this build: documentation pages in build order
    titles: dict[str, str | None] | None = None  # every page's title after the last build


_sites: dict[str, Site] = {}


def site(site_dir: str) -> Site:
    return _sites.setdefault(os.path.realpath(site_dir), Site())


def forget(site_dir: str) -> None:
    """Drop every record: the next build of this folder is a full one."""
    _sites.pop(os.path.realpath(site_dir), None)


def _hash(*parts: object) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode()
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()[:32]


_file_digests: dict[str, tuple[tuple[int, int], str]] = {}


def file_digest(path: Path) -> str:
    """The content hash of ``path``, memoised on its modification time and size."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _file_digests.get(str(path))
    if known and known[0] == stamp:
        return known[1]
    value = _hash(path.read_bytes())
    _file_digests[str(path)] = (stamp, value)
    return value


def _tree_digest(path: Path) -> list[tuple[str, str]]:
    if path.is_file():
        return [(path.name, file_digest(path))]
    if not path.is_dir():
        return []
    return [(str(item.relative_to(path)), file_digest(item)) for item in sorted(path.rglob("*"))
            if item.is_file() and "__pycache__" not in item.parts]


def global_key(nav, labels: dict, files, command: str) -> str:
    """What every page shows besides its own content."""
    def walk(items):
        out = []
        for item in items:
            url = getattr(item, "url", None)
            src = item.file.src_uri if getattr(item, "file", None) is not None else None
            out.append((type(item).__name__, item.title, url, src, walk(item.children) if item.children else None))
        return out

    return _hash(
        [(name, _tree_digest(ROOT / name)) for name in GLOBAL_INPUTS],
        [(name, os.environ.get(name)) for name in ENVIRONMENT],
        command,
        walk(nav.items),
        sorted((uri, repr(label)) for uri, label in labels.items()),
        sorted(file.src_uri for file in files),
    )


def page_key(file, global_part: str, *, content: bytes, figure_of, contents, module_key, extra: object = None) -> str:
    """A page's key: the global part, its source and what its shortcodes read (see the module's doc).

    A shortcode that cannot be resolved makes the key unique, so the page is rebuilt and its error shown.
    """
    own = names.for_page(file.src_uri)
    module = own.module if own.module_path.is_file() else None
    reads = []
    if file.src_uri.endswith(".md"):
        text = content.decode("utf-8-sig", errors="replace")
        for found in _shortcodes(text):
            try:
                if found.kind in ("value", "table"):
                    target = snippets.parse_target(found.arg, module)
                    reads.append((found.kind, found.arg, module_key(target.module)))
                elif found.kind in ("figure", "figref"):
                    figure_id = found.arg.strip()
                    if "/" not in figure_id and own.figures:
                        figure_id = f"{own.figures}/{figure_id}"
                    reads.append((found.kind, figure_id, repr(figure_of(figure_id))))
                elif found.kind == "contents":
                    reads.append((found.kind, found.arg, contents(found.arg.strip())))
            except (CasebookError, OSError, KeyError, ValueError) as exc:
                reads.append(("error", found.text, repr(exc), os.urandom(8)))
    return _hash(global_part, file.src_uri, content, reads, extra)


def remove_stale(built: Site, site_dir: Path) -> list[str]:
    """Delete the HTML of pages that are gone since they were built (a full build would not have it)."""
    gone = sorted(set(built.records) - set(built.order))
    for uri in gone:
        dest = Path(built.records.pop(uri).dest).resolve()
        dest.unlink(missing_ok=True)
        folder = dest.parent
        while folder != site_dir and folder.is_relative_to(site_dir) and not any(folder.iterdir()):
            folder.rmdir()  # and the folders that held only it
            folder = folder.parent
    return gone


class TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates, kept for the life of the process: MkDocs makes a new template
    environment for every build, which would compile every template again. Jinja checks each
    entry against its template's source, so an edited template is compiled anew."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()


def keep_compiled_templates() -> None:
    """Every template environment the theme makes from now on shares :data:`TEMPLATES`."""
    from mkdocs.theme import Theme

    if getattr(Theme.get_env, "_casebook", False):
        return
    original = Theme.get_env

    def get_env(self):
        env = original(self)
        env.bytecode_cache = TEMPLATES
        if isinstance(env.loader, jinja2.FileSystemLoader):
            env.loader.list_templates = functools.partial(_list_templates, env.loader)
        return env

    get_env._casebook = True
    Theme.get_env = get_env


POLL_SECONDS = 0.1  # how often the preview looks for saved files (MkDocs: 0.5 s)


def watch_closely(server) -> None:
    """Look for saved files every :data:`POLL_SECONDS` instead of every half second, which was half
    of a save's budget on average. MkDocs polls rather than asking the system for file events, which
    works on every file system; so does this (a poll of the watched folders takes about a millisecond).
    The paths watched so far move to the new observer; those added later go to it directly."""
    from watchdog.observers.polling import PollingObserver

    watched = dict(server._watched_paths)
    for path in list(watched):
        server.observer.unschedule(server._watch_refs.pop(path))
    server._watched_paths.clear()
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path, count in watched.items():
        server.watch(path)
        server._watched_paths[path] = count


def _list_templates(loader: jinja2.FileSystemLoader) -> list[str]:
    """What ``loader.list_templates()`` returns, with installed themes' folders listed once per process
    (MkDocs lists every theme file on every build); the project's own folders are listed each time."""
    found: set[str] = set()
    for searchpath in loader.searchpath:
        if Path(searchpath).resolve().is_relative_to(Path(sys.prefix).resolve()):
            found.update(_installed_templates(searchpath, loader.followlinks))
        else:
            found.update(jinja2.FileSystemLoader([searchpath], followlinks=loader.followlinks).list_templates())
    return sorted(found)


@functools.cache
def _installed_templates(searchpath: str, followlinks: bool) -> tuple[str, ...]:
    return tuple(jinja2.FileSystemLoader([searchpath], followlinks=followlinks).list_templates())


@functools.lru_cache(maxsize=4096)
def _shortcodes(text: str) -> list:
    return shortcodes.find(text)
