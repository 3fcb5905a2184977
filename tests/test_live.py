"""Try your own numbers (issue 24): the page's own Python, run again in the reader's browser.

``snippets.kit.live.recompute`` is what the browser runs (in Pyodide). Here it is checked twice: by
CPython at the book's assumptions against what the build shows, text for text, and in Chromium at
random assumptions against CPython running the same function on the same numbers.
"""

from __future__ import annotations

import random
import re
import zipfile
from io import BytesIO
from pathlib import Path

import markdown
import pytest

from casebook import browser, live, names, shortcodes, snippets
from casebook.paths import DOCS
from snippets.kit import live as kit_live

LIVE_PAGES = sorted(page for page in names.pages()
                    if "{{ table: assumptions }}" in (DOCS / page).read_text(encoding="utf-8"))


def _targets(page: str) -> tuple[str, list[str]]:
    module = names.for_page(page).module
    codes = shortcodes.find((DOCS / page).read_text(encoding="utf-8"))
    return module, sorted({str(snippets.parse_target(c.arg, module)) for c in codes if c.kind in ("value", "table")})


def test_the_pages_with_an_assumptions_table_are_found():
    assert {"video-recommendation.md", "framework.md", "reference/estimation.md"} <= set(LIVE_PAGES)
    assert len(LIVE_PAGES) >= 12


@pytest.mark.parametrize("page", LIVE_PAGES)
def test_at_the_books_assumptions_the_browsers_code_shows_what_the_build_shows(page):
    module, targets = _targets(page)
    result = kit_live.recompute(module, {}, targets)
    assert "error" not in result, result
    for target in targets:
        if target in result["unavailable"]:
            continue
        built = snippets.evaluate(snippets.parse_target(target), use_cache=False)
        assert result["shown"][target] == [built.kind, built.text], f"docs/{page}: {target}"


def test_a_changed_assumption_moves_the_numbers_that_depend_on_it_and_only_those():
    targets = ["video_recommendation.peak_qps", "video_recommendation.ranking_accelerators",
               "video_recommendation.index_bytes[ivfpq]", "video_recommendation.daily_active_users"]
    book = kit_live.recompute("video_recommendation", {}, targets)["shown"]
    doubled = kit_live.recompute("video_recommendation", {"daily_active_users": 1e9}, targets)["shown"]
    assert doubled["video_recommendation.daily_active_users"] == ["value", "1B"]
    assert doubled["video_recommendation.peak_qps"] != book["video_recommendation.peak_qps"]
    assert doubled["video_recommendation.ranking_accelerators"] != book["video_recommendation.ranking_accelerators"]
    assert doubled["video_recommendation.index_bytes[ivfpq]"] == book["video_recommendation.index_bytes[ivfpq]"]
    # The next recomputation starts from the book again: nothing leaks from one to the next.
    assert kit_live.recompute("video_recommendation", {}, targets)["shown"] == book


def test_numbers_the_arithmetic_rejects_come_back_as_a_message():
    result = kit_live.recompute("video_recommendation", {"daily_active_users": -5}, ["video_recommendation.peak_qps"])
    assert set(result) == {"error"} and "daily_active_users" in result["error"] and "-5" in result["error"]
    unknown = kit_live.recompute("video_recommendation", {"no_such_thing": 1}, [])
    assert "no_such_thing" in unknown["error"]


def test_the_archive_is_the_snippets_package_and_markdown_and_the_same_bytes_every_time():
    first, second = live.archive(), live.archive()
    assert first == second
    with zipfile.ZipFile(BytesIO(first)) as bundle:
        found = set(bundle.namelist())
    assert {"snippets/kit/live.py", "snippets/video_recommendation.py", "markdown/extensions/tables.py"} <= found
    assert not any("__pycache__" in name for name in found)


