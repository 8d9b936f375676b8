"""WordPress REST API post lists (`/wp-json/wp/v2/posts`): many newsrooms, ministries and
outlets run WordPress, and its API lists posts with their link, title and date even where the
site's feed is off or truncated.

A page is a JSON array of posts; `link` (the public URL), `title.rendered` (HTML) and
`date_gmt` (ISO, no zone) are read. One post whose values cannot be read is counted and
dropped alone; a body that is not a JSON array is a parse error of the source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from w3lib.html import remove_tags, replace_entities

from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url

MAX_PER_PAGE = 100  # the API's own cap
FIELDS = "link,title,date_gmt"


class WordpressParseError(ValueError):
    """The body is not a WordPress post list."""


@dataclass(frozen=True)
class Post:
    url: str
    title: str | None
    published: str | None  # ISO 8601, UTC


@dataclass
class PostPage:
    posts: list[Post] = field(default_factory=list)
    skipped: int = 0  # posts without a usable link
    broken: int = 0   # posts whose values could not be read


def posts_url(endpoint: str, page: int, per_page: int, after: str | None = None) -> str:
    """The endpoint's page of posts, newest first, with only the fields read here."""
    query = {"per_page": per_page, "page": page, "orderby": "date", "order": "desc",
             "_fields": FIELDS}
    if after:
        query["after"] = after
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


def total_pages(header: bytes | None) -> int:
    """The `X-WP-TotalPages` header as a number; 1 when absent or unreadable."""
    try:
        return max(1, int(header or 1))
    except ValueError:
        return 1


def _post(raw: dict) -> Post | None:
    link = raw["link"]
    if not isinstance(link, str) or not is_web_url(link):
        return None
    title = (raw.get("title") or {}).get("rendered")
    title = replace_entities(remove_tags(title)).strip() or None if title else None
    date = raw.get("date_gmt")
    return Post(url=link, title=title, published=f"{date}Z" if isinstance(date, str) else None)


def parse_posts(body: bytes) -> PostPage:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise WordpressParseError(f"not JSON: {str(exc)[:120]}") from exc
    if not isinstance(data, list):
        raise WordpressParseError("not a WordPress post list (expected a JSON array)")
    built, broken = build_each(data, _post)
    posts = [post for post in built if post is not None]
    return PostPage(posts=posts, skipped=len(built) - len(posts), broken=broken)
