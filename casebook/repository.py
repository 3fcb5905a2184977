"""The project's repository: its address (a setting) and the links the site, the labs and the PDFs
make to it.

The address is ``extra.repository`` in ``mkdocs.yml`` (``CASEBOOK_REPO_URL``; the Pages workflow sets
it to the repository it builds from). MkDocs' own ``repo_url`` is deliberately not used: with it,
Material fetches the repository's stars and forks from api.github.com on every page, and the site
makes no third-party request. Every link made here is a plain link: nothing is requested until a
reader follows it. The new-issue link follows GitHub's form (``/issues/new?title=...&body=...``).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from casebook.errors import CasebookError

SETTING = "repository"  # the key under `extra:` in mkdocs.yml
ENVIRONMENT = "CASEBOOK_REPO_URL"
_ADDRESS = re.compile(r"^https?://[^\s()<>\"'`\[\]{}]+$")


def address(extra) -> str:
    """The repository's address from ``extra`` (mkdocs.yml's ``extra:``), checked, without a trailing slash."""
    value = extra.get(SETTING) if extra else None
    if not isinstance(value, str) or not value.strip():
        raise CasebookError(
            f"mkdocs.yml: extra.{SETTING} is not set: give the project's repository address "
            f"(the Pages workflow sets it through {ENVIRONMENT})"
        )
    value = value.strip().rstrip("/")
    if not _ADDRESS.match(value) or not urlsplit(value).netloc:
        raise CasebookError(f"mkdocs.yml: extra.{SETTING} = {value!r} is not an http(s) address")
    return value


def name(url: str) -> str:
    """How the address is shown where space is short: ``owner/repo``."""
    path = urlsplit(url).path.strip("/")
    return path.removesuffix(".git") or urlsplit(url).netloc


def source_file(src_uri: str) -> str:
    """The project file a page of the site is made from, as a contributor would look for it."""
    if src_uri.startswith("labs/") and src_uri.endswith(".ipynb"):
        return "notebooks/" + src_uri.removeprefix("labs/").removesuffix(".ipynb") + ".py"
    if src_uri.startswith("source/") and src_uri.endswith(".md"):
        return src_uri.removeprefix("source/").removesuffix(".md") + ".py"
    return "docs/" + src_uri


def new_issue_url(url: str, title: str, page_address: str, src_uri: str) -> str:
    """A link to the repository's new-issue form, with the page's title, address and source filled in."""
    body = (
        f"Page: {title}\n"
        f"Address: {page_address}\n"
        f"Source: {source_file(src_uri)}\n\n"
        "What is wrong (quote the sentence, number or figure):\n\n\n"
        "What it should be, and where that comes from:\n"
    )
    return f"{url}/issues/new?" + urlencode({"title": f"Error on: {title}", "body": body})
