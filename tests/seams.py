"""Reading pages as a user reads them, for the seam tests (issue 18): the figures
an overview shows, and the rows of the list each figure links to."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class ShownFigure:
    key: str
    count: int
    url: str


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[ShownFigure] = []
        self.rows = 0
        self.next_url = ""
        self._admin_rows = False
        self._in_admin_body = False

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        if "data-figure" in found:
            self.figures.append(
                ShownFigure(
                    key=found["data-figure"],
                    count=int(found["data-count"]),
                    url=found["href"],
                )
            )
        if "data-row" in found:
            self.rows += 1
        if tag == "a" and found.get("rel") == "next":
            self.next_url = found["href"]
        # Django admin's change list: the rows of table#result_list's body.
        if tag == "table" and found.get("id") == "result_list":
            self._admin_rows = True
        if self._admin_rows and tag == "tbody":
            self._in_admin_body = True
        if self._in_admin_body and tag == "tr":
            self.rows += 1

    def handle_endtag(self, tag) -> None:
        if tag == "tbody":
            self._in_admin_body = False
        if tag == "table":
            self._admin_rows = False


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def figures_on(client, url: str = "/") -> list[ShownFigure]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return read(response.content.decode()).figures


def rows_behind(client, url: str, *, max_pages: int = 200) -> int:
    """The rows of the list at `url`, over all its pages (following rel="next")."""
    total = 0
    for _ in range(max_pages):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = read(response.content.decode())
        total += page.rows
        if not page.next_url:
            return total
        path = url.split("?", 1)[0]
        url = page.next_url if page.next_url.startswith("/") else path + page.next_url
    raise AssertionError(f"{url}: more than {max_pages} pages")
