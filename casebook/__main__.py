"""Command line: ``python -m casebook figures [--out DIR] [ID ...]`` and ``new-chapter SLUG TITLE``.

``new-chapter`` creates a case study from the scaffold (see ``casebook.scaffold``).

Renders figures (all of them, or the ids given) to a folder for review, without building the site:
``<id>-light.svg`` and ``<id>-dark.svg`` for each, plus ``index.html`` showing every figure on a light
and a dark background at full size. Uses the same cache as the build, so unchanged figures are
instant. Exit status 1 and one line per broken figure when anything fails.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from casebook import figures
from casebook.errors import CasebookError
from casebook.paths import ROOT


def render_figures(out: Path, ids: list[str]) -> int:
    sources = figures.discover()
    if ids:
        known = {s.id: s for s in sources}
        unknown = [i for i in ids if i not in known]
        if unknown:
            print(f"unknown figure id(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
            return 2
        sources = [known[i] for i in ids]
    try:
        rendered = figures.render_all(sources)
    except CasebookError as exc:
        print(exc, file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    cards = []
    for figure in rendered.values():
        name = figure.id.replace("/", "--")
        for variant in figures.VARIANTS:
            (out / f"{name}-{variant}.svg").write_bytes(figure.path(variant).read_bytes())
        cards.append(
            f"<section><h2>{html.escape(figure.id)}: {figure.width:.0f} x {figure.height:.0f} pt</h2>"
            f"<p>{html.escape(figure.caption)}</p>"
            f'<div class="light"><img src="{name}-light.svg" alt="{html.escape(figure.alt)}"></div>'
            f'<div class="dark"><img src="{name}-dark.svg" alt="{html.escape(figure.alt)}"></div></section>'
        )
        print(f"{out / name}-{{light,dark}}.svg  {figure.width:.0f} x {figure.height:.0f} pt")
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Casebook figures</title><style>"
        "body{font-family:sans-serif;margin:2rem} .light{background:#fff;padding:1rem;border:1px solid #ccc}"
        " .dark{background:#1e2129;padding:1rem;margin-top:.5rem}</style>" + "".join(cards),
        encoding="utf-8",
    )
    print(f"open {out / 'index.html'} to see them all")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    figure_command = commands.add_parser("figures", help="render figures to a folder for review")
    figure_command.add_argument("ids", nargs="*", help="figure ids such as framework/steps (default: all)")
    figure_command.add_argument("--out", type=Path, default=ROOT / "build" / "figures", help="output folder")
    chapter_command = commands.add_parser("new-chapter", help="create a case study from the scaffold")
    chapter_command.add_argument("slug", help="the page name, e.g. event-recommendation")
    chapter_command.add_argument("title", help='the title, e.g. "Event recommendation"')
    args = parser.parse_args(argv)
    if args.command == "figures":
        return render_figures(args.out, args.ids)
    if args.command == "new-chapter":
        return new_chapter(args.slug, args.title)
    return 2


def new_chapter(slug: str, title: str) -> int:
    from casebook import scaffold

    try:
        written = scaffold.create(slug, title)
    except CasebookError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print("next: replace every TODO(scaffold) (scripts/test -k chapters lists what is left); "
          "scripts/serve shows the chapter as you write it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
