"""Shortcode parsing and expansion, independent of MkDocs."""

from __future__ import annotations

import pytest

from casebook import shortcodes
from casebook.errors import CasebookError
from casebook.figures import RenderedFigure

FIGURE = RenderedFigure(
    id="chapter/flow", key="k", caption="A flow.", alt="A flow. Boxes and arrows.",
    width=300.0, height=150.0, light="/x/light.svg", dark="/x/dark.svg", smallest_label=9.0,
)


def context(**overrides):
    values = dict(
        page_path="docs/guide/page.md",
        src_uri="guide/page.md",
        line_offset=3,
        figure=lambda figure_id: FIGURE if figure_id == FIGURE.id else _missing(figure_id),
        figure_uri=lambda figure_id, variant: f"figures/{figure_id}-{variant}.svg",
        source_uri=lambda path: f"source/{path[:-3]}.md",
    )
    values.update(overrides)
    return shortcodes.PageContext(**values)


def _missing(figure_id):
    raise CasebookError(f"no figure {figure_id!r}")


def test_find_skips_code():
    text = "\n".join(
        [
            "{{ value: a.b }} and `{{ value: in.code }}`",
            "```",
            "{{ figure: in/fence }}",
            "```",
            "    ~~~~",
            "    {{ table: in.indented_fence }}",
            "    ~~~~",
            "{{ table: a.c }}",
        ]
    )
    found = [(c.kind, c.arg, c.line) for c in shortcodes.find(text)]
    assert found == [("value", "a.b", 1), ("table", "a.c", 8)]


def test_figure_expands_to_both_variants_with_relative_paths():
    out = shortcodes.expand("Intro\n\n{{ figure: chapter/flow }}\n", context())
    assert "](../figures/chapter/flow-light.svg#only-light)" in out
    assert "](../figures/chapter/flow-dark.svg#only-dark)" in out
    assert 'width="400" height="200"' in out  # points to CSS pixels
    assert "Figure 1. A flow." in out
    assert "![A flow. Boxes and arrows.]" in out
    assert "(../source/diagrams/chapter/flow.md)" in out


def test_figure_links_to_itself_for_the_lightbox_with_its_size_and_readable_scale():
    out = shortcodes.expand("{{ figure: chapter/flow }}\n", context())
    for variant in ("light", "dark"):
        assert f"](../figures/chapter/flow-{variant}.svg){{ .casebook-zoom data-variant=\"{variant}\"" in out
    # 9 pt labels are 12 CSS px at the natural size: readable as they are.
    assert out.count('data-width="400" data-height="200" data-casebook-readable="1.0"') == 2
    assert 'data-caption="Figure 1. A flow."' in out


def test_a_figure_caption_with_quotes_and_markdown_is_a_safe_lightbox_caption():
    figure = RenderedFigure(**{**FIGURE.__dict__, "caption": 'The "best" `top_k` {sic}.'})
    out = shortcodes.expand("{{ figure: chapter/flow }}\n", context(figure=lambda figure_id: figure))
    assert "data-caption=\"Figure 1. The 'best' top_k (sic).\"" in out


def test_block_shortcode_keeps_indentation_inside_admonitions():
    out = shortcodes.expand('!!! note\n    {{ figure: chapter/flow }}\n', context())
    body = [line for line in out.splitlines()[1:] if line.strip()]
    assert body and all(line.startswith("    ") for line in body)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("{{ figure: nope/none }}", r"docs/guide/page\.md:4: .*no figure 'nope/none'"),
        ("text {{ figure: chapter/flow }}", "must stand alone on its line"),
        ("{{ chart: x.y }}", "unknown shortcode kind 'chart'"),
        ("a\n\n{{ value: not a target }}", r"page\.md:6: .*cannot read snippet target"),
    ],
)
def test_errors_name_page_and_line(markdown, message):
    with pytest.raises(CasebookError, match=message):
        shortcodes.expand(markdown, context())


