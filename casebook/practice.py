"""Practice mode: for every case study, a page to rehearse its interview on before reading it.

Each case study in the navigation's :data:`SECTION` gets ``practice/<page>.md``, made from the chapter
itself, so a new chapter gets one by existing and an edited chapter's practice page follows it:

- **the prompt**: the chapter's "The problem" section up to the line :data:`MARKER` (what follows the
  marker, and the "At a glance" box, are the chapter's own answer and stay out);
- **the interviewer's answers**: the chapter's requirements table, one collapsible per question you
  ask, opened when you ask it (the assumption the chapter takes, and why it matters);
- **a 45-minute timer** that follows the chapter's ``INTERVIEW_PLAN`` phase by phase (casebook.js
  runs it; it keeps going across a reload; without scripts the phases show as a list);
- **the reveal**: links into the chapter, section by section.

Values in the prompt and the answers are the chapter's own (its shortcodes, bound to its module).
A case study without one of these fails the build, naming the file and what is missing.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from casebook import names, snippets
from casebook.errors import CasebookError
from casebook.paths import DOCS

SECTION = "Case studies"  # the navigation section whose pages get a practice page
FOLDER = "practice"  # docs-relative folder of the generated pages
MARKER = "<!-- practice: the prompt ends here"
PLAN = "INTERVIEW_PLAN"  # the chapter module's phases (snippets/kit/plan.py)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{\s*#([\w-]+)[^}]*\})?\s*$")
_VALUE = re.compile(r"\{\{\s*value\s*:\s*([A-Za-z_][\w]*(?:\[[\w.-]+\])?)\s*\}\}")
_LINK = re.compile(r"\]\((?!https?:|#|/)([^)\s]+)\)")


@dataclass(frozen=True)
class Chapter:
    title: str
    src_uri: str  # e.g. video-recommendation.md

    @property
    def practice_uri(self) -> str:
        return f"{FOLDER}/{self.src_uri}"


def chapters(nav: list) -> list[Chapter]:
    """The finished case studies in the navigation (mkdocs.yml's ``nav``, as configured), in order.

    A chapter still holding a scaffold placeholder is left out: it builds, visibly unfinished, and the
    chapter contract (tests/test_chapters.py) lists its missing practice material with the rest."""
    from casebook.contract import PLACEHOLDER  # noqa: PLC0415 (the contract imports this module)

    return [chapter for chapter in _listed(nav) if PLACEHOLDER not in (DOCS / chapter.src_uri).read_text(encoding="utf-8")]


def _listed(nav: list) -> list[Chapter]:
    for item in nav:
        if isinstance(item, dict) and SECTION in item:
            found = []
            for entry in item[SECTION]:
                if isinstance(entry, dict):
                    ((title, uri),) = entry.items()
                    if isinstance(uri, str) and uri.endswith(".md"):
                        found.append(Chapter(title, uri))
            return found
    return []


def _section(lines: list[str], anchor: str) -> tuple[int, int] | None:
    """The lines of the level-2 section with this anchor: (first line after its heading, end)."""
    start = None
    for number, line in enumerate(lines):
        match = _HEADING.match(line)
        if not match:
            continue
        if start is not None and len(match.group(1)) <= 2:
            return start, number
        if len(match.group(1)) == 2 and match.group(3) == anchor:
            start = number + 1
    return (start, len(lines)) if start is not None else None


def _bind(text: str, module: str) -> str:
    """The chapter's shortcodes and links, made to work from practice/: values name the module."""
    text = _VALUE.sub(lambda m: f"{{{{ value: {module}.{m.group(1)} }}}}", text)
    return _LINK.sub(lambda m: f"](../{m.group(1)})", text)


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows.append(cells)
    return [row for row in rows[2:]] if len(rows) > 2 else []


def _missing(chapter: Chapter, what: str) -> CasebookError:
    return CasebookError(f"docs/{chapter.src_uri}: no practice page can be made: {what}")


def page(chapter: Chapter) -> str:
    """The practice page's Markdown."""
    path = DOCS / chapter.src_uri
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    module = names.for_page(chapter.src_uri).module
    problem = _section(lines, "problem")
    if problem is None:
        raise _missing(chapter, 'it has no "## The problem { #problem }" section')
    prompt_lines = lines[problem[0]:problem[1]]
    ends = [n for n, line in enumerate(prompt_lines) if line.startswith(MARKER)]
    if not ends:
        raise _missing(chapter, f'its problem section has no "{MARKER} -->" line after the prompt')
    prompt = "\n".join(prompt_lines[:ends[0]]).strip()
    requirements = _section(lines, "requirements")
    rows = _table_rows(lines[requirements[0]:requirements[1]]) if requirements else []
    if not rows or any(len(row) != 3 for row in rows):
        raise _missing(chapter, 'its "## Clarifying the requirements { #requirements }" section needs a table of '
                                "three columns: the question you ask, why it matters, the assumption taken")
    try:
        phases = getattr(snippets.load(module), PLAN)
    except AttributeError:
        raise _missing(chapter, f"snippets/{module.replace('.', '/')}.py has no {PLAN} (snippets/kit/plan.py)") from None
    plan = [{"name": phase.name, "minutes": phase.minutes} for phase in phases]
    key = PurePosixPath(chapter.src_uri).stem
    back = f"../{chapter.src_uri}"
    out = [
        "---",
        f"description: {json.dumps(f'Rehearse the {chapter.title.lower()} interview: the prompt, the interviewer’s answers one at a time, and a timer for the 45 minutes.')}",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# Practice: {chapter.title}",
        "",
        f"Rehearse this interview before you read [the chapter]({back}). Start the timer, read the prompt, "
        "ask your clarifying questions out loud and open each answer only when you have asked it. The "
        "[practice page](../practice.md#routine) describes the whole routine.",
        "",
        f'<div class="casebook-timer" data-plan="{html.escape(json.dumps(plan), quote=True)}" '
        f'data-key="{key}" markdown>',
        "",
        f"**The {sum(p['minutes'] for p in plan)} minutes of this interview**, phase by phase:",
        "",
        *[f"1. {p['name']}: {p['minutes']} min" for p in plan],
        "",
        "</div>",
        "",
        "## The prompt { #prompt }",
        "",
        _bind(prompt, module),
        "",
        "## Your clarifying questions { #questions }",
        "",
        "Write down what you would ask before you open any of these. Each is a question the chapter asks; "
        "opening it gives the answer an interviewer would give, and why the question matters.",
        "",
    ]
    for question, why, answer in rows:
        out += [
            f'??? interviewer "{_bind(question, module).replace(chr(34), "&quot;")}"',
            f"    **The interviewer:** {_bind(answer, module)}",
            "",
            f"    *Why it matters:* {_bind(why, module)}",
            "",
        ]
    material = _material(chapter)
    out += [
        "## Grade your attempt { #grade }",
        "",
        "After the timer, mark each phase strong, adequate or weak by what your notes covered. Open this "
        "only when you are done: it names what the phase should have reached.",
        "",
        '??? rubric "The rubric, phase by phase"',
        "",
        *["    " + line for line in _rubric_table(material.RUBRIC, module).split("\n")],
        "",
        "## Compare with the chapter { #reveal }",
        "",
        "When the time is up, read the chapter against your notes, in this order:",
        "",
        f"1. [The requirements it settles on]({back}#requirements), against the assumptions you wrote down.",
        f"2. [Its back-of-the-envelope numbers]({back}#envelope), against yours.",
        f"3. [The model design]({back}#model) and [the evaluation]({back}#evaluation).",
        f"4. [Serving]({back}#serving) and [the trade-offs]({back}#trade-offs).",
        f"5. [The interview playbook]({back}#playbook): the common mistakes and the follow-up questions.",
        "",
        "## More practice on this case study { #more }",
        "",
        f"- [A mock interview](../{mock_uri(chapter.src_uri)}): a strong 45 minutes written out; hide the "
        "candidate's answers and give yours first.",
        f"- [Estimation drills]({key}/drills.md): the chapter's arithmetic with its assumptions changed, each "
        "answer worked step by step.",
        f"- [The cheat sheet]({key}/cheat-sheet.md): the design on one page, to print.",
        "",
    ]
    return "\n".join(out)


INDEX = "<!-- practice: the list of practice pages -->"  # replaced by the list on the page that has it


def index(nav: list, from_uri: str) -> str:
    """A Markdown table linking every case study's practice material, from the page at ``from_uri``."""
    up = "../" * from_uri.count("/")
    rows = ["| Case study | Practice mode | Mock interview | Drills | Cheat sheet |", "| :-- | :-- | :-- | :-- | :-- |"]
    for chapter in chapters(nav):
        stem = PurePosixPath(chapter.src_uri).stem
        rows.append(f"| [{chapter.title}]({up}{chapter.src_uri}) | [Rehearse]({up}{chapter.practice_uri}) | "
                    f"[Read]({up}{mock_uri(chapter.src_uri)}) | [{len(_material(chapter).DRILLS)} drills]"
                    f"({up}{FOLDER}/{stem}/drills.md) | [One page]({up}{FOLDER}/{stem}/cheat-sheet.md) |")
    return "\n".join(rows)


def pages(nav: list) -> dict[str, str]:
    """``{docs-relative path: Markdown}`` of every generated practice page: per case study its practice
    page, its drills and its cheat sheet, and the comparison of every case study."""
    found, problems = {}, []
    listed = chapters(nav)
    for chapter in listed:
        missing = material_problems(chapter) + mock_problems(chapter)
        if missing:
            problems += missing
            continue
        stem = PurePosixPath(chapter.src_uri).stem
        found[chapter.practice_uri] = page(chapter)
        found[f"{FOLDER}/{stem}/drills.md"] = drills_page(chapter)
        found[f"{FOLDER}/{stem}/cheat-sheet.md"] = cheat_sheet(chapter)
    if problems:
        raise CasebookError("\n".join(problems))
    if listed:
        found[GLANCE_PAGE] = glance_page(listed)
    return found


GLANCE_PAGE = f"{FOLDER}/at-a-glance.md"


def cheat_sheets(nav: list) -> list[tuple[Chapter, str]]:
    """``(chapter, docs-relative path of its cheat sheet)`` for every case study."""
    return [(chapter, f"{FOLDER}/{PurePosixPath(chapter.src_uri).stem}/cheat-sheet.md") for chapter in chapters(nav)]


def _module_name(chapter: Chapter) -> str:
    return names.for_page(chapter.src_uri).module


def _material(chapter: Chapter):
    return snippets.load(_module_name(chapter))


def material_problems(chapter: Chapter) -> list[str]:
    from snippets.kit import practice as kit  # noqa: PLC0415 (the kit is the project's, loaded when needed)

    module = _module_name(chapter)
    return [f"snippets/{module.replace('.', '/')}.py: {problem} (the practice material of docs/{chapter.src_uri}; "
            "see snippets/kit/practice.py)" for problem in kit.problems(_material(chapter))]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rubric_table(rubric, module: str) -> str:
    rows = ["| Phase | Strong | Adequate | Weak |", "| :-- | :-- | :-- | :-- |"]
    rows += [f"| {_cell(g.phase)} | {_cell(_bind(g.strong, module))} | {_cell(_bind(g.adequate, module))} | "
             f"{_cell(_bind(g.weak, module))} |" for g in rubric]
    return "\n".join(rows)


def _front(description: str) -> list[str]:
    return ["---", f"description: {json.dumps(description)}", "search:", "  exclude: true", "---", ""]


def drills_page(chapter: Chapter) -> str:
    """The chapter's drills, each with its changed assumptions and its worked answer, computed now."""
    from snippets.kit import assume  # noqa: PLC0415

    module = _material(chapter)
    own = module.ASSUMPTIONS
    back = f"../../{chapter.src_uri}"
    source = f"snippets/{_module_name(chapter).replace('.', '/')}.py"
    out = [
        *_front(f"Back-of-the-envelope drills on {chapter.title.lower()}: the chapter's arithmetic with its "
                "assumptions changed, answers worked step by step."),
        f"# Estimation drills: {chapter.title}",
        "",
        f"Each drill changes some of the assumptions of [the chapter]({back}#envelope) and asks for one of its "
        "numbers again. Work it on paper first, then open the answer. The answers are computed when the site "
        f"is built, by the same arithmetic the chapter uses (`{source}`, the `DRILLS` at its end), and the "
        "tests recompute them.",
        "",
    ]
    def rebased(text: str) -> str:  # links in the material are written from the chapter's folder
        return _LINK.sub(lambda m: f"](../../{m.group(1)})", text)

    for number, drill in enumerate(module.DRILLS, start=1):
        varied = drill.varied(own)
        anchor = re.sub(r"[^a-z0-9]+", "-", drill.title.lower()).strip("-")
        out += [f"## {number}. {drill.title} {{ #{anchor} }}", "", rebased(drill.question), "",
                "| Assumption | In this drill | In the chapter |", "| :-- | --: | --: |"]
        for name in drill.changes:
            declared = assume.declaration(own, name)
            out.append(f"| {_cell(declared.label)} | {assume.formatted(varied, name)} | {assume.formatted(own, name)} |")
        steps = drill.work(varied)
        chapter_answer = steps[-1].fmt(drill.chapter_value())
        out += ["", '??? answer "The answer, step by step"', ""]
        out += [f"    {i}. **{step.what}:** {rebased(step.how)} = **{step.text()}**" for i, step in enumerate(steps, start=1)]
        out += ["", f"    **Answer: {steps[-1].text()}** (the chapter, on its own assumptions: {chapter_answer}).", ""]
    return "\n".join(out)


def _prompt(chapter: Chapter) -> str:
    lines = (DOCS / chapter.src_uri).read_text(encoding="utf-8").splitlines()
    start, end = _section(lines, "problem")
    body = lines[start:end]
    cut = next(n for n, line in enumerate(body) if line.startswith(MARKER))
    return "\n".join(body[:cut]).strip()


def cheat_sheet(chapter: Chapter) -> str:
    """The design on one A4 page: the problem, the numbers, the funnel, the model, the metrics, the
    trade-offs to say out loud and the 45 minutes."""
    module = _material(chapter)
    glance = module.GLANCE
    name = _module_name(chapter)
    plan = getattr(module, PLAN)
    minutes = []
    start = 0
    for phase in plan:
        minutes.append(f"{start}–{start + phase.minutes} {phase.name}")
        start += phase.minutes
    funnel = " → ".join(f"{fact.label}: **{fact.text()}**" for fact in glance.funnel)
    out = [
        *_front(f"The {chapter.title.lower()} design on one page: the problem, its numbers, funnel, model, "
                "metrics and trade-offs."),
        f"# Cheat sheet: {chapter.title}",
        "",
        '<div class="casebook-cheatsheet" markdown>',
        "",
        f"**The problem.** {_bind(_prompt(chapter), name).replace(chr(10) + chr(10), ' ').replace(chr(10), ' ')}",
        "",
        f"**Surface.** {glance.surface}.",
        "",
        "## Numbers { #numbers }",
        "",
        "| What | How much |",
        "| :-- | --: |",
        *[f"| {_cell(fact.label)} | {fact.text()} |" for fact in (glance.users, glance.traffic, glance.latency, glance.memory)],
        "",
        "## Funnel { #funnel }",
        "",
        funnel,
        "",
        "## Model { #model }",
        "",
        glance.model + ".",
        "",
        "## Metrics { #metrics }",
        "",
        f"- **Offline:** {glance.offline_metric}.",
        f"- **Online:** {glance.online_metric}.",
        "",
        "## Say out loud { #trade-offs }",
        "",
        *[f"{i}. {text}" for i, text in enumerate(glance.trade_offs, start=1)],
        "",
        "## The 45 minutes { #plan }",
        "",
        " · ".join(minutes),
        "",
        "</div>",
        "",
    ]
    return "\n".join(out)


def glance_page(listed: list[Chapter]) -> str:
    """Every case study side by side, from each module's GLANCE."""
    numbers = ["| Case study | Users | Peak traffic | Latency | Funnel | Memory that drives the fleet |",
               "| :-- | --: | --: | --: | :-- | :-- |"]
    design = ["| Case study | Surface | Model | Primary offline metric | Primary online metric |",
              "| :-- | :-- | :-- | :-- | :-- |"]
    for chapter in listed:
        glance = _material(chapter).GLANCE
        link = f"[{chapter.title}](../{chapter.src_uri})"
        funnel = " → ".join(fact.text() for fact in glance.funnel)
        numbers.append(
            f"| {link} | {glance.users.text()} <br><small>{_cell(glance.users.label)}</small> | "
            f"{glance.traffic.text()} <br><small>{_cell(glance.traffic.label)}</small> | "
            f"{glance.latency.text()} <br><small>{_cell(glance.latency.label)}</small> | "
            f"{funnel} | {glance.memory.text()} <br><small>{_cell(glance.memory.label)}</small> |")
        design.append(f"| {link} | {_cell(glance.surface)} | {_cell(glance.model)} | {_cell(glance.offline_metric)} | "
                      f"{_cell(glance.online_metric)} |")
    return "\n".join([
        *_front("Every case study of the casebook side by side: scale, traffic, latency, funnel, model, metrics "
                "and memory, from each chapter's own numbers."),
        "# The casebook at a glance",
        "",
        "Every case study side by side. Each number is the chapter's own, computed from its assumptions when "
        "the site is built (the `GLANCE` at the end of each chapter's module in `snippets/`); follow a "
        "chapter's link for the derivation. Compare the shapes: where the traffic is, how wide the funnel "
        "starts, and which memory drives the fleet.",
        "",
        "## Scale and funnel { #numbers }",
        "",
        *numbers,
        "",
        "## Design and metrics { #design }",
        "",
        *design,
        "",
    ])


# -- Mock interviews: written transcripts, one per case study ------------------------------------------

MOCK_FOLDER = names.BORROWING  # docs/mock-interviews/<page>.md, written by hand, on the chapter's module
INTERVIEWER = "**Interviewer:**"
CANDIDATE = "**Candidate:**"
CORRECTION = "**Interviewer (course correction):**"
MIN_MOCK_WORDS = 1_500
MIN_MOCK_VALUES = 6
_TURN = re.compile(r"^\*\*(Interviewer|Candidate|Interviewer \(course correction\)):\*\*\s*")


def mock_uri(src_uri: str) -> str:
    """``news-feed.md`` -> ``mock-interviews/news-feed.md``."""
    return f"{MOCK_FOLDER}/{src_uri}"


def mock_problems(chapter: Chapter) -> list[str]:
    """Every way the chapter's mock interview falls short (empty when it is fine), each naming the file."""
    from casebook import shortcodes  # noqa: PLC0415 (shortcodes imports the hooks' helpers)

    where = f"docs/{mock_uri(chapter.src_uri)}"
    path = DOCS / mock_uri(chapter.src_uri)
    if not path.is_file():
        return [f"{where}: missing: every case study has a mock interview (see CONTRIBUTING.md, 'Practice material')"]
    text = path.read_text(encoding="utf-8")
    module = names.for_page(chapter.src_uri).module
    phases = [phase.name for phase in getattr(snippets.load(module), PLAN, ())]
    problems = []
    headings = [(n + 1, m.group(2)) for n, line in enumerate(text.splitlines())
                if (m := _HEADING.match(line)) and len(m.group(1)) == 2]
    if [title for _, title in headings] != phases:
        problems.append(f"{where}: its ## headings are {[t for _, t in headings]}; they must be the phases of "
                        f"INTERVIEW_PLAN in snippets/{module.replace('.', '/')}.py, in order: {phases}")
    turns = [line for line in text.splitlines() if _TURN.match(line)]
    if not any(line.startswith(CANDIDATE) for line in turns) or not any(line.startswith(INTERVIEWER) for line in turns):
        problems.append(f"{where}: no turns: start each with {INTERVIEWER} or {CANDIDATE}")
    if not any(line.startswith(CORRECTION) for line in turns):
        problems.append(f"{where}: no course correction: at least one turn starts with {CORRECTION}")
    words = len(re.findall(r"[A-Za-z]+", text))
    if words < MIN_MOCK_WORDS:
        problems.append(f"{where}: {words} words; a 45-minute interview needs at least {MIN_MOCK_WORDS}")
    values = [code for code in shortcodes.find(text) if code.kind == "value"]
    if len(values) < MIN_MOCK_VALUES:
        problems.append(f"{where}: {len(values)} computed values; the candidate's numbers come from the chapter's "
                        f"code ({{{{ value: name }}}}), at least {MIN_MOCK_VALUES}")
    for code in values:
        try:
            snippets.evaluate(snippets.parse_target(code.arg, module), use_cache=False)
        except CasebookError as error:
            problems.append(f"{where}:{code.line}: {error}")
    return problems


def mock_markdown(markdown: str, module) -> str:
    """A transcript as the page shows it: each phase's heading gains its minutes, the candidate's turns
    become collapsibles (open; a button on the page closes them all so the reader answers first), and a
    course correction is marked as one."""
    minutes, start = {}, 0
    for phase in getattr(module, PLAN):
        minutes[phase.name] = (start, start + phase.minutes)
        start += phase.minutes
    out, turn = [], None
    toggle = '<div class="casebook-mock-toggle" hidden></div>'  # casebook.js puts its button here
    placed = False
    for line in markdown.split("\n"):
        heading = _HEADING.match(line)
        match = _TURN.match(line)
        if heading or match:
            turn = None
        if heading and len(heading.group(1)) == 2 and not placed:  # after the introduction
            out += [toggle, ""]
            placed = True
        if heading and len(heading.group(1)) == 2 and heading.group(2) in minutes:
            start, end = minutes[heading.group(2)]
            anchor = heading.group(3) or re.sub(r"[^a-z0-9]+", "-", heading.group(2).lower()).strip("-")
            out.append(f"## {heading.group(2)} <small>minutes {start}–{end}</small> {{ #{anchor} }}")
            continue
        if match:
            who = match.group(1)
            rest = line[match.end():]
            if who == "Candidate":
                turn = "candidate"
                out += ['???+ candidate "The candidate"', "", f"    {rest}"]
            elif who == "Interviewer":
                out += ['!!! interviewer "The interviewer"', "", f"    {rest}"]
                turn = "interviewer"
            else:
                out += ['!!! correction "The interviewer steers"', "", f"    {rest}"]
                turn = "interviewer"
            continue
        if turn:  # a turn runs to the next turn or heading: lists, tables and code inside it stay in it
            out.append(f"    {line}" if line.strip() else "")
            continue
        out.append(line)
    return "\n".join(out)
