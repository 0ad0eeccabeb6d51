"""WeasyPrint may fetch only the project's static files (point 8)."""

from __future__ import annotations

import pytest

from core.pdf import STATIC_BASE, FetchRefused, render_pdf, restricted_url_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/tvaers.css",
        "https://example.com/static/css/tvaers.css",
        f"{STATIC_BASE}/persons/1/",
        f"{STATIC_BASE}/static/../../config/settings/base.py",
        f"{STATIC_BASE}/static/no-such-file.css",
        "data:text/plain,hello",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(FetchRefused):
        restricted_url_fetcher(url)


def test_fetcher_serves_a_static_file():
    data, mime_type = restricted_url_fetcher(f"{STATIC_BASE}/static/css/tvaers.css")
    assert b"--brand" in data
    assert mime_type == "text/css"


def test_render_pdf_with_a_stylesheet_and_without_leaks(caplog):
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/tvaers.css"></head>'
        '<body><h1>Tværs</h1><img src="file:///etc/hostname"></body></html>'
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert "file:///etc/hostname" in caplog.text  # refused, reported as a warning
    assert "Failed to load stylesheet" not in caplog.text  # the static file was fetched
