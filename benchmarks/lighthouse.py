"""Lighthouse over every page of a built site, as a reader's phone and a desktop see it.

The site is served as a static host serves it (gzip, caching headers: ``casebook.browser.serve``
with ``static_host=True``); Lighthouse 12 (npm, pinned in ``package-lock.json``) drives Debian's
Chromium through ``benchmarks/lighthouse.mjs``, one browser for every run. Mobile is Lighthouse's
default preset (a mid-range phone on a slow 4G network, simulated throttling); desktop is its desktop
preset. Performance is judged on the median of three runs: a page that meets every target in its
first run is not run again (simulated throttling still scales the CPU time the machine took, so one
slow run on a busy machine is noise, three are a measurement).

``tests/test_lighthouse.py`` fails naming the page and the audit that fell short of :data:`TARGETS`;
``scripts/lighthouse`` builds the site, runs every page three times on both presets and writes
``benchmarks/lighthouse.md`` (and ``lighthouse.json``) for contributors.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from casebook import browser  # noqa: E402

RUNNER = ROOT / "benchmarks" / "lighthouse.mjs"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "package.json"
PRESETS = ("mobile", "desktop")
# The scored categories each preset runs. Accessibility and best practices do not depend on the
# throttling: the mobile run checks them (at a phone's width), the desktop run measures speed only.
CATEGORIES = {"mobile": ["performance", "accessibility", "best-practices"], "desktop": ["performance"]}
REPEAT = 3  # the median of three runs decides


@dataclass(frozen=True)
class Target:
    """A floor (``at_least``) or a ceiling (``at_most``) on a category's score or a metric's value."""

    what: str  # "performance" (a category) or "largest-contentful-paint" (a metric audit)
    at_least: float | None = None
    at_most: float | None = None
    unit: str = ""  # how to show the value: "" (a score, shown as 0-100), "s" or "ms"

    def met(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least - 1e-9:
            return False
        return not (self.at_most is not None and value > self.at_most + 1e-9)

    def show(self, value: float) -> str:
        if self.unit == "s":
            return f"{value / 1000:.2f} s"
        if self.unit == "ms":
            return f"{value:.0f} ms"
        return f"{round(value * 100)}"

    def limit(self) -> str:
        if self.at_least is not None:
            return f"< {self.show(self.at_least)}"
        return f"> {self.show(self.at_most)}"


# The targets: mobile performance 97 or more with the largest paint within 1.8 s and at most
# 100 ms of blocking; desktop performance 100; accessibility and best practices 100.
TARGETS: dict[str, tuple[Target, ...]] = {
    "mobile": (
        Target("performance", at_least=0.97),
        Target("largest-contentful-paint", at_most=1800, unit="s"),
        Target("total-blocking-time", at_most=100, unit="ms"),
        Target("accessibility", at_least=1.0),
        Target("best-practices", at_least=1.0),
    ),
    "desktop": (Target("performance", at_least=1.0),),
}
# Measured: deterministic from run to run, so the first run decides.
STEADY = {"accessibility", "best-practices"}


def discover(site: Path) -> list[str]:
    """Every page of the built site, as a URL path ("" is the home page)."""
    return [page.relative_to(site).as_posix().removesuffix("index.html") for page in sorted(site.rglob("*.html"))]


def lighthouse_version() -> str:
    return json.loads(LIGHTHOUSE.read_text(encoding="utf-8"))["version"] if LIGHTHOUSE.is_file() else "missing"


@dataclass
class PageResult:
    """Every run of one page on one preset."""

    page: str
    preset: str
    runs: list[dict] = field(default_factory=list)

    def value(self, what: str, runs: Sequence[dict] | None = None) -> float | None:
        """The median over ``runs`` (default: all runs) of a category's score or a metric's value."""
        values = []
        for run in runs if runs is not None else self.runs:
            if what in run.get("categories", {}):
                values.append(run["categories"][what])
            elif what in run.get("metrics", {}):
                values.append(run["metrics"][what].get("value"))
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def shortfalls(self) -> list[str]:
        """What misses its target: ``performance 91 < 97``, with the audits that explain it."""
        if not self.runs:
            return ["not measured"]
        errors = [run["error"] for run in self.runs if run.get("error")]
        if errors:
            return [f"Lighthouse failed: {errors[0][:400]}"]
        found, speed = [], False
        for target in TARGETS[self.preset]:
            value = self.value(target.what, self.runs[:1] if target.what in STEADY else None)
            if value is None:
                found.append(f"{target.what}: not measured")
            elif not target.met(value):
                if target.what in STEADY:
                    found.append(f"{target.what} {target.show(value)} {target.limit()}{self._why(target.what)}")
                else:
                    found.append(f"{target.what} {target.show(value)} {target.limit()}")
                    speed = len(found)
        if speed:  # what the first run says about it, once
            found[speed - 1] += self._why("performance")
        return found

    def _why(self, what: str) -> str:
        """The audits behind a shortfall, from the first run: failing accessibility or best-practice
        audits, or for speed the slow metrics and what blocked the first paint."""
        first = self.runs[0]
        if what in STEADY:
            audits = first.get("failing", {}).get(what, [])
            return " (" + "; ".join(f"{a['id']}: {a['title']}" + _items(a.get("items", [])) for a in audits) + ")" \
                if audits else ""
        parts = []
        metrics = first.get("metrics", {})
        shown = [f"{name} {metrics[name]['display']}" for name in
                 ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
                 if name in metrics]
        if shown:
            parts.append("first run: " + ", ".join(shown))
        busy = first.get("details", {}).get("bootup-time")
        if busy and busy.get("items"):
            parts.append("main-thread time by script: " + ", ".join(
                f"{_short(i.get('url', '?'))} {i.get('total', 0):.0f} ms" for i in busy["items"][:3]))
        blocking = first.get("details", {}).get("render-blocking-resources") or \
            first.get("details", {}).get("render-blocking-insight")
        if blocking and blocking.get("items"):
            parts.append("render-blocking: " + ", ".join(
                f"{_short(i.get('url', '?'))} {i.get('wastedMs', 0):.0f} ms" if "wastedMs" in i else _short(i.get("url", "?"))
                for i in blocking["items"]))
        element = first.get("details", {}).get("largest-contentful-paint-element")
        if element and what in ("performance", "largest-contentful-paint"):
            nodes = [i.get("node") or "; ".join(i.get("items", [])) for i in element.get("items", [])][:1]
            if nodes and nodes[0]:
                parts.append(f"largest paint: {nodes[0][:120]}")
        return f" ({'; '.join(parts)})" if parts else ""

    def row(self) -> dict:
        out = {"page": self.page or "/", "preset": self.preset, "runs": len(self.runs)}
        for target in TARGETS[self.preset]:
            out[target.what] = self.value(target.what, self.runs[:1] if target.what in STEADY else None)
        for metric in ("first-contentful-paint", "speed-index", "cumulative-layout-shift"):
            out[metric] = self.value(metric)
        multipliers = [run["calibration"]["cpuSlowdownMultiplier"] for run in self.runs if run.get("calibration")]
        out["cpu"] = statistics.median(multipliers) if multipliers else None
        return out


def _items(items: list[dict]) -> str:
    shown = [i.get("node") or i.get("url") or "" for i in items][:3]
    return (": " + ", ".join(s for s in shown if s)) if any(shown) else ""


def _short(url: str) -> str:
    return url.split("/", 3)[-1] if url.startswith("http") else url


def lighthouse_runs(site: Path, runs: Sequence[dict], save: Path | None = None, calibrate: bool = True,
                    calibration: dict | None = None) -> Iterator[dict]:
    """Run Lighthouse for each of ``runs`` (``{"page", "preset", "name"}``) over ``site`` served as a
    static host serves it, in one browser; yields each run's summary as it ends. With ``calibrate``,
    the mobile runs' CPU multiplier follows this machine's benchmark index, measured before the runs
    (Lighthouse's calibration, see ``benchmarks/lighthouse.mjs``), or ``calibration`` when given (an
    earlier run's); without, the preset's fixed 4x."""
    if not runs:
        return
    if not LIGHTHOUSE.is_file():
        raise RuntimeError("Lighthouse is not installed (node_modules/lighthouse): run scripts/setup")
    flags = ["--headless=new", *browser.CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='casebook-lh-')}"]
    with browser.serve(site, static_host=True) as base:
        job = {
            "chrome": browser.chromium_path(),
            "flags": flags,
            "save": str(save) if save else None,
            "calibrate": calibrate,
            "calibration": calibration,
            "runs": [{"url": base + run["page"], "preset": run["preset"], "categories": CATEGORIES[run["preset"]],
                      "name": run["name"]} for run in runs],
        }
        process = subprocess.Popen(["node", str(RUNNER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=ROOT)
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps(job))
        process.stdin.close()
        for line, run in zip(process.stdout, runs, strict=False):
            result = json.loads(line)
            result["page"] = run["page"]
            yield result
        stderr = process.stderr.read() if process.stderr else ""
        if process.wait() != 0:
            raise RuntimeError(f"benchmarks/lighthouse.mjs failed:\n{stderr[-3000:]}")


def _name(page: str, preset: str, n: int) -> str:
    return f"{(page.strip('/') or 'home').replace('/', '_').replace('.html', '')}-{preset}-{n}"


def measure(site: Path, pages: Sequence[str], presets: Sequence[str] = PRESETS, *, repeat: int = 1,
            rerun_failing: bool = True, save: Path | None = None, calibrate: bool = True,
            progress: Callable[[str], None] = lambda _: None) -> dict[tuple[str, str], PageResult]:
    """Every page on every preset, ``repeat`` times (rounds over all pages, so that a slow spell of
    the machine falls on many pages once rather than on one page three times). With
    ``rerun_failing``, a page that misses a target on speed is run again until it has
    :data:`REPEAT` runs, and the median decides."""
    results = {(page, preset): PageResult(page, preset) for page in pages for preset in presets}
    machine: dict = {}  # the calibration measured by the first mobile run, used for every later one

    def run(keys: Iterable[tuple[str, str]]) -> None:
        todo = [{"page": page, "preset": preset, "name": _name(page, preset, len(results[page, preset].runs) + 1)}
                for page, preset in keys]
        for result in lighthouse_runs(site, todo, save, calibrate, machine.get("calibration")):
            if result.get("calibration") and not machine:
                machine["calibration"] = result["calibration"]
            entry = results[result["page"], result["preset"]]
            entry.runs.append(result)
            cpu = result.get("calibration") or {}
            progress(f"{result['page'] or '/'} {result['preset']} #{len(entry.runs)}: "
                     f"{_score(result)} in {result.get('seconds', 0):.0f} s"
                     + (f" (benchmark index {cpu['benchmarkIndex']}, CPU ×{cpu['cpuSlowdownMultiplier']:.1f})" if cpu else ""))

    for _ in range(repeat):
        run(results)
    if rerun_failing:
        while True:
            again = [key for key, entry in results.items()
                     if len(entry.runs) < REPEAT and _misses_speed(entry)]
            if not again:
                break
            run(again)
    return results


def _score(run: dict) -> str:
    if run.get("error"):
        return "error"
    metrics = run.get("metrics", {})
    lcp = metrics.get("largest-contentful-paint", {}).get("value")
    tbt = metrics.get("total-blocking-time", {}).get("value")
    score = run.get("categories", {}).get("performance")
    return (f"performance {round(score * 100) if score is not None else '?'}, LCP {lcp / 1000:.2f} s, "
            f"TBT {tbt:.0f} ms" if lcp is not None and tbt is not None else "no metrics")


def _misses_speed(entry: PageResult) -> bool:
    if any(run.get("error") for run in entry.runs):
        return False
    for target in TARGETS[entry.preset]:
        if target.what in STEADY:
            continue
        value = entry.value(target.what)
        if value is None or not target.met(value):
            return True
    return False


def problems(results: dict[tuple[str, str], PageResult]) -> list[str]:
    """One line per page and preset that misses a target, naming the page and the audits."""
    lines = []
    for (page, preset), entry in sorted(results.items()):
        found = entry.shortfalls()
        if found:
            runs = f"median of {len(entry.runs)} runs" if len(entry.runs) > 1 else "1 run"
            lines.append(f"/{page} ({preset}, {runs}): " + "; ".join(found))
    return lines


# -- the record for contributors ------------------------------------------------------------------


def machine_note() -> str:
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min) "
            f"when the run ended; {browser.chromium_version()}; Lighthouse {lighthouse_version()}")


def table(results: dict[tuple[str, str], PageResult], before: dict | None = None) -> str:
    """The per-page Markdown table: medians, mobile and desktop, with the earlier run beside."""
    pages = sorted({page for page, _ in results})
    header = ["Page", "Mobile perf.", "LCP", "TBT", "FCP", "CLS", "A11y", "Best pr.", "Desktop perf.", "Runs", "CPU ×"]
    if before:
        header[1:1] = ["Mobile perf. before"]
        header.insert(3, "LCP before")
    lines = ["| " + " | ".join(header) + " |", "| :-- |" + " --: |" * (len(header) - 1)]
    for page in pages:
        mobile = results.get((page, "mobile"))
        desktop = results.get((page, "desktop"))
        m = mobile.row() if mobile else {}
        d = desktop.row() if desktop else {}

        def score(value):
            return "–" if value is None else f"{round(value * 100)}"

        cells = [
            f"`/{page}`",
            score(m.get("performance")),
            "–" if m.get("largest-contentful-paint") is None else f"{m['largest-contentful-paint'] / 1000:.2f} s",
            "–" if m.get("total-blocking-time") is None else f"{m['total-blocking-time']:.0f} ms",
            "–" if m.get("first-contentful-paint") is None else f"{m['first-contentful-paint'] / 1000:.2f} s",
            "–" if m.get("cumulative-layout-shift") is None else f"{m['cumulative-layout-shift']:.3f}",
            score(m.get("accessibility")),
            score(m.get("best-practices")),
            score(d.get("performance")),
            f"{m.get('runs', 0)} + {d.get('runs', 0)}",
            "–" if m.get("cpu") is None else f"{m['cpu']:.1f}",
        ]
        if before:
            old = before.get(page or "/", {})
            cells[1:1] = [score(old.get("performance"))]
            cells.insert(3, "–" if old.get("largest-contentful-paint") is None
                         else f"{old['largest-contentful-paint'] / 1000:.2f} s")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(results: dict[tuple[str, str], PageResult]) -> dict:
    return {f"{page or '/'}|{preset}": {"row": entry.row(), "runs": entry.runs}
            for (page, preset), entry in sorted(results.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"runs of every page and preset (default {REPEAT})")
    parser.add_argument("--preset", choices=PRESETS, action="append", help="only this preset (repeatable)")
    parser.add_argument("--page", action="append", help="only this page, e.g. framework/ (repeatable)")
    parser.add_argument("--compare", type=Path, help="an earlier lighthouse.json, shown beside as 'before'")
    parser.add_argument("--save", type=Path, help="keep every run's whole Lighthouse report (JSON) here")
    parser.add_argument("--fixed-cpu", action="store_true",
                        help="the mobile preset's fixed 4x CPU multiplier, not one calibrated to this machine")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="folder for lighthouse.md and .json")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(f"[lighthouse] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="casebook-lighthouse-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            say("building the site (no PDFs)")
            env = os.environ | {"CASEBOOK_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
            built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                                   env=env, capture_output=True, text=True, check=False)
            if built.returncode != 0:
                print(built.stdout + built.stderr, file=sys.stderr)
                return 2
        pages = args.page or discover(site)
        started = time.monotonic()
        results = measure(site, pages, args.preset or PRESETS, repeat=args.repeat, rerun_failing=False,
                          save=args.save, calibrate=not args.fixed_cpu, progress=say)
        seconds = time.monotonic() - started
    before = None
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))["pages"]
        before = {key.split("|")[0]: value["row"] for key, value in old.items() if key.endswith("|mobile")}
    found = problems(results)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    markdown = "\n".join([
        "# Lighthouse: every page, mobile and desktop",
        "",
        f"Written by `scripts/lighthouse` on {when}: {len(pages)} pages, {args.repeat} run(s) of each page on each "
        f"preset, medians shown, in {seconds / 60:.1f} min. Machine: {machine_note()}. The site is served with gzip "
        "and caching headers as a static host serves it. Mobile: Lighthouse's default preset (simulated slow 4G and "
        "a slower CPU: the CPU × column is the median multiplier, calibrated to this machine's benchmark index "
        "measured before the runs unless `--fixed-cpu`); desktop: its desktop preset. Simulated throttling scales the CPU "
        "time this machine took, so a busy machine reads slower: compare runs made on one machine at one time.",
        "",
        "Targets (`TARGETS` in `benchmarks/lighthouse.py`, checked by `tests/test_lighthouse.py`): mobile "
        "performance ≥ 97, LCP ≤ 1.8 s, TBT ≤ 100 ms; desktop performance 100; accessibility and best practices 100.",
        "",
        table(results, before),
        "",
        "Every target met." if not found else "Short of a target:\n\n" + "\n".join(f"- {line}" for line in found),
        "",
    ])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "lighthouse.md").write_text(markdown, encoding="utf-8")
    (args.out / "lighthouse.json").write_text(json.dumps({"written": when, "machine": machine_note(),
                                                           "pages": summary(results)}, indent=1), encoding="utf-8")
    print(markdown)
    say(f"wrote {args.out / 'lighthouse.md'} and lighthouse.json")
    return 0 if not found else 1


if __name__ == "__main__":
    sys.exit(main())
