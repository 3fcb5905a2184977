// Lighthouse over many pages with one browser: Debian's Chromium, started once by chrome-launcher,
// and Lighthouse's Node API (both pinned in package-lock.json). Driven by benchmarks/lighthouse.py.
//
// Reads a JSON job from stdin:
//   {"chrome": "/usr/bin/chromium", "flags": ["--headless=new", ...], "save": "/tmp/dir" | null,
//    "calibrate": true (the default) | false (the preset's fixed 4x CPU multiplier),
//    "calibration": {"benchmarkIndex": 1533, "cpuSlowdownMultiplier": 4} (optional: measured earlier),
//    "runs": [{"url": "http://127.0.0.1:PORT/framework/", "preset": "mobile" | "desktop",
//              "categories": ["performance", ...], "name": "framework-mobile-1"}]}
// and writes one JSON line per run to stdout, as soon as the run ends, with the category scores, the
// metrics and what the report says about the audits that fell short. With "save", each run's whole
// report is written there as <name>.json (open it in the Lighthouse viewer to look closer).
import fs from "node:fs";
import path from "node:path";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import * as constants from "lighthouse/core/config/constants.js";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { pageFunctions } from "lighthouse/core/lib/page-functions.js";
import puppeteer from "puppeteer-core";

// The mobile preset stands for a mid-range phone by running the page on this machine and scaling its
// CPU time by a multiplier: 4 by default, right for a machine whose benchmark index (Lighthouse's own
// measure of the host's speed) is about 1,533, and too lenient on a faster one, too strict on a slower
// one. So before the runs the machine's index is measured (the median of seven, by Lighthouse's own
// benchmark function, about 7 s) and the mobile runs' multiplier is set from it by Lighthouse's published
// calibration (docs/throttling.md, "Calibrating multipliers", and its calculator): the same phone,
// whichever machine runs the test. Once, not before each run: on a shared machine one measurement
// swings by a third from one second to the next, and a multiplier that followed it would add noise.
function multiplierFor(benchmarkIndex) {
  if (benchmarkIndex >= 1300) return 3 + (benchmarkIndex - 1300) / 233;  // 1533 -> 4x, 2000 -> 6x
  if (benchmarkIndex >= 800) return 2 + (benchmarkIndex - 800) / 500;  // 800 -> 2x, 1300 -> 3x
  return Math.max(1, 1 + (benchmarkIndex - 150) / 650);  // 150 -> 1x, 800 -> 2x
}

async function benchmarkIndex(port, times) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  try {
    const page = await browser.newPage();
    const values = [];
    for (let i = 0; i < times; i++) values.push(await page.evaluate(pageFunctions.computeBenchmarkIndex));
    await page.close();
    values.sort((a, b) => a - b);
    return values[Math.floor(times / 2)];
  } finally {
    await browser.disconnect();
  }
}

function mobileConfig(multiplier) {
  return {
    extends: "lighthouse:default",
    settings: { throttling: { ...constants.throttling.mobileSlow4G, cpuSlowdownMultiplier: multiplier } },
  };
}

const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
];
// Opportunities and diagnostics worth naming when a page falls short: what blocks the first paint,
// what the largest paint waited for.
const DETAILS = [
  "render-blocking-resources",
  "render-blocking-insight",
  "largest-contentful-paint-element",
  "lcp-discovery-insight",
  "network-dependency-tree-insight",
  "font-display-insight",
  "unused-css-rules",
  "unused-javascript",
  "bootup-time",
  "mainthread-work-breakdown",
];

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function items(audit) {
  const details = audit && audit.details;
  if (!details) return [];
  if (Array.isArray(details.items)) {
    return details.items.slice(0, 8).map((item) => {
      const out = {};
      for (const key of ["url", "wastedMs", "totalBytes", "wastedBytes", "label", "phase", "timing",
                         "percent", "duration", "group", "groupLabel", "total", "scripting"]) {
        if (item[key] !== undefined) out[key] = typeof item[key] === "object" ? JSON.stringify(item[key]) : item[key];
      }
      if (item.node && item.node.snippet) out.node = item.node.snippet.slice(0, 160);
      if (item.items && Array.isArray(item.items)) {
        out.items = item.items.slice(0, 6).map((sub) => sub.node ? sub.node.snippet.slice(0, 160)
          : (sub.phase || sub.url || JSON.stringify(sub).slice(0, 160)));
      }
      return out;
    });
  }
  return [];
}

function summary(lhr, run) {
  const categories = {};
  const failing = {};
  for (const [id, category] of Object.entries(lhr.categories)) {
    categories[id] = category.score;
    if (id === "performance") continue;
    failing[id] = category.auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.score !== null && audit.score < 1)
      .map((audit) => ({ id: audit.id, title: audit.title, score: audit.score, items: items(audit) }));
  }
  const metrics = {};
  for (const id of METRICS) {
    const audit = lhr.audits[id];
    if (audit) metrics[id] = { value: audit.numericValue, score: audit.score, display: audit.displayValue || "" };
  }
  const details = {};
  for (const id of DETAILS) {
    const audit = lhr.audits[id];
    if (audit && audit.scoreDisplayMode !== "notApplicable" && audit.details) {
      details[id] = { title: audit.title, display: audit.displayValue || "", items: items(audit) };
    }
  }
  return {
    name: run.name,
    url: run.url,
    preset: run.preset,
    categories,
    metrics,
    failing,
    details,
    warnings: lhr.runWarnings || [],
    error: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
    benchmarkIndex: lhr.environment ? lhr.environment.benchmarkIndex : null,
    lighthouse: lhr.lighthouseVersion,
    userAgent: lhr.environment ? lhr.environment.hostUserAgent : "",
  };
}

async function main() {
  const job = JSON.parse(readStdin());
  const chrome = await chromeLauncher.launch({
    chromePath: job.chrome,
    chromeFlags: job.flags,
    logLevel: "silent",
  });
  try {
    let calibration = job.calibration || null;  // an earlier process's measurement, kept for the session
    if (!calibration && job.runs.some((run) => run.preset !== "desktop")) {
      const index = await benchmarkIndex(chrome.port, 7);
      calibration = { benchmarkIndex: index, cpuSlowdownMultiplier: job.calibrate === false ? 4 : multiplierFor(index) };
    }
    for (const run of job.runs) {
      const started = Date.now();
      // No full-page screenshot: seconds of work on a long page that no score uses.
      const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: run.categories,
                      disableFullPageScreenshot: true };
      let result;
      try {
        const mobile = run.preset !== "desktop";
        const config = mobile ? mobileConfig(calibration.cpuSlowdownMultiplier) : desktopConfig;
        const runner = await lighthouse(run.url, flags, config);
        result = summary(runner.lhr, run);
        result.calibration = mobile ? calibration : null;
        if (job.save) {
          fs.mkdirSync(job.save, { recursive: true });
          fs.writeFileSync(path.join(job.save, `${run.name}.json`), runner.report);
        }
      } catch (error) {
        result = { name: run.name, url: run.url, preset: run.preset, error: String(error && error.stack || error) };
      }
      result.seconds = (Date.now() - started) / 1000;
      process.stdout.write(JSON.stringify(result) + "\n");
    }
  } finally {
    await chrome.kill();
  }
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
