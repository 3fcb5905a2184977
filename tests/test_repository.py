"""The repository address is a checked setting, and the links made to it are plain links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from casebook import repository
from casebook.errors import CasebookError


def test_the_address_is_checked_and_normalised():
    assert repository.address({"repository": " https://github.com/o/r/ "}) == "https://github.com/o/r"
    for bad in ({}, {"repository": ""}, {"repository": "github.com/o/r"}, {"repository": "https://x/a b"}):
        with pytest.raises(CasebookError, match=r"^mkdocs.yml: extra.repository"):
            repository.address(bad)


def test_short_name():
    assert repository.name("https://github.com/owner/repo") == "owner/repo"
    assert repository.name("https://git.example.org/group/sub/repo.git") == "group/sub/repo"


@pytest.mark.parametrize(("src_uri", "source"), [
    ("framework.md", "docs/framework.md"),
    ("reference/metrics.md", "docs/reference/metrics.md"),
    ("labs/vector-search.ipynb", "notebooks/vector-search.py"),
    ("source/snippets/kit/metrics.md", "snippets/kit/metrics.py"),
])
def test_the_new_issue_form_names_the_page_and_its_source(src_uri, source):
    url = repository.new_issue_url("https://github.com/o/r", "Metrics & more", "https://o.github.io/r/x/", src_uri)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/o/r/issues/new"
    query = parse_qs(parts.query)
    assert query["title"] == ["Error on: Metrics & more"]
    body = query["body"][0]
    assert "Page: Metrics & more\nAddress: https://o.github.io/r/x/\n" in body
    assert f"Source: {source}\n" in body
