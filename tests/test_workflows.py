"""The GitHub workflows: zizmor (pinned, offline) and GitHub's workflow schema find nothing, the Pages
build runs on the tests' system with the project's own scripts and least privilege, and the link check
it runs before its upload (scripts/check-links) fails on a broken tree. No network is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent  # zizmor and check-jsonschema are pinned in requirements.txt
FAILING = ("Medium", "High")  # zizmor severities that fail the test

# The Pages workflow as it was before it was hardened: zizmor 1.32 finds 6 high findings and 1 medium
# in it. The tests below prove that the check catches them, so that its silence about the real
# workflows means something.
UNHARDENED_PAGES = """\
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Build the site and its PDFs
        env:
          CASEBOOK_SITE_URL: https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/
          CASEBOOK_REPO_URL: ${{ github.server_url }}/${{ github.repository }}
        run: scripts/build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-24.04
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def zizmor(paths: list[Path]) -> list[dict]:
    """zizmor's findings over ``paths`` (its regular persona; no configuration file and no ignore
    comment can silence one), as ``{"file", "line", "audit", "severity", "what"}`` dicts."""
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-config", "--no-ignores", "--strict-collection",
         "--no-progress", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, check=False,
    )
    # 0: nothing found; 10-14: findings, by their highest severity; anything else: zizmor itself failed.
    assert result.returncode == 0 or 10 <= result.returncode <= 14, \
        f"zizmor failed (exit {result.returncode}):\n{result.stderr}"
    findings = []
    for finding in json.loads(result.stdout):
        primary = next(place for place in finding["locations"] if place["symbolic"]["kind"] == "Primary")
        findings.append({
            "file": primary["symbolic"]["key"]["Local"]["verbatim_path"],
            "line": primary["concrete"]["location"]["start_point"]["row"] + 1,
            "audit": finding["ident"],
            "severity": finding["determinations"]["severity"],
            "what": primary["symbolic"]["annotation"],
        })
    return findings


def failing(findings: list[dict]) -> list[str]:
    """The findings that fail the check, one line each: ``file:line: severity audit: what``."""
    return [f"{f['file']}:{f['line']}: {f['severity'].lower()} {f['audit']}: {f['what']}"
            for f in findings if f["severity"] in FAILING]


def schema_check(paths: list[Path]) -> subprocess.CompletedProcess:
    """check-jsonschema with GitHub's workflow schema, which it ships (nothing is downloaded)."""
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True, text=True, check=False,
    )


def _write_workflow(folder: Path, name: str, text: str) -> Path:
    path = folder / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the real workflows ------------------------------------------------------------------------------

def test_there_are_workflows_to_check():
    assert PAGES in WORKFLOWS, WORKFLOWS


def test_zizmor_finds_nothing_of_medium_or_high_severity():
    problems = failing(zizmor(WORKFLOWS))
    assert not problems, "zizmor (offline) reports:\n" + "\n".join(problems)


def test_every_workflow_matches_githubs_schema():
    result = schema_check(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the checks can fail -----------------------------------------------------------------------------

def test_zizmor_check_fails_on_the_unhardened_pages_workflow(tmp_path):
    workflow = _write_workflow(tmp_path, "pages.yml", UNHARDENED_PAGES)
    problems = failing(zizmor([workflow]))
    counts = Counter((line.split(": ")[1]) for line in problems)
    assert counts == {"high excessive-permissions": 2, "high unpinned-uses": 4, "medium artipacked": 1}, \
        problems
    assert (f"{workflow}:10: high excessive-permissions: pages: write is overly broad at the workflow level"
            in problems)
    assert f"{workflow}:21: medium artipacked: does not set persist-credentials: false" in problems


def test_zizmor_check_fails_on_untrusted_input_in_a_run_step(tmp_path):
    workflow = _write_workflow(tmp_path, "greet.yml", """\
name: Greet
on: issues
permissions: {}
jobs:
  greet:
    name: Greet
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.issue.title }}"
""")
    problems = failing(zizmor([workflow]))
    assert any(f"{workflow}:9:" in line and "template-injection" in line for line in problems), problems


def test_schema_check_fails_on_an_invalid_workflow(tmp_path):
    workflow = _write_workflow(tmp_path, "broken.yml", UNHARDENED_PAGES.replace("runs-on:", "run-on:"))
    result = schema_check([workflow])
    assert result.returncode != 0
    assert str(workflow) in result.stdout + result.stderr, result.stdout + result.stderr


# -- what the Pages workflow does --------------------------------------------------------------------

def _pages() -> dict:
    return yaml.safe_load(PAGES.read_text(encoding="utf-8"))


def _runs(job: dict) -> list[str]:
    return [step.get("run") or step.get("uses", "") for step in job["steps"]]


def test_pages_build_runs_on_the_system_the_tests_run_on():
    """The build job's container is the Debian release and the Python minor version of this machine
    (the tests' and CI's): python:3.11-bookworm for Python 3.11 on Debian 12."""
    lines = Path("/etc/os-release").read_text().splitlines()
    fields = {key: value.strip('"') for key, value in (line.split("=", 1) for line in lines if "=" in line)}
    if fields.get("ID") != "debian":
        pytest.skip("the tests run on Debian; this machine is not")
    expected = f"python:{sys.version_info.major}.{sys.version_info.minor}-{fields['VERSION_CODENAME']}"
    image = _pages()["jobs"]["build"]["container"]
    assert image == expected, f"{PAGES}: the build job runs in {image}, the tests on {expected}"


def test_pages_workflow_grants_each_job_only_what_it_needs():
    workflow = _pages()
    assert workflow["permissions"] == {}, f"{PAGES}: the workflow itself must grant nothing"
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}, PAGES
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}, PAGES
    deploy_steps = workflow["jobs"]["deploy"]["steps"]
    assert [step["uses"].split("@")[0] for step in deploy_steps] == ["actions/deploy-pages"], \
        f"{PAGES}: the deploy job runs nothing but actions/deploy-pages"


