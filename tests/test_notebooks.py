"""Labs run from top to bottom, are stored diffable, and re-run when what they import changes."""

from __future__ import annotations

import json
import shutil

import pytest

from casebook import cache, notebooks, snippets
from casebook.paths import NOTEBOOKS

LABS = notebooks.discover()


def test_there_are_labs():
    assert LABS


def test_labs_are_stored_without_outputs():
    assert not list(NOTEBOOKS.rglob("*.ipynb")), "store labs as Jupytext percent scripts (.py)"
    for lab in LABS:
        assert lab.path.read_text(encoding="utf-8").count("# %%") >= 3


@pytest.mark.parametrize("lab", LABS, ids=[lab.name for lab in LABS])
def test_lab_executes(lab, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE", tmp_path)  # a real run, not a cached one
    executed = json.loads(notebooks.execute(lab).read_text(encoding="utf-8"))
    code_cells = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert code_cells and all(c["execution_count"] for c in code_cells)
    outputs = [o for c in code_cells for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/svg+xml" in o.get("data", {}) or "image/png" in o.get("data", {}) for o in outputs), (
        "a lab shows at least one plot"
    )


@pytest.mark.parametrize("lab", LABS, ids=[lab.name for lab in LABS])
def test_lab_cache_follows_imported_snippets(lab, tmp_path, monkeypatch):
    """Editing a snippet the lab imports (even indirectly) re-runs it; editing another does not."""
    imported = notebooks.imported_snippets(lab)
    assert imported, "a lab imports the snippets whose assumptions it explores"
    copy = tmp_path / "snippets"
    shutil.copytree(snippets.SNIPPETS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(snippets, "SNIPPETS", copy)
    key = notebooks.cache_key(lab)
    dependencies = {p.relative_to(copy).as_posix() for m in imported for p in snippets.closure(m)}
    indirect = sorted(dependencies - {f"{m.replace('.', '/')}.py" for m in imported})
    unrelated = sorted({p.relative_to(copy).as_posix() for p in copy.rglob("*.py")} - dependencies
                       - {p.relative_to(copy).as_posix() for p in copy.rglob("__init__.py")})
    assert unrelated, "some snippet module is unrelated to the lab"
    for name in unrelated:
        (copy / name).write_text((copy / name).read_text() + "\n# edited\n")
    assert notebooks.cache_key(lab) == key, f"editing {unrelated} must not re-run the lab"
    edited = (indirect or sorted(dependencies))[0]
    (copy / edited).write_text((copy / edited).read_text() + "\n# edited\n")
    assert notebooks.cache_key(lab) != key, f"editing {edited} must re-run the lab"


@pytest.mark.parametrize("lab", LABS, ids=[lab.name for lab in LABS])
def test_lab_output_is_deterministic(lab, tmp_path, monkeypatch):
    """Two fresh runs give byte-identical notebooks (plots included), so builds are reproducible."""
    runs = []
    for attempt in ("first", "second"):
        monkeypatch.setattr(cache, "CACHE", tmp_path / attempt)
        runs.append(notebooks.execute(lab).read_bytes())
    assert runs[0] == runs[1]