def test_the_book_code_the_browser_runs_needs_only_the_standard_library_at_import():
    """Pyodide's npm package has the standard library only: a page module importing NumPy (or any
    other package) at the top would fail in the browser."""
    allowed = {"snippets", "__future__"}
    import sys
    std = sys.stdlib_module_names
    for path in sorted(Path(kit_live.__file__).parent.parent.rglob("*.py")):
        if path.name == "plotting.py":  # the figures' style: drawn at build time, never in the browser
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"(?:from|import) ([\w]+)", line)
            if match and not line.startswith(" "):
                assert match.group(1) in std or match.group(1) in allowed, f"{path.name}: {line}"


# -- In the browser --------------------------------------------------------------------------------


def _scenario(fields: list[dict], seed: int) -> dict[str, float]:
    """Every input changed: a random factor between a half and twice the book's value."""
    rng = random.Random(seed)
    chosen = {}
    for field in fields:
        value = field["value"]
        if value == 0:
            continue
        factor = rng.choice([0.5, 0.75, 1.25, 1.5, 2.0])
        new = value * factor
        if field["max"] is not None and new >= field["max"]:
            new = (value + field["max"]) / 2  # a probability stays one
        if field["integer"]:
            new = max(1, round(new)) if value >= 1 else round(new)
        else:
            new = float(f"{new:.6g}")
        if new != value:
            chosen[field["name"]] = new
    return chosen


def _typed(field: dict, value: float) -> str:
    return repr(float(f"{value * 100:.10g}")) if field["percent"] else repr(value)


def _cells(table_html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table_html, flags=re.S)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]


def _wait(page, timeout_ms: float = 30_000) -> str:
    page.wait_for_function("() => { const b = document.querySelector('.casebook-live');"
                           " return b.hasAttribute('data-casebook-outcome') && !b.hasAttribute('data-casebook-pending'); }",
                           timeout=timeout_ms)
    return page.locator(".casebook-live").get_attribute("data-casebook-outcome")


def _open(page, base: str, url: str) -> None:
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + url, wait_until="load")
    browser.settle(page)
    assert not [r for r in requests if "/pyodide/" in r or "snippets.zip" in r], "the runtime loads only when asked"
    page.get_by_role("button", name="Try your own numbers").click()
    page.wait_for_selector(".casebook-live[data-casebook-recomputed]", timeout=120_000)


def _shown(page) -> tuple[dict[str, list[str]], dict[str, list[list[str]]]]:
    values = page.evaluate("""() => { const found = {};
      document.querySelectorAll('a.casebook-value[data-casebook]').forEach(a => {
        (found[a.dataset.casebook] = found[a.dataset.casebook] || []).push(a.textContent); });
      return found; }""")
    tables = page.evaluate("""() => { const found = {};
      document.querySelectorAll('p.casebook-provenance[data-casebook]').forEach(p => {
        let node = p.previousElementSibling;
        while (node && !(node.matches('table') || node.querySelector('table'))) node = node.previousElementSibling;
        if (!node) return;
        const table = node.matches('table') ? node : node.querySelector('table');
        found[p.dataset.casebook] = [...table.querySelectorAll('tr')].map(tr => [...tr.children].map(c => {
          const copy = c.cloneNode(true); copy.querySelectorAll('sup').forEach(s => s.remove());
          return copy.textContent.replace(/\\s+/g, ' ').trim(); }));
      }); return found; }""")
    return values, tables


