"""A live-preview session without the server: what ``mkdocs serve`` does on each save, in one process.

    python tests/preview_session.py SITE STEPS.json (--dirty | --full)

Run in a project copy (with ``PYTHONPATH`` set to it). STEPS.json is a list of steps; each step is
``{"write": {path: text}, "delete": [path]}`` (files to write or delete before the rebuild; the first
step may be empty). Like
``mkdocs serve``, the configuration is loaded anew before every rebuild, the hooks module once per
process, and every build goes into the same SITE folder. Prints one JSON line per step: the pages
the build re-rendered (``--dirty`` only), its seconds and the warnings it logged.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

URL = "http://127.0.0.1:8000/"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main(site: str, steps_file: str, mode: str) -> int:
    dirty = mode == "--dirty"
    steps = json.loads(Path(steps_file).read_text(encoding="utf-8"))
    collect = Collect()
    logging.getLogger("mkdocs").addHandler(collect)
    logging.getLogger("mkdocs").setLevel(logging.INFO)

    def config():
        loaded = load_config("mkdocs.yml", site_dir=site)
        loaded.site_url = URL
        return loaded

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    for number, step in enumerate(steps):
        for path, text in step.get("write", {}).items():
            Path(path).write_text(text, encoding="utf-8")
        for path in step.get("delete", []):
            Path(path).unlink()
        collect.messages = []
        start = time.perf_counter()
        build(first if number == 0 else config(), serve_url=URL, dirty=dirty)
        seconds = time.perf_counter() - start
        rebuilt = None
        if dirty:
            from casebook import incremental

            rebuilt = sorted(incremental.site(site).rebuilt)
        print(json.dumps({"step": number, "rebuilt": rebuilt, "seconds": seconds, "warnings": collect.messages}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
