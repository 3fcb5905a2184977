"""Shared fixtures: building the site (once per session) and building a broken copy of the project."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The parts of the project a build reads. A broken copy gets these, plus a copy of the build cache
# so that only what a test breaks is rebuilt.
PROJECT_PARTS = ("docs", "diagrams", "snippets", "notebooks", "casebook", "overrides", "mkdocs.yml", "requirements.txt")
FIXED_EPOCH = "1700000000"


@dataclass
class Build:
    returncode: int
    output: str  # stdout and stderr together, as a contributor sees them
    site: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(("WARNING", "ERROR"))]


def build_site(project: Path, site: Path, *, strict: bool = True, epoch: str = FIXED_EPOCH) -> Build:
    """`mkdocs build` of ``project`` into ``site``, as CI runs it (never with -q or -v)."""
    env = os.environ | {"SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    env.pop("CASEBOOK_CACHE", None)
    if project != ROOT and _commit():
        # A copy is not a checkout: given the project's commit, its PDFs carry the same edition line, so
        # the stamped PDFs in the copied cache are reused instead of stamped again (14 s a build).
        env["CASEBOOK_COMMIT"] = _commit()
    command = [*MKDOCS, "build", "--clean", "-d", str(site)] + (["--strict"] if strict else [])
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


@functools.cache
def _commit() -> str:
    """The commit ``casebook/hooks.py`` stamps on the PDFs of a build of the checkout ("" outside one)."""
    result = subprocess.run(["git", "log", "-1", "--format=%h", "--abbrev=12"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def copy_project(copy: Path) -> Path:
    """The parts of the project a build reads, copied into ``copy`` (node_modules linked, no cache)."""
    copy.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / part)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The real project, built once with --strict into a temporary folder.

    ``CASEBOOK_TEST_SITE=DIR`` uses a site already built into DIR instead (a contributor re-running the
    browser tests); the build's own tests then check nothing about its output."""
    if os.environ.get("CASEBOOK_TEST_SITE"):
        return Build(0, "", Path(os.environ["CASEBOOK_TEST_SITE"]))
    build = build_site(ROOT, tmp_path_factory.mktemp("site") / "site")
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.output}"
    return build


@pytest.fixture
def project_copy(tmp_path, built_site) -> Path:
    """A throwaway copy of the project that a test may break.

    Depends on ``built_site`` so that the build cache is warm before it is copied: a broken copy
    then re-renders only what the test broke.
    """
    copy = copy_project(tmp_path / "project")
    # Both caches: the engine's and mkdocs-jupyter's (the labs' HTML, keyed by content). Without the
    # second, every broken copy converted all thirteen labs again: about a minute per failure test.
    cache = ROOT / ".cache"
    if cache.is_dir():
        shutil.copytree(cache, copy / ".cache")
    return copy
