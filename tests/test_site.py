"""The whole site: a strict build, links and anchors in the built HTML, privacy, determinism."""

from __future__ import annotations

import filecmp
import html
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from casebook import figures, notebooks
from conftest import ROOT, build_site

pytestmark = pytest.mark.build


def test_strict_build_has_no_warnings(built_site):
    assert built_site.returncode == 0
    assert built_site.warnings == [], "\n".join(built_site.warnings)
    assert "Traceback" not in built_site.output


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_was_built(built_site):
    pages = {p.relative_to(built_site.site).as_posix() for p in _html_files(built_site.site)}
    for expected in ("index.html", "framework/index.html", "video-recommendation/index.html",
                     "labs/video-recommendation/index.html", "404.html"):
        assert expected in pages


def test_links_anchors_and_images_resolve(built_site):
    """scripts/check-links, the check the Pages workflow runs before its upload: lychee, offline, over
    every built page, raw HTML included (MkDocs only sees Markdown links), and no hidden file."""
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check-links"), str(built_site.site)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_svg_contains_a_path(built_site):
    svgs = sorted(built_site.site.rglob("*.svg"))
    figures_dir = [p for p in svgs if "/figures/" in p.as_posix()]
    assert len(figures_dir) == 2 * len(figures.discover())
    for svg in figures_dir:
        assert figures.path_leaks(svg.read_text(encoding="utf-8")) == [], svg
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in _html_files(built_site.site))
    for needle in (str(ROOT), "site-packages"):
        assert needle not in text, f"a machine path leaked into the HTML: {needle}"
    # An absolute home folder, not a path that merely has "home" in it (Twitter's projects/home/recap).
    leaked = re.findall(r"(?<![\w.-])/(?:root|home)/[^\s\"'<]*", text)
    assert not leaked, f"a machine path leaked into the HTML: {leaked[:3]}"


def test_no_traceback_or_raw_shortcode_is_published(built_site):
    for page in _html_files(built_site.site):
        html = page.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in html, page
        assert not re.search(r"\{\{\s*(figure|table|value|contents|repository)\s*:", _visible(html)), \
            f"{page}: unexpanded shortcode"


def _visible(html: str) -> str:
    """Page text outside <code>/<pre> (where shortcodes may be shown on purpose)."""
    return re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)


def test_math_is_rendered_at_build_time(built_site):
    framework = (built_site.site / "framework" / "index.html").read_text(encoding="utf-8")
    assert 'class="katex"' in framework
    assert 'class="arithmatex"' not in framework, "math left for a browser script to render"
    assert (built_site.site / "assets" / "katex" / "katex.min.css").is_file()
    fonts = list((built_site.site / "assets" / "katex" / "fonts").glob("*.woff2"))
    assert fonts


def test_no_third_party_resources(built_site):
    """Nothing the browser loads comes from another host (links to sources are fine)."""
    loaded = re.compile(
        r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(https?:)?//|'
        r'<link\b[^>]*rel="(?:stylesheet|preload|preconnect|icon|modulepreload)"[^>]*href="(https?:)?//|'
        r"@import\s+url\((https?:)?//|import\([\"']https?://"
    )
    for page in _html_files(built_site.site):
        html = page.read_text(encoding="utf-8")
        assert not loaded.search(html), f"{page} loads a third-party resource: {loaded.search(html).group(0)}"
        assert "fonts.googleapis" not in html and 'src=""' not in html, page
    for css in built_site.site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)https?://", css.read_text(encoding="utf-8")), css


def test_figures_have_alt_text_and_captions(built_site):
    for page in _html_files(built_site.site):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="casebook-figure".*?</figure>', html, re.S):
            assert "<figcaption" in figure
            alts = re.findall(r'<img [^>]*alt="([^"]*)"', figure)
            assert len(alts) == 2 and all(len(alt) > 20 for alt in alts), page


