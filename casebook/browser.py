"""Headless Chromium for the build's PDFs and for the browser tests: Debian's browser, never a download.

One local web server serves a built site on a free port; Playwright drives ``/usr/bin/chromium`` (or the
browser ``scripts/setup`` checked and recorded, on Ubuntu) with the flags that keep it offline and quiet
(without them it floods this machine's closed network with background connections).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
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


class _Server(http.server.ThreadingHTTPServer):
    """The local server the browser reads the site from. The browser may drop a connection it no
    longer needs (a font or an image of a page it has finished printing); that is not an error and
    must not print a traceback into the build's output. Anything else still raises."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 and a free port for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
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
