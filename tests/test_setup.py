"""scripts/setup on a machine that lacks a system package and where the user cannot install it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

# Tools the setup script calls before it reaches apt-get; everything else is left off PATH.
TOOLS = ("bash", "cat", "cut", "grep", "sha256sum", "python3", "node", "npm", "fc-list", "dirname", "printf",
         "chromium", "pdftotext")


def _sandbox_path(tmp_path: Path, *, without: set[str]) -> str:
    """A PATH holding only ``TOOLS`` minus ``without``, plus an ``id`` that says we are not root."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        if tool in without:
            continue
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run this test"
        (bin_dir / tool).symlink_to(found)
    fake_id = bin_dir / "id"
    fake_id.write_text("#!/bin/sh\necho 1000\n")
    fake_id.chmod(0o755)
    return str(bin_dir)


def test_missing_graphviz_as_a_normal_user_prints_the_install_line(tmp_path):
    path = _sandbox_path(tmp_path, without={"dot"})
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup")],
        env={"PATH": path, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing system packages: graphviz" in result.stderr
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends graphviz" in result.stderr
    assert not (tmp_path / ".venv").exists()


def test_missing_browser_is_installed_too(tmp_path):
    """Chromium and poppler-utils are part of the setup, not an opt-in: the tests and the PDFs need them."""
    path = _sandbox_path(tmp_path, without={"chromium", "pdftotext"})
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup")],
        env={"PATH": path, "HOME": str(tmp_path)}, capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    missing = result.stderr.split("missing system packages:")[1].splitlines()[0].split()
    assert {"chromium", "poppler-utils"} <= set(missing), result.stderr


def test_setup_is_a_no_op_when_everything_is_installed():
    """The second run changes nothing and says nothing (the test run itself ran setup first)."""
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup")], capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "[setup]" not in result.stdout + result.stderr
