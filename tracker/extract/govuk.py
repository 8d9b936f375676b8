"""GOV.UK: the Search API (`/api/search.json`) lists news, the Content API
(`/api/content/<base_path>`) gives each item's body and dates.

Search API (developer docs): `filter_organisations=` (repeatable), `filter_format=` or
`filter_content_purpose_supergroup=`, `order=-public_timestamp`, `count` + `start` paging,
`fields=` (repeatable); unknown parameters answer HTTP 422. Its response shape was not captured
from a live call (SOURCES.md), so the parser is lenient: `results[]` with a relative `link`.
Content API documents (fixtures in ../shared/fixtures/real/gov/): relative `base_path`, HTML
body in `details.body`, `first_published_at` is the announcement time, `withdrawn_notice` may
be absent, `{}` or filled.
"""

from __future__ import annotations

import html as html_lib
import json
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url

WEB = "https://www.gov.uk"
SEARCH_URL = "https://www.gov.uk/api/search.json"
FIELDS = ("title", "link", "description", "public_timestamp", "format",
          "content_store_document_type")


class GovukParseError(ValueError):
    pass


@dataclass
class SearchResult:
    link: str            # relative base path, e.g. /government/news/...
    url: str             # public page
    api_url: str         # Content API document
    title: str | None
    description: str | None
    public_timestamp: str | None
    format: str | None


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    start: int = 0
    skipped: int = 0
    broken: int = 0  # results whose values could not be read (see extract/isolation.py)


@dataclass
class ContentDoc:
    url: str
    title: str | None
    description: str | None
    body_html: str
    first_published_at: str | None
    public_updated_at: str | None
    document_type: str | None
    organisations: list[str]
    withdrawn: bool
    locale: str | None
    content_id: str | None


def build_search_url(base: str, *, organisations: list[str] = (), count: int = 50,
                     start: int = 0, formats: list[str] = (),
                     supergroup: str | None = "news_and_communications",
                     since: date | None = None) -> str:
    parts = urlsplit(base)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"count", "start"}]
    present = {k for k, _ in params}
    params += [("filter_organisations", org) for org in organisations]
    params += [("filter_format", fmt) for fmt in formats]
    if supergroup and not formats and "filter_content_purpose_supergroup" not in present:
        params.append(("filter_content_purpose_supergroup", supergroup))
    if "order" not in present:
        params.append(("order", "-public_timestamp"))
    if "fields" not in present:
        params += [("fields", f) for f in FIELDS]
    if since:
        params.append(("filter_public_timestamp", f"from:{since.isoformat()}"))
    params += [("count", str(count)), ("start", str(start))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else WEB


def content_api_url(link: str, site: str = WEB) -> str:
    path = urlsplit(link).path if link.startswith("http") else link.split("?", 1)[0]
    return f"{site}/api/content{path}"


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GovukParseError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise GovukParseError("JSON nested too deeply to read") from exc
    if not isinstance(data, dict):
        raise GovukParseError("JSON is not an object")
    return data


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _count(value) -> int:
    """A paging number; anything but a non-negative integer counts as 0."""
    return value if isinstance(value, int) and value > 0 else 0


def _result(result, site: str) -> SearchResult | None:
    """One search result; None when it has no usable link."""
    link = result.get("link") if isinstance(result, dict) else None
    if not isinstance(link, str) or not link.strip():
        return None
    url = urljoin(site + "/", link.strip())
    if not is_web_url(url):
        return None
    return SearchResult(
        link=urlsplit(url).path, url=url, api_url=content_api_url(url, site),
        title=_text(result.get("title")), description=_text(result.get("description")),
        public_timestamp=_text(result.get("public_timestamp")),
        format=_text(result.get("format")))


def parse_search(body: bytes, site: str = WEB) -> SearchPage:
    data = _json(body)
    results = data.get("results")
    if not isinstance(results, list):
        raise GovukParseError("search response without a results list")
    page = SearchPage(total=_count(data.get("total")), start=_count(data.get("start")))
    built, page.broken = build_each(results, lambda result: _result(result, site))
    page.results = [result for result in built if result is not None]
    page.skipped = len(built) - len(page.results)
    return page


def next_start(page: SearchPage, count: int) -> int | None:
    following = page.start + count
    return following if page.results and following < page.total else None


def parse_content(body: bytes, site: str = WEB) -> ContentDoc:
    data = _json(body)
    base_path = data.get("base_path")
    if not isinstance(base_path, str) or not base_path.startswith("/"):
        raise GovukParseError("content item without a base_path")
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    orgs = [o.get("title") for o in links.get("organisations") or [] if isinstance(o, dict)]
    withdrawn = data.get("withdrawn_notice")
    return ContentDoc(
        url=site + base_path, title=data.get("title"), description=data.get("description"),
        body_html=details.get("body") if isinstance(details.get("body"), str) else "",
        first_published_at=data.get("first_published_at") or details.get("first_public_at"),
        public_updated_at=data.get("public_updated_at"), document_type=data.get("document_type"),
        organisations=[o for o in orgs if o], withdrawn=bool(withdrawn),
        locale=data.get("locale"), content_id=data.get("content_id"))


def content_to_html(doc: ContentDoc) -> bytes:
    """A minimal HTML page for the article extractor: title, publication date as metadata,
    the description as lead paragraph, then the govspeak body."""
    esc = html_lib.escape
    title = esc(doc.title or "")
    published = esc(doc.first_published_at or "")
    lang = esc(doc.locale or "en")
    lead = f"<p>{esc(doc.description)}</p>" if doc.description else ""
    page = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>"
            f'<meta property="article:published_time" content="{published}">'
            f'<link rel="canonical" href="{esc(doc.url)}"></head><body><main><article>'
            f"<h1>{title}</h1>{lead}{doc.body_html}</article></main></body></html>")
    return page.encode("utf-8")
