"""Footer links written one a line, "the words to show, then the address": read and written.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_LINKS = 6
MAX_LABEL = 80
MAX_URL = 500


class FooterLinksError(ValueError):
    """A line that is not a link; the message names the line and what to fix."""


def parse_footer_links(text: str) -> list[dict[str, str]]:
    """Return the links written in `text`, one a line: "About the CCIN https://councils.coop".

    Blank lines are skipped. Raises FooterLinksError naming the first line that has no
    words, no web or email address at its end, or too many characters, and when there
    are more than MAX_LINKS links.
    """
    links: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _, url = line.strip().rpartition(" ")
        label = label.strip()
        problem = _problem(label, url)
        if problem:
            raise FooterLinksError(f"Line {number}: {problem}")
        links.append({"label": label, "url": url})
    if len(links) > MAX_LINKS:
        raise FooterLinksError(f"Give at most {MAX_LINKS} footer links: there are {len(links)}")
    return links


def _problem(label: str, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        ok = "@" in parts.path
    else:
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    if not ok:
        return (
            "end the line with a web address starting https:// (or an email address "
            "starting mailto:), for example: About the CCIN https://councils.coop"
        )
    if not label:
        return "write the words to show before the address"
    if len(label) > MAX_LABEL:
        return f"the words to show must be {MAX_LABEL} characters or fewer"
    if len(url) > MAX_URL:
        return f"the address must be {MAX_URL} characters or fewer"
    return None


def format_footer_links(links: Iterable[tuple[str, str]]) -> str:
    """Return (words, address) pairs as the lines `parse_footer_links` reads."""
    return "\n".join(f"{label} {url}" for label, url in links)
