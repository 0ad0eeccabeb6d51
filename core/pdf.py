"""Rendering PDFs with WeasyPrint, which may fetch only the project's static files.

A template cannot make WeasyPrint read a local file (file://), reach the network, or
leak a URL with personal data: every other URL is refused.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_BASE = "https://tvaers.invalid"


class FetchRefused(ValueError):
    pass


def restricted_url_fetcher(url: str) -> tuple[bytes, str]:
    """The bytes and media type of a static file named by `url`; FetchRefused for
    anything else."""
    parsed = urlparse(url)
    if (
        parsed.scheme not in ("https", "http")
        or f"{parsed.scheme}://{parsed.netloc}" != STATIC_BASE
    ):
        raise FetchRefused(f"refused to fetch {parsed.scheme}:// resource")
    if not parsed.path.startswith(settings.STATIC_URL):
        raise FetchRefused("refused to fetch a non-static resource")
    relative = unquote(parsed.path[len(settings.STATIC_URL) :])
    if ".." in relative.split("/"):
        raise FetchRefused("refused a path outside the static files")
    path = finders.find(relative)
    if not path:
        raise FetchRefused("no such static file")
    with open(path, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(path)[0] or "application/octet-stream"


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to restricted_url_fetcher. A refused URL is
    an error WeasyPrint reports as a warning; the resource is left out."""

    def fetch(self, url, headers=None):
        data, mime_type = restricted_url_fetcher(url)
        return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})


def render_pdf(html: str) -> bytes:
    """Render HTML (from a project template) to PDF bytes. Static files are
    referenced as {% static %} URLs; they resolve against STATIC_BASE."""
    from weasyprint import HTML

    return HTML(
        string=html, base_url=STATIC_BASE + "/", url_fetcher=StaticOnlyURLFetcher()
    ).write_pdf()
