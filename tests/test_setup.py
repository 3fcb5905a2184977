"""scripts/setup on a machine that lacks a system package and where the user cannot install it, and
scripts/check-system's verdict on Debian, Ubuntu and other systems (fake os-release files and fake
browsers), which setup asks before it installs anything."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# The interpreter itself, not a shim (pyenv's needs tools the sandboxes leave out).
PYTHON = str(Path(sys.base_prefix) / "bin" / "python3")
# Tools the setup script calls before it reaches apt-get; everything else is left off PATH.
TOOLS = ("bash", "cat", "cut", "grep", "sha256sum", "python3", "node", "npm", "fc-list", "dirname", "printf",
         "chromium", "pdftotext", "head", "readlink", "timeout", "sed")


def _sandbox_path(tmp_path: Path, *, without: set[str]) -> str:
    """A PATH holding only ``TOOLS`` minus ``without``, plus an ``id`` that says we are not root."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        if tool in without:
            continue
        found = PYTHON if tool == "python3" else shutil.which(tool)
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


# -- scripts/check-system ----------------------------------------------------------------------------

OS_RELEASES = {
    "debian-12": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n',
    "debian-11": 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nVERSION_ID="11"\nID=debian\n',
    "ubuntu-24.04": 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n',
    "ubuntu-22.04": 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n',
    "fedora-41": 'VERSION_ID=41\nID=fedora\nPRETTY_NAME="Fedora Linux 41 (Workstation Edition)"\n',
}
# What Ubuntu's chromium and chromium-browser packages put in /usr/bin: a script that starts the snap.
SNAP_STUB = """#!/bin/sh
if ! [ -x /snap/bin/chromium ]; then
    echo "Command '$0' requires the chromium snap to be installed." >&2
    echo "Please install it with:" >&2
    echo "snap install chromium" >&2
    exit 1
fi
exec /snap/bin/chromium "$@"
"""


def _browser(folder: Path, name: str, version: str) -> Path:
    """A stand-in for a browser: prints ``version`` for --version, as Chromium and Chrome do."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{version}'\n")
    path.chmod(0o755)
    return path


def _check_system(tmp_path: Path, system: str, browsers: dict[str, str] | None = None,
                  chromium: str | None = None, python: str | None = "real") -> subprocess.CompletedProcess:
    """scripts/check-system on ``system`` with ``browsers`` (name: what --version prints, or ``SNAP_STUB``)
    as the only browsers on PATH, and ``python`` as python3 (this one, a stand-in printing that version,
    or none)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("bash", "grep", "head", "readlink", "timeout", "sed"):
        (tools / tool).symlink_to(shutil.which(tool))
    if python == "real":
        (tools / "python3").symlink_to(PYTHON)
    elif python:
        _browser(tools, "python3", python)  # prints its version, as check-system asks python3 to
    fake = tmp_path / "browsers"
    fake.mkdir()
    for name, version in (browsers or {}).items():
        if version == SNAP_STUB:
            (fake / name).write_text(SNAP_STUB)
            (fake / name).chmod(0o755)
        else:
            _browser(fake, name, version)
    os_release = tmp_path / "os-release"
    os_release.write_text(OS_RELEASES[system])
    env = {"PATH": f"{fake}:{tools}", "CASEBOOK_OS_RELEASE": str(os_release)}
    if chromium:
        env["CASEBOOK_CHROMIUM"] = chromium
    return subprocess.run(["bash", str(ROOT / "scripts" / "check-system")], env=env, capture_output=True,
                          text=True, check=False)


def test_debian_12_without_chromium_installs_debians(tmp_path):
    result = _check_system(tmp_path, "debian-12")
    assert (result.returncode, result.stdout) == (0, "apt\n"), result.stderr


def test_debian_12_uses_its_chromium_when_recent_enough(tmp_path):
    result = _check_system(tmp_path, "debian-12", {"chromium": "Chromium 156.0.8078.114 built on Debian"})
    assert (result.returncode, result.stdout) == (0, f"{tmp_path}/browsers/chromium\n"), result.stderr


def test_debian_12_with_an_old_chromium_says_how_to_upgrade(tmp_path):
    result = _check_system(tmp_path, "debian-12", {"chromium": "Chromium 120.0.6099.224 built on Debian"})
    assert result.returncode == 1 and result.stdout == ""
    assert "is version 120.0.6099.224, older than 156" in result.stderr
    assert "sudo apt-get install --only-upgrade chromium" in result.stderr


