// Lighthouse over many pages with one browser: Debian's Chromium, started once by chrome-launcher,
// and Lighthouse's Node API (both pinned in package-lock.json). Driven by benchmarks/lighthouse.py.
//
// Reads a JSON job from stdin:
//   {"chrome": "/usr/bin/chromium", "flags": ["--headless=new", ...], "save": "/tmp/dir" | null,
//    "runs": [{"url": "http://127.0.0.1:PORT/framework/", "preset": "mobile" | "desktop",
//              "categories": ["performance", ...], "name": "framework-mobile-1"}]}
// and writes one JSON line per run to stdout, as soon as the run ends, with the category scores, the
// metrics and what the report says about the audits that fell short. With "save", each run's whole
// report is written there as <name>.json (open it in the Lighthouse viewer to look closer).
import fs from "node:fs";
import path from "node:path";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

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
    for (const run of job.runs) {
      const started = Date.now();
      // No full-page screenshot: seconds of work on a long page that no score uses.
      const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: run.categories,
                      disableFullPageScreenshot: true };
      const config = run.preset === "desktop" ? desktopConfig : undefined;
      let result;
      try {
        const runner = await lighthouse(run.url, flags, config);
        result = summary(runner.lhr, run);
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
