"""A lab's download runs on its own: the zip holds the notebook, the code it imports and pinned
requirements, and its bytes are the same on every build.

The zips are made by the engine (``casebook.download``) exactly as the build makes them, so no site
build is needed; ``tests/test_site.py`` checks that the built site carries and links them.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from casebook import cache, download, notebooks, snippets
from casebook.errors import CasebookError
from conftest import ROOT

LABS = notebooks.discover()
REPOSITORY = "https://example.org/owner/casebook"
STANDALONE_LAB = "vector-search"  # the lab with the most third-party packages (Faiss among them)


def _zip(lab: notebooks.NotebookSource) -> Path:
    published = notebooks.publish(lab, notebooks.execute(lab), REPOSITORY)
    return download.build(lab, published, REPOSITORY)


def _third_party_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("snippets", "__future__")}


@pytest.mark.parametrize("lab", LABS, ids=[lab.name for lab in LABS])
def test_the_zip_holds_what_the_lab_needs_and_nothing_else(lab):
    packed = _zip(lab)
    with zipfile.ZipFile(packed) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        files = {name.removeprefix(f"{lab.name}/"): archive.read(name) for name in names}

    assert all(name.startswith(f"{lab.name}/") for name in names), "one folder, named after the lab"
    assert names == sorted(names), "entries are sorted"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}, "timestamps are fixed"
    assert {info.external_attr >> 16 for info in infos} == {0o644}

    # The snippet modules: the transitive closure of what the lab imports, with every package's __init__.
    modules = {p for m in notebooks.imported_snippets(lab) for p in snippets.closure(m)}
    inits = {folder / "__init__.py" for p in modules for folder in p.parents if folder.is_relative_to(snippets.SNIPPETS)}
    expected = {f"snippets/{p.relative_to(snippets.SNIPPETS).as_posix()}" for p in modules | inits}
    assert {"snippets/__init__.py"} <= expected
    assert set(files) == expected | {f"{lab.name}.ipynb", "requirements.txt", "README.txt"}
    for name in expected:
        assert files[name] == (ROOT / name).read_bytes(), name

    # The notebook: executed, as published (the repository linked), no shortcode left.
    notebook = json.loads(files[f"{lab.name}.ipynb"])
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code)
    markdown = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert f"]({REPOSITORY})" in markdown and "{{" not in markdown

    # requirements.txt: exactly the third-party packages imported, pinned as the project pins them.
    pins = download.pinned()
    listed = [line for line in files["requirements.txt"].decode().splitlines() if line and not line.startswith("#")]
    assert listed == sorted(listed, key=str.lower)
    for line in listed:
        name = line.split("==")[0]
        assert pins[download._canonical(name)] == line, f"{line} is not the project's pin"
    imported = set().union(*(_third_party_imports(p) for p in [lab.path, *modules]))
    providers = {top: {download._canonical(d) for d in download._distributions()[top]} for top in imported}
    wanted = {d for top, found in providers.items() for d in found & set(pins)} | {"ipykernel"}
    assert {download._canonical(line.split("==")[0]) for line in listed} == wanted

    readme = files["README.txt"].decode()
    assert "pip install -r requirements.txt" in readme and f"{lab.name}.ipynb" in readme and REPOSITORY in readme


@pytest.mark.parametrize("lab", LABS, ids=[lab.name for lab in LABS])
def test_the_zip_is_byte_identical_across_builds(lab, tmp_path, monkeypatch):
    """Publishing and packing anew, from empty caches, give the same bytes (that execution is
    reproducible is tests/test_notebooks.py's business)."""
    executed = notebooks.execute(lab)
    built = []
    for attempt in ("first", "second"):
        monkeypatch.setattr(cache, "CACHE", tmp_path / attempt)
        published = notebooks.publish(lab, executed, REPOSITORY)
        built.append(download.build(lab, published, REPOSITORY).read_bytes())
    assert built[0] == built[1]


def test_an_import_no_pinned_package_provides_fails_with_its_line(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import math\n\nimport numpy\nimport not_a_pinned_package.sub\n", encoding="utf-8")
    with pytest.raises(CasebookError, match=r"module.py:4: imports 'not_a_pinned_package', which no package pinned"):
        download.requirements([module])
    module.write_text("import numpy\n", encoding="utf-8")
    assert [line.split("==")[0] for line in download.requirements([module])] == ["ipykernel", "numpy"]


def test_a_downloaded_lab_runs_in_a_fresh_environment(tmp_path):
    """Unpack the zip into an empty folder, install only its requirements.txt into a new venv (pip may
    download from PyPI, through its cache), and execute the notebook with that venv's kernel."""
    lab = next(lab for lab in LABS if lab.name == STANDALONE_LAB)
    started = time.perf_counter()
    with zipfile.ZipFile(_zip(lab)) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / lab.name
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=folder, env=environment, capture_output=True, text=True, timeout=900, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    installed = time.perf_counter()

    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(folder / f"{lab.name}.ipynb", as_version=4)
    # First, prove where the code comes from: this venv's Python and the zip's snippets/.
    notebook.cells.insert(0, nbformat.v4.new_code_cell(
        "import sys, snippets\nprint(sys.prefix)\nprint(snippets.__file__)"))
    kernels = tmp_path / "kernels"
    (kernels / "lab").mkdir(parents=True)
    (kernels / "lab" / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "the download's venv", "language": "python",
    }))
    with tempfile.TemporaryDirectory(prefix="casebook-kernel-") as sockets:
        manager = KernelManager(kernel_name="lab", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]),
                                transport="ipc", ip=os.path.join(sockets, "k"))
        client = NotebookClient(notebook, km=manager, timeout=300, allow_errors=False,
                                resources={"metadata": {"path": str(folder)}})
        client.execute(cleanup_kc=True, env=environment | {"SOURCE_DATE_EPOCH": "0"})
    done = time.perf_counter()

    where = "".join(o.get("text", "") for o in notebook.cells[0].outputs).split()
    assert Path(where[0]).resolve() == venv.resolve()
    assert Path(where[1]).resolve().is_relative_to(folder.resolve())
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs), "the plots were drawn"
    print(f"{lab.name}: venv and install {installed - started:.1f} s, execution {done - installed:.1f} s")
