"""GDELT DOC 2.0 API (`mode=ArtList&format=json`): query URLs and response parsing.

Facts this relies on (see ../shared/reference/source-formats.md §4): the body is
`{"articles": [...]}` with 8 string keys per record; errors come back as plain text, often with
HTTP 200 ("Please limit requests to one every 5 seconds ...", "The specified phrase is too
short"); some 200 responses hold invalid JSON escapes; `{}` or a missing `articles` key means
no match; 250 records (the cap) means the result was truncated. `seendate` is when GDELT saw
the article, never its publication date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url

ENDPOINT = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250
RATE_LIMIT_MARKERS = ("limit requests", "one every 5 seconds", "too many requests",
                      "rate limit")
BAD_ESCAPE = re.compile(r'\\(?!["\\/bfnrtu])')
SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.:;!?%)])")
SPACED_APOSTROPHE = re.compile(r"(\w) (['’]) (\w)")
SPACES = re.compile(r"\s+")
TIMESPAN = re.compile(r"^\s*(\d+)\s*(min|minutes?|h|hours?|d|days?|w|weeks?|m|months?)\s*$", re.I)


class GdeltRefused(Exception):
    """GDELT's rate-limit answer ('Please limit requests to one every 5 seconds')."""


class GdeltError(ValueError):
    """A body that is not GDELT JSON even after repair (HTML page, truncated, empty)."""


class GdeltQueryError(GdeltError):
    """GDELT's plain-text answer to a query it rejects ('The specified phrase is too short')."""


@dataclass
class GdeltArticle:
    url: str
    title: str | None
    seendate: str | None  # ISO UTC, discovery time only
    domain: str | None
    language: str | None
    sourcecountry: str | None


@dataclass
class GdeltResult:
    articles: list[GdeltArticle] = field(default_factory=list)
    skipped: int = 0
    broken: int = 0  # records whose values could not be read (see extract/isolation.py)
    repaired: bool = False  # invalid JSON escapes were fixed before parsing
    truncated: bool = False  # hit the record cap: the window holds more


def timespan_delta(value: str) -> timedelta | None:
    """'1d', '12h', '2weeks', '3months' -> timedelta (months as 30 days)."""
    match = TIMESPAN.match(value or "")
    if not match:
        return None
    number, unit = int(match.group(1)), match.group(2).lower()
    if unit.startswith("min"):
        return timedelta(minutes=number)
    if unit.startswith("h"):
        return timedelta(hours=number)
    if unit.startswith("d"):
        return timedelta(days=number)
    if unit.startswith("w"):
        return timedelta(weeks=number)
    return timedelta(days=30 * number)


def halves(start: datetime | None, end: datetime | None, timespan: str | None,
           now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """A capped query window split in two (newest half first), to query each half again."""
    end = end or now or datetime.now(UTC)
    start = start or end - (timespan_delta(timespan or "") or timedelta(days=1))
    middle = start + (end - start) / 2
    return [(middle, end), (start, middle)]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def build_query_url(endpoint: str, query: str, *, timespan: str | None = None,
                    start: datetime | None = None, end: datetime | None = None,
                    maxrecords: int = MAX_RECORDS, sort: str = "DateDesc",
                    extra: dict | None = None) -> str:
    """An ArtList JSON query; start/end (UTC) win over timespan."""
    parts = urlsplit(endpoint)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in
              {"query", "mode", "format", "maxrecords", "timespan", "startdatetime",
               "enddatetime", "sort"}]
    params += [("query", query), ("mode", "artlist"), ("format", "json"),
               ("maxrecords", str(min(int(maxrecords), MAX_RECORDS))), ("sort", sort)]
    if start is not None:
        params.append(("startdatetime", _stamp(start)))
        params.append(("enddatetime", _stamp(end or datetime.now(UTC))))
    elif timespan:
        params.append(("timespan", timespan))
    params += sorted((extra or {}).items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def clean_title(title: str | None) -> str | None:
    """Undo GDELT's tokenised punctuation ('Veneto , via libera') and stray spaces."""
    if not title:
        return None
    text = SPACE_BEFORE_PUNCT.sub(r"\1", SPACES.sub(" ", title)).strip()
    text = SPACED_APOSTROPHE.sub(r"\1\2\3", text)
    return text or None


def parse_seendate(value: str | None) -> str | None:
    """'20260722T121500Z' -> '2026-07-22T12:15:00Z'."""
    if not value:
        return None
    try:
        when = datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _loads(text: str) -> tuple[object, bool]:
    try:
        return json.loads(text, strict=False), False
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(BAD_ESCAPE.sub(r"\\\\", text), strict=False), True
    except json.JSONDecodeError as exc:
        raise GdeltError(f"invalid JSON from GDELT: {exc}") from exc


def _field(record: dict, key: str) -> str | None:
    value = record.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _record(record) -> GdeltArticle | None:
    """One ArtList record; None when it has no usable http(s) url."""
    url = _field(record, "url") if isinstance(record, dict) else None
    if not is_web_url(url):
        return None
    return GdeltArticle(
        url=url, title=clean_title(_field(record, "title")),
        seendate=parse_seendate(_field(record, "seendate")), domain=_field(record, "domain"),
        language=_field(record, "language"), sourcecountry=_field(record, "sourcecountry"))


def parse_artlist(body: bytes, content_type: str | None = None,
                  maxrecords: int = MAX_RECORDS) -> GdeltResult:
    """Parse an ArtList response. Raises GdeltRefused (rate limit) or GdeltError."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not text:
        raise GdeltError("empty response from GDELT")
    if not text.startswith("{"):
        snippet = SPACES.sub(" ", text[:200])
        if any(marker in text[:500].lower() for marker in RATE_LIMIT_MARKERS):
            raise GdeltRefused(snippet)
        if text.startswith("<"):
            raise GdeltError(f"GDELT answered with an HTML page, not JSON: {snippet}")
        raise GdeltQueryError(f"GDELT rejected the query: {snippet}")
    try:
        data, repaired = _loads(text)
    except RecursionError as exc:
        raise GdeltError("GDELT JSON nested too deeply to read") from exc
    if not isinstance(data, dict):
        raise GdeltError("GDELT JSON is not an object")
    records = data.get("articles") or []
    if not isinstance(records, list):
        raise GdeltError("GDELT 'articles' is not a list")
    built, broken = build_each(records, _record)
    articles = [art for art in built if art is not None]
    return GdeltResult(articles=articles, skipped=len(built) - len(articles), broken=broken,
                       repaired=repaired, truncated=len(records) >= maxrecords)


LANGUAGE_CODES = {"English": "en", "French": "fr", "German": "de", "Spanish": "es",
                  "Japanese": "ja", "Korean": "ko", "Italian": "it", "Portuguese": "pt",
                  "Dutch": "nl", "Polish": "pl", "Ukrainian": "uk", "Russian": "ru",
                  "Chinese": "zh", "Arabic": "ar", "Hebrew": "he", "Turkish": "tr"}


def language_code(name: str | None) -> str | None:
    """GDELT's English language names -> ISO 639-1 where we know it."""
    return LANGUAGE_CODES.get((name or "").strip().title())