def test_ubuntu_24_04_finds_google_chrome_past_the_snap_stubs(tmp_path):
    result = _check_system(tmp_path, "ubuntu-24.04", {
        "chromium": SNAP_STUB, "chromium-browser": SNAP_STUB, "google-chrome": "Google Chrome 160.0.8200.3 "})
    assert (result.returncode, result.stdout) == (0, f"{tmp_path}/browsers/google-chrome\n"), result.stderr


def test_ubuntu_24_04_takes_the_browser_named_by_casebook_chromium(tmp_path):
    chrome = _browser(tmp_path / "opt", "chrome", "Chromium 158.0.8120.1")
    result = _check_system(tmp_path, "ubuntu-24.04", {"chromium-browser": SNAP_STUB}, chromium=str(chrome))
    assert (result.returncode, result.stdout) == (0, f"{chrome}\n"), result.stderr


def test_ubuntu_24_04_with_only_the_snap_stops_with_one_message_saying_what_to_do(tmp_path):
    result = _check_system(tmp_path, "ubuntu-24.04", {"chromium": SNAP_STUB, "chromium-browser": SNAP_STUB})
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert (f"no usable browser ({tmp_path}/browsers/chromium only starts the chromium snap; "
            f"{tmp_path}/browsers/chromium-browser only starts the chromium snap)") in lines[0]
    assert "Install Google Chrome" in lines[0] and "CASEBOOK_CHROMIUM=" in lines[0]


def test_ubuntu_24_04_rejects_a_casebook_chromium_in_a_snap(tmp_path):
    result = _check_system(tmp_path, "ubuntu-24.04", chromium="/snap/bin/chromium")
    assert result.returncode == 1
    assert "CASEBOOK_CHROMIUM: /snap/bin/chromium is a snap (/snap/bin/chromium)" in result.stderr


def test_ubuntu_24_04_rejects_a_casebook_chromium_that_is_too_old(tmp_path):
    old = _browser(tmp_path / "opt", "chrome", "Google Chrome 131.0.6778.85")
    result = _check_system(tmp_path, "ubuntu-24.04", chromium=str(old))
    assert result.returncode == 1
    assert f"CASEBOOK_CHROMIUM: {old} is version 131.0.6778.85, older than 156" in result.stderr


@pytest.mark.parametrize("system, name", [("ubuntu-22.04", "Ubuntu 22.04.5 LTS"),
                                          ("debian-11", "Debian GNU/Linux 11 (bullseye)"),
                                          ("fedora-41", "Fedora Linux 41 (Workstation Edition)")])
def test_other_systems_stop_with_one_message_naming_the_supported_ones(tmp_path, system, name):
    result = _check_system(tmp_path, system, {"google-chrome": "Google Chrome 160.0.8200.3"})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    supported = "scripts/setup supports Debian 12 or newer and Ubuntu 24.04 or newer, with Python 3.11.5"
    assert f"this is {name}; {supported}" in result.stderr
    assert "python:3.11-bookworm container" in result.stderr


def test_setup_on_an_unsupported_system_installs_nothing(tmp_path):
    """No half-install: setup stops at the system check, before apt-get, the venv or npm."""
    path = _sandbox_path(tmp_path, without={"chromium", "pdftotext"})
    os_release = tmp_path / "os-release"
    os_release.write_text(OS_RELEASES["ubuntu-22.04"])
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup")],
        env={"PATH": path, "HOME": str(tmp_path), "CASEBOOK_OS_RELEASE": str(os_release)},
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("[setup] this is Ubuntu 22.04.5 LTS;"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "apt-get" not in result.stderr and result.stdout == ""


def test_debian_12_with_its_own_python_says_how_to_get_a_newer_one(tmp_path):
    """Debian 12's python3 is 3.11.2; the pinned pymdown-extensions needs 3.11.5."""
    result = _check_system(tmp_path, "debian-12", python="3.11.2")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "python3 is Python 3.11.2; the pinned requirements need 3.11.5 or newer" in result.stderr
    assert "python:3.11-bookworm" in result.stderr


def test_debian_12_without_python_stops_before_installing_one_too_old(tmp_path):
    result = _check_system(tmp_path, "debian-12", python=None)
    assert result.returncode == 1
    assert "there is no python3, and Debian 12's python3 package (3.11.2) is older than the 3.11.5" \
        in result.stderr


def test_ubuntu_24_04_without_python_lets_setup_install_its_own(tmp_path):
    """Ubuntu 24.04's python3 is 3.12: setup installs it with the other packages."""
    result = _check_system(tmp_path, "ubuntu-24.04", {"google-chrome": "Google Chrome 160.0.8200.3"},
                           python=None)
    assert (result.returncode, result.stdout) == (0, f"{tmp_path}/browsers/google-chrome\n"), result.stderr
