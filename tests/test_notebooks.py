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


def test_labs_run_side_by_side_give_the_notebooks_they_give_alone(tmp_path, monkeypatch):
    pair = [lab for lab in LABS if lab.name in ("metrics", "video-recommendation")]
    assert len(pair) == 2
    monkeypatch.setattr(cache, "CACHE", tmp_path / "together")
    together = notebooks.execute_all(pair, jobs=2)
    monkeypatch.setattr(cache, "CACHE", tmp_path / "alone")
    for lab in pair:
        assert together[lab.name].read_bytes() == notebooks.execute(lab).read_bytes(), lab.name


def test_printed_text_is_one_output_however_the_kernel_sent_it():
    from nbformat.v4 import new_code_cell, new_output

    cell = new_code_cell("print('a'); print('b'); display(1); print('c')")
    cell.outputs = [new_output("stream", name="stdout", text="a\n"), new_output("stream", name="stdout", text="b\n"),
                    new_output("stream", name="stderr", text="warning\n"),
                    new_output("display_data", data={"text/plain": "1"}),
                    new_output("stream", name="stdout", text="c\n"), new_output("stream", name="stdout", text="d\n")]
    notebooks._join_streams(cell)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "a\nb\n"), ("stream", "stderr", "warning\n"), ("display_data", None, None),
        ("stream", "stdout", "c\nd\n")]
