"""Headless Chromium for the build's PDFs and for the browser tests: Debian's browser, never a download.

One local web server serves a built site on a free port; Playwright drives ``/usr/bin/chromium`` (or the
browser ``scripts/setup`` checked and recorded, on Ubuntu) with the flags that keep it offline and quiet
(without them it floods this machine's closed network with background connections).
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from casebook.errors import CasebookError

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--font-render-hinting=none",  # the same glyph positions on every machine
)


# Where scripts/setup records the browser it checked (scripts/check-system): Debian's chromium, or on
# Ubuntu a Chromium or Google Chrome that is not a snap. In the running venv, so that copies of the
# project built with it (the failure tests) find it too.
RECORDED = Path(sys.prefix) / "casebook-chromium"


#: True once a page shows all of its content: a long page shows its sections below the fold a moment
#: after it is parsed (casebook/fold.py, casebook.js); tests and the printer wait for this.
SHOWN = ("() => !document.documentElement.classList.contains('casebook-progressive')"
         " || document.documentElement.hasAttribute('data-casebook-shown')")


def settle(page, timeout_ms: float = 10_000) -> None:
    """Wait until the page shows everything (``SHOWN``), or fail naming the page."""
    try:
        page.wait_for_function(SHOWN, timeout=timeout_ms)
    except Exception as exc:  # Playwright's TimeoutError, or the page closed
        raise CasebookError(f"{page.url}: the page did not show all of its content within {timeout_ms / 1000:g} s "
                            "(casebook.js shows a long page's sections below its fold: casebook/fold.py)") from exc


def chromium_path() -> str:
    """``CASEBOOK_CHROMIUM``, else the browser scripts/setup checked, else the system Chromium, or a clear
    error saying how to get one."""
    recorded = RECORDED.read_text(encoding="utf-8").strip() if RECORDED.is_file() else None
    for candidate in (os.environ.get("CASEBOOK_CHROMIUM"), recorded, "/usr/bin/chromium",
                      shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise CasebookError(
        "Chromium is needed to print the PDFs and was not found: run scripts/setup (it installs Debian's "
        "chromium and poppler-utils), or set CASEBOOK_PDF=0 to build without PDFs"
    )


@functools.cache
def chromium_version() -> str:
    """``Chromium 156.0.8078.79 ...``: part of every PDF's cache key."""
    result = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "unknown"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


# What a static host compresses (GitHub Pages, Netlify and the like gzip text; fonts and images are
# compressed already) and how long it lets a browser keep a file (GitHub Pages: ten minutes).
COMPRESSED_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb")
CACHE_SECONDS = 600


class _StaticHostHandler(_QuietHandler):
    """The site as a static host serves it: HTTP/1.1 with keep-alive, text gzipped when the browser
    accepts it (``Content-Encoding: gzip``, ``Vary: Accept-Encoding``), ``Cache-Control``,
    ``Last-Modified`` and ``ETag`` on every file. What Lighthouse measures depends on all of these."""

    protocol_version = "HTTP/1.1"
    _gzipped: dict[tuple[str, int, int], bytes] = {}  # (path, mtime, size) -> gzip bytes, per process

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # 404
        stat = os.stat(path)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        compress = path.endswith(COMPRESSED_TYPES) and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            etag = etag[:-1] + '-gz"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self._common_headers(etag, stat.st_mtime, compress)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if compress:
            key = (path, stat.st_mtime_ns, stat.st_size)
            body = self._gzipped.get(key)
            if body is None:
                with open(path, "rb") as source:
                    body = self._gzipped[key] = gzip.compress(source.read(), compresslevel=9, mtime=0)
        else:
            with open(path, "rb") as source:
                body = source.read()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self._common_headers(etag, stat.st_mtime, compress)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _common_headers(self, etag: str, mtime: float, compressed: bool) -> None:
        self.send_header("Cache-Control", f"max-age={CACHE_SECONDS}")
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")


class _Server(http.server.ThreadingHTTPServer):
    """The local server the browser reads the site from. The browser may drop a connection it no
    longer needs (a font or an image of a page it has finished printing); that is not an error and
    must not print a traceback into the build's output. Anything else still raises."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path, static_host: bool = False) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 and a free port for the duration; yields the base URL.

    ``static_host``: as a static host would, compressed and with caching headers (Lighthouse's
    measurements need that); otherwise plain files, as the PDFs and most browser tests need."""
    handler = functools.partial(_StaticHostHandler if static_host else _QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    # A short poll interval: shutdown() waits up to one interval, 0.5 s by default.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator:
    """A Playwright ``Browser`` running the system Chromium headless."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()
