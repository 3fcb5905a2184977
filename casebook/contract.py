"""The chapter contract: what a program can check of "a finished case study".

CONTRIBUTING.md ("What a finished case study has") states the whole contract; this module checks the
parts a program can: the arc's sections in order (by their heading ids), the "At a glance" box
computed, at least twelve follow-up questions, five figures, three references, a lab that exists
and is linked, enough prose, and no placeholder left by the scaffold. ``tests/test_chapters.py``
runs it on every page under "Case studies" in the navigation.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from casebook import names, shortcodes
from casebook.paths import DOCS, ROOT

CASE_STUDIES = "Case studies"  # the nav section whose pages must meet the contract
#: Heading ids of the arc, in order: "## Back of the envelope { #envelope }". The text is the
#: author's; the ids are the contract.
ARC = ("requirements", "framing", "envelope", "data", "model", "evaluation", "serving", "monitoring",
       "trade-offs", "playbook", "real-systems", "references")
PLACEHOLDER = "TODO(scaffold)"
MIN_QUESTIONS = 12
MIN_FIGURES = 5
MIN_REFERENCES = 3
MIN_WORDS = 6_000
AT_A_GLANCE = re.compile(r'^!!! \w+ "At a glance"\s*$')
_HEADING_ID = re.compile(r"^##\s+.*\{\s*#([\w-]+)\s*\}\s*$")
_QUESTION = re.compile(r'^\s*\?\?\?\+?\s+question\s+"')
_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its Python tags (!!python/name, !ENV): only nav is wanted."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_section(title: str, config: Path = ROOT / "mkdocs.yml") -> list[str]:
    """Docs-relative pages listed under the nav section ``title``, in order."""
    nav = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader).get("nav") or []
    for entry in nav:
        if isinstance(entry, dict) and title in entry:
            return [page for item in entry[title] for page in (item.values() if isinstance(item, dict) else [item])]
    return []


def case_studies(config: Path = ROOT / "mkdocs.yml") -> list[str]:
    return nav_section(CASE_STUDIES, config)


def check(page: str, docs: Path = DOCS) -> list[str]:
    """Every way ``page`` (docs-relative) falls short of the contract, as ``file:line: message``."""
    path = docs / page
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    where = f"docs/{page}"
    problems = []
    prose = [(n, line) for n, line, is_code in shortcodes.iter_lines(text) if not is_code]

    ids = [(n, m[1]) for n, line in prose if (m := _HEADING_ID.match(line))]
    found = [i for _, i in ids if i in ARC]
    missing = [i for i in ARC if i not in found]
    if missing:
        problems.append(f"{where}: the arc lacks sections with ids {', '.join('#' + i for i in missing)} "
                        "(write them as `## Your heading { #id }`)")
    elif found != list(ARC):
        problems.append(f"{where}: the arc's sections are out of order: {' '.join(found)} (expected {' '.join(ARC)})")

    glance = [n for n, line in prose if AT_A_GLANCE.match(line)]
    requirements = next((n for n, i in ids if i == ARC[0]), len(lines))
    if not glance or glance[0] > requirements:
        problems.append(f'{where}: no `!!! note "At a glance"` box before the requirements section')
    else:
        for n in range(glance[0] + 1, len(lines) + 1):
            line = lines[n - 1]
            if line.strip() and not line.startswith("    "):
                break
            masked = shortcodes.SHORTCODE.sub("", line)
            if re.search(r"\d", masked):
                problems.append(f"{where}:{n}: a hand-typed number in 'At a glance': compute it ({line.strip()})")

    questions = sum(1 for _, line in prose if _QUESTION.match(line))
    if questions < MIN_QUESTIONS:
        problems.append(f'{where}: {questions} follow-up questions (`??? question "..."`), at least {MIN_QUESTIONS} expected')
    figures = [c for c in shortcodes.find(text) if c.kind == "figure"]
    if len(figures) < MIN_FIGURES:
        problems.append(f"{where}: {len(figures)} figures, at least {MIN_FIGURES} expected")
    references = len(_FOOTNOTE.findall(text))
    if references < MIN_REFERENCES:
        problems.append(f"{where}: {references} references (footnotes), at least {MIN_REFERENCES} expected")

    own = names.for_page(page)
    lab = own.lab_path if docs == DOCS else docs.parent / "notebooks" / own.lab
    if not lab.is_file():
        problems.append(f"{where}: its lab notebooks/{own.lab} does not exist")
    elif f"labs/{Path(own.lab).stem}.ipynb" not in text:
        problems.append(f"{where}: does not link its lab (labs/{Path(own.lab).stem}.ipynb)")

    words = len(re.findall(r"[A-Za-z][\w'-]*", "\n".join(shortcodes.SHORTCODE.sub("", line) for _, line in prose)))
    if words < MIN_WORDS:
        problems.append(f"{where}: {words} words of prose, about {MIN_WORDS:,} at least expected")

    root = docs.parent
    for file in [path, root / "snippets" / Path(*own.module.split(".")).with_suffix(".py"), lab,
                 root / "tests" / own.test, *sorted((root / "diagrams" / own.figures).glob("*.py"))]:
        if file.is_file():
            for n, line in enumerate(file.read_text(encoding="utf-8").split("\n"), start=1):
                if PLACEHOLDER in line:
                    problems.append(f"{file.relative_to(root).as_posix()}:{n}: scaffold placeholder left: {line.strip()}")
    if docs == DOCS:  # its practice material (the build asks for it once the placeholders are gone)
        from casebook import practice  # noqa: PLC0415

        chapter = practice.Chapter(page, page)
        problems += practice.material_problems(chapter) + practice.mock_problems(chapter)
    return problems