@pytest.mark.build
@pytest.mark.parametrize("page_src", LIVE_PAGES)
def test_in_the_browser_every_number_follows_random_assumptions_as_python_computes_them(built_site, page_src):
    module, targets = _targets(page_src)
    url = page_src.removesuffix(".md").removesuffix("index") + "/"
    fields = kit_live.fields(snippets.load(module).ASSUMPTIONS)
    seed = sum(map(ord, page_src))
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        external, errors = [], []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, base, url)
        for attempt in range(4):  # a scenario the arithmetic accepts (a random one may break a budget)
            chosen = _scenario(fields, seed + attempt)
            expected = kit_live.recompute(module, chosen, targets)
            if "error" not in expected:
                break
        assert "error" not in expected, f"no valid random scenario for {page_src}: {expected}"
        by_name = {field["name"]: field for field in fields}
        for name, value in chosen.items():
            page.locator(f"#casebook-live-{name}").fill(_typed(by_name[name], value))
        assert _wait(page) == "recomputed"
        values, tables = _shown(page)
        checked = 0
        for target, (kind, text) in expected["shown"].items():
            if kind == "value" and target in values:
                assert set(values[target]) == {text}, f"/{url}: {target} shows {values[target]}, Python says {text!r}"
                checked += 1
            elif kind == "table" and target in tables and not target.endswith(".assumptions"):
                rendered = _cells(markdown.markdown(text, extensions=["tables"]))
                clean = [[re.sub(r"\[\^[^\]]+\]", "", cell).strip() for cell in row] for row in rendered]
                assert tables[target] == clean, f"/{url}: table {target}"
                checked += 1
        assert checked >= 5, f"/{url}: only {checked} computed numbers checked"
        assert page.locator(".casebook-live-changed").count() > 0
        assert external == [] and errors == [], (external, errors)


@pytest.mark.build
def test_bad_input_says_why_and_keeps_the_last_numbers_a_link_reopens_a_scenario_and_reset_restores(built_site):
    target = "video_recommendation.peak_qps"
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, color_scheme="dark")
        _open(page, base, "video-recommendation/")
        peak = page.locator(f'a.casebook-value[data-casebook="{target}"]').first
        book = peak.inner_text()
        users = page.locator("#casebook-live-daily_active_users")
        users.fill("2e9")
        assert _wait(page) == "recomputed"
        doubled = kit_live.recompute("video_recommendation", {"daily_active_users": 2e9}, [target])["shown"][target][1]
        assert peak.inner_text() == doubled != book
        assert "try=daily_active_users" in page.url
        link = page.locator(".casebook-live__link").input_value()
        for bad, says in (("-3", "zero or more"), ("lots", "not a number")):
            users.fill(bad)
            assert _wait(page) == "invalid"
            assert says in page.locator("#casebook-live-daily_active_users-message").inner_text()
            assert users.get_attribute("aria-invalid") == "true" and peak.inner_text() == doubled
        # The link opens the same scenario, without a click: the reader asked for it.
        other = chromium.new_page(viewport={"width": 1280, "height": 900})
        other.goto(link, wait_until="load")
        other.wait_for_selector(".casebook-live[data-casebook-recomputed]", timeout=120_000)
        assert other.locator(f'a.casebook-value[data-casebook="{target}"]').first.inner_text() == doubled
        other.get_by_role("button", name="Back to the book's numbers").click()
        assert _wait(other) == "recomputed"
        assert other.locator(f'a.casebook-value[data-casebook="{target}"]').first.inner_text() == book
        assert "try=" not in other.url and other.locator(".casebook-live-changed").count() == 0
        # Accessible with the inputs out, in the dark palette on a phone.
        from tests.test_browser import AXE, AXE_TAGS
        users.fill("1e9")
        _wait(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", AXE_TAGS)
        assert result["violations"] == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_the_browser_runs_the_python_the_site_is_built_with():
    """Same major.minor version: float arithmetic such as sum() changed between Python versions
    (3.12 sums floats with compensation), so a number at a rounding edge would differ otherwise."""
    import json
    import sys

    lock = json.loads((live.RUNTIME_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert tuple(int(part) for part in lock["info"]["python"].split(".")[:2]) == sys.version_info[:2], (
        f"Pyodide runs Python {lock['info']['python']}, the build {sys.version.split()[0]}: pin the pyodide "
        "npm package whose Python matches (package.json)")


@pytest.mark.parametrize("page", LIVE_PAGES)
def test_a_modules_assumption_labels_are_unique_since_a_readers_value_is_found_by_its_label(page):
    from snippets.kit import assume

    module = names.for_page(page).module
    labels = [declared.label for _, _, declared in assume.declarations(snippets.load(module).ASSUMPTIONS)]
    assert len(labels) == len(set(labels)), f"snippets/{module}.py: labels used twice: " + \
        ", ".join(sorted({label for label in labels if labels.count(label) > 1}))