def test_all_errors_of_a_page_are_reported_together():
    with pytest.raises(CasebookError) as info:
        shortcodes.expand("{{ figure: a/b }}\n\n{{ figure: c/d }}", context())
    assert "page.md:4" in str(info.value) and "page.md:6" in str(info.value)


def test_a_page_names_its_own_figures_without_the_folder():
    out = shortcodes.expand("{{ figure: flow }}\n", context(figures="chapter"))
    assert "](../figures/chapter/flow-light.svg#only-light)" in out


def test_contents_lists_a_nav_section_with_descriptions():
    pages = {"Case studies": [("Video", "video.md", "Homepage ranking."), ("Lab", "labs/x.ipynb", "")]}
    out = shortcodes.expand("{{ contents: Case studies }}\n", context(contents=lambda s: pages.get(s, [])))
    assert "- [Video](../video.md): Homepage ranking." in out
    assert "- [Lab](../labs/x.ipynb)\n" in out + "\n"


def test_contents_of_a_missing_section_fails():
    with pytest.raises(CasebookError, match=r"page\.md:4: .*no section 'Nowhere'"):
        shortcodes.expand("{{ contents: Nowhere }}", context())


def test_repository_links_the_configured_address():
    page = context(repository="https://example.org/owner/book")
    out = shortcodes.expand("Clone {{ repository: the repository }}; or {{ repository: }}.", page)
    assert out == "Clone [the repository](https://example.org/owner/book); or " \
                  "[https://example.org/owner/book](https://example.org/owner/book)."
    with pytest.raises(CasebookError, match=r"docs/guide/page.md:4: .*extra.repository"):
        shortcodes.expand("{{ repository: it }}", context())


def test_a_labs_markdown_takes_only_the_repository_shortcode():
    url = "https://example.org/owner/book"
    assert shortcodes.expand_repository("see {{ repository: here }}", url) == f"see [here]({url})"
    with pytest.raises(CasebookError, match=r"notebooks/x.py:12: \{\{ value: a.b \}\}: a lab's Markdown may only"):
        shortcodes.expand_repository("one\n{{ value: a.b }}", url, "notebooks/x.py", line_offset=10)


def test_figures_take_their_chapter_number_and_figref_names_them():
    """In a numbered chapter, figures are "Figure 2.1", ... in the order the page shows them, and a
    figref (even one above the figure) gives that number, linked to the figure."""
    from casebook import numbering

    markdown = "See {{ figref: chapter/flow }}.\n\n{{ figure: chapter/flow }}\n"
    out = shortcodes.expand(markdown, context(label=numbering.Label("Chapter", "2")))
    assert 'See [Figure 2.1](#figure-chapter-flow).' in out
    assert '<span class="casebook-figure-number">Figure 2.1.</span> A flow.' in out
    assert 'data-caption="Figure 2.1. A flow."' in out
    assert "Figure 1." not in out


def test_figref_to_a_figure_the_page_does_not_show_fails():
    with pytest.raises(CasebookError, match=r"docs/guide/page.md:5: \{\{ figref: other \}\}: figure 'other' is not shown"):
        shortcodes.expand("\nSee {{ figref: other }}.\n", context())


def test_figure_source_names_the_file_for_print():
    out = shortcodes.expand("{{ figure: chapter/flow }}\n", context())
    assert '<span class="casebook-screen-only">Source</span>' in out
    assert '<span class="casebook-print-only" data-search-exclude>Drawn by `diagrams/chapter/flow.py`</span>' in out


def test_definition_line_finds_top_level_code(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Doc."""\n\n\n@decorator\ndef peak():\n    pass\n\n\nclass Assumptions:\n    pass\n')
    assert shortcodes.definition_line(module, "peak") == 5
    assert shortcodes.definition_line(module, "Assumptions") == 9
    assert shortcodes.definition_line(module, "missing") is None