def test_every_image_has_alt_text(built_site):
    """Figures, plots in labs, everything: a missing, empty or placeholder alt fails."""
    for page in _html_files(built_site.site):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<img\b[^>]*>", html):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and len(alt.group(1).strip()) > 10, f"{page}: {tag[:120]}"
            assert "No description has been provided" not in alt.group(1), page


def test_notebook_is_downloadable(built_site):
    """Each lab's page offers its zip (which runs on its own: tests/test_downloads.py) and the bare
    notebook, both next to the page; the zip holds that same notebook."""
    for lab in notebooks.discover():
        folder = built_site.site / "labs" / lab.name
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert f'href="{lab.name}.ipynb" download' in page
        assert f'href="{lab.name}.zip" download' in page
        with zipfile.ZipFile(folder / f"{lab.name}.zip") as archive:
            names = archive.namelist()
            assert {f"{lab.name}/requirements.txt", f"{lab.name}/README.txt", f"{lab.name}/snippets/__init__.py"} <= set(names)
            assert archive.read(f"{lab.name}/{lab.name}.ipynb") == (folder / f"{lab.name}.ipynb").read_bytes()


def test_the_repository_is_linked_from_every_page(built_site):
    """In the header, and as each page's "Report an error" (the new-issue form with the page's title
    and source filled in); the home page and every lab link it in their text. Plain links: the
    browser tests check that no page requests anything from the repository's host."""
    site = built_site.site
    header = re.compile(r'<a href="([^"]+)" class="md-source casebook-repository"')
    repository = header.search((site / "index.html").read_text(encoding="utf-8")).group(1)
    assert repository.startswith("https://") and not repository.endswith("/")
    assert f'<a href="{repository}">' in (site / "index.html").read_text(encoding="utf-8")
    for lab in notebooks.discover():
        assert f'<a href="{repository}">' in (site / "labs" / lab.name / "index.html").read_text(encoding="utf-8")
    for page in _html_files(site):
        text = page.read_text(encoding="utf-8")
        assert header.search(text) and header.search(text).group(1) == repository, page
        if page.name == "404.html":
            continue
        issue = re.search(r'<a href="([^"]+)" class="md-content__button casebook-issue-button">', text)
        assert issue, f"{page}: no Report an error link"
        parts = urlsplit(html.unescape(issue.group(1)))
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{repository}/issues/new", page
        query = parse_qs(parts.query)
        assert query["title"][0].startswith("Error on: ") and len(query["title"][0]) > len("Error on: "), page
        source = re.search(r"^Source: (\S+)$", query["body"][0], re.M).group(1)
        assert (ROOT / source).is_file(), f"{page}: the issue names {source}, which does not exist"


def test_two_builds_are_byte_identical(built_site, tmp_path):
    second = build_site(ROOT, tmp_path / "second")
    assert second.returncode == 0, second.output
    comparison = filecmp.dircmp(built_site.site, second.site)
    differences = _differences(comparison)
    assert not differences, f"files that differ between two builds: {differences[:10]}"


def _differences(comparison: filecmp.dircmp, prefix: str = "") -> list[str]:
    found = [prefix + name for name in comparison.left_only + comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    found += [prefix + name for name in mismatch + errors]
    for name, sub in comparison.subdirs.items():
        found += _differences(sub, f"{prefix}{name}/")
    return found


def test_local_server_stays_quiet_when_the_browser_drops_a_connection(capsys):
    """A dropped connection (the browser done with a page) prints nothing; a real error still does."""
    from casebook import browser

    server = browser._Server.__new__(browser._Server)  # handle_error needs no socket
    for exc, printed in ((BrokenPipeError(32, "Broken pipe"), False), (ConnectionResetError(104, "reset"), False),
                         (ValueError("a real bug"), True)):
        try:
            raise exc
        except Exception:
            server.handle_error(None, ("127.0.0.1", 1))
        assert ("Traceback" in capsys.readouterr().err) is printed, exc