def test_pages_build_checks_links_of_what_it_uploads():
    """scripts/build, then scripts/check-links over site/, then the upload of site/: PDFs and lab
    downloads are part of site/, so the check covers them. Both scripts see the one site URL."""
    build = _pages()["jobs"]["build"]
    assert "CASEBOOK_SITE_URL" in build["env"], f"{PAGES}: the build job's env must set CASEBOOK_SITE_URL"
    assert all("CASEBOOK_SITE_URL" not in step.get("env", {}) for step in build["steps"]), \
        f"{PAGES}: CASEBOOK_SITE_URL is set once, for the job"
    steps = _runs(build)
    order = [next(i for i, step in enumerate(steps) if needle in step)
             for needle in ("scripts/build", "scripts/check-links site", "actions/upload-pages-artifact@")]
    assert order == sorted(order), f"{PAGES}: build, check links, upload must come in this order: {steps}"
    upload = next(step for step in build["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


def test_no_expression_is_interpolated_into_a_run_step():
    """Values from the event reach scripts through env:, never through the script's text."""
    for path in WORKFLOWS:
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), f"{path}: job {name}: {step['run']!r}"


# -- the link check the workflow runs ----------------------------------------------------------------

def _check_links(site: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "CASEBOOK_SITE_URL"}
    if site_url:
        env["CASEBOOK_SITE_URL"] = site_url
    return subprocess.run(["bash", str(ROOT / "scripts" / "check-links"), str(site)],
                          capture_output=True, text=True, check=False, env=env)


def _tiny_site(tmp_path: Path, link: str) -> Path:
    site = tmp_path / "site"
    (site / "pdf").mkdir(parents=True)
    (site / "pdf" / "book.pdf").write_bytes(b"%PDF-1.7\n")
    (site / "index.html").write_text(
        '<html><body><h1 id="top">Home</h1><a href="pdf/book.pdf" download>Book</a> '
        f'<a href="{link}">x</a></body></html>', encoding="utf-8")
    return site


def test_link_check_passes_a_sound_tree(tmp_path):
    result = _check_links(_tiny_site(tmp_path, "#top"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_link_check_fails_on_a_missing_download_or_anchor(tmp_path):
    for link in ("labs/missing.zip", "#nowhere"):
        result = _check_links(_tiny_site(tmp_path / link.strip("#/").replace("/", "-"), link))
        assert result.returncode != 0, link
        assert link.lstrip("#") in result.stdout + result.stderr, result.stdout + result.stderr


def test_link_check_resolves_links_from_the_servers_root_under_the_site_url(tmp_path):
    """The 404 page links to /<repository>/assets/...: fine where the site is served, under its URL's
    path; broken for a tree served from the root."""
    site = _tiny_site(tmp_path, "/casebook/pdf/book.pdf")
    assert _check_links(site, "https://example.github.io/casebook/").returncode == 0
    broken = _check_links(site)
    assert broken.returncode != 0 and "casebook/pdf/book.pdf" in broken.stdout + broken.stderr


def test_link_check_fails_on_a_file_the_upload_would_leave_out(tmp_path):
    site = _tiny_site(tmp_path, "#top")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    result = _check_links(site)
    assert result.returncode == 1
    assert "./.nojekyll" in result.stderr and "leave out" in result.stderr
