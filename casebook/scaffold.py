"""The scaffold: one command creates a new case study, visibly unfinished, in the house layout.

    scripts/new-chapter event-recommendation "Event recommendation"

creates, by the naming rule of ``casebook.names``: the page ``docs/<slug>.md`` with the arc's headings,
its calculation module, five figure modules, its lab, its test file, and the navigation entries (the
page under "Case studies", the lab under "Labs"). Everything builds at once, so ``scripts/serve``
shows the new chapter; every part the author must write is marked ``TODO(scaffold)``, and the chapter
contract (tests/test_chapters.py) fails until none is left, so a scaffold never passes as a chapter.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from casebook import contract, names
from casebook.errors import CasebookError
from casebook.paths import ROOT

TEMPLATES = Path(__file__).parent / "templates" / "chapter"
#: The five figures every case study has: name -> (template, what the caption must say).
FIGURES = {
    "architecture": ("architecture.py", ""),
    "data_pipeline": ("flow.py", "the data and feature pipeline: from raw events to labels and features"),
    "model": ("flow.py", "the model architecture: inputs, layers, outputs and the loss"),
    "serving_funnel": ("serving_funnel.py", ""),
    "central_idea": ("flow.py", "the chapter's central idea, the one picture a reader should remember"),
}
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def create(slug: str, title: str, root: Path = ROOT) -> list[Path]:
    """Create the chapter ``slug`` titled ``title`` under ``root``; the files written, in order."""
    if not SLUG.match(slug):
        raise CasebookError(f"{slug!r}: a slug is lower-case words joined by hyphens, e.g. event-recommendation")
    if not title.strip():
        raise CasebookError("the chapter needs a title")
    own = names.for_page(f"{slug}.md")
    values = {"slug": slug, "title": title.strip(), "module": own.module,
              "module_path": f"{own.module.replace('.', '/')}.py"}
    plan = [  # (template, file to write, extra substitutions)
        (TEMPLATES / "page.md", root / "docs" / own.page, {}),
        (TEMPLATES / "module.py", root / "snippets" / values["module_path"], {}),
        (TEMPLATES / "lab.py", root / "notebooks" / own.lab, {}),
        (TEMPLATES / "test.py", root / "tests" / own.test, {}),
        *[(TEMPLATES / "figures" / template, root / "diagrams" / own.figures / f"{name}.py",
           {"name": name, "caption": caption}) for name, (template, caption) in FIGURES.items()],
    ]
    existing = [target for _, target, _ in plan if target.exists()]
    if existing:
        raise CasebookError("already exists, nothing written: " + ", ".join(str(p.relative_to(root)) for p in existing))
    config = root / "mkdocs.yml"
    nav = _with_nav_entries(config.read_text(encoding="utf-8"), title.strip(), own.page, Path(own.lab).stem)
    written = []
    for template, target, extra in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Template(template.read_text(encoding="utf-8")).substitute(values | extra)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    config.write_text(nav, encoding="utf-8")
    written.append(config)
    return written


def _with_nav_entries(text: str, title: str, page: str, lab: str) -> str:
    """``mkdocs.yml`` with the page appended to "Case studies" and its lab to "Labs"."""
    text = _append_to_section(text, contract.CASE_STUDIES, f"{title}: {page}")
    return _append_to_section(text, "Labs", f"{title} lab: labs/{lab}.ipynb")


def _append_to_section(text: str, section: str, entry: str) -> str:
    lines = text.split("\n")
    header = re.compile(rf"^(?P<indent>\s*)- {re.escape(section)}:\s*$")
    for index, line in enumerate(lines):
        match = header.match(line)
        if not match:
            continue
        indent = len(match["indent"])
        end = index + 1
        while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > indent:
            end += 1
        item_indent = " " * (indent + 4)
        if end > index + 1:
            item_indent = lines[index + 1][: len(lines[index + 1]) - len(lines[index + 1].lstrip())]
        lines.insert(end, f"{item_indent}- {entry}")
        return "\n".join(lines)
    raise CasebookError(f"mkdocs.yml: no nav section '{section}:' to add the chapter to")
