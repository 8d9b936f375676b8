"""The sources registry: a YAML file listing what to crawl, validated before anything runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from tracker.extract.urls import is_web_url

DEFAULT_SOURCES = Path(__file__).with_name("sources.yml")
KINDS = {"feed", "sitemap", "gdelt", "googlenews", "govuk", "listing"}
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class SourcesError(ValueError):
    """The sources file is unusable; the message names the file and the entry."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    language: str | None = None
    max_requests: int | None = None
    options: dict = field(default_factory=dict, hash=False, compare=False)


POSITIVE_INTS = ("max_pages", "max_age_days", "max_sitemaps", "count", "max_splits",
                 "max_resolve_attempts")
REGEXES = ("allow", "follow")
SELECTORS = ("link_selector", "item_selector", "title_selector", "date_selector",
             "next_selector", "body_selector")
ARTICLE_PARSERS = {"dod_contracts"}


def check_options(kind: str, url: str, options: dict) -> str | None:
    """Why a source's kind-specific options are unusable, or None when they are fine."""
    for key in POSITIVE_INTS:
        value = options.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < (0 if key == "max_splits" else 1)):
            return f"{key} must be a positive integer"
    for key in REGEXES:
        if options.get(key) is not None:
            try:
                re.compile(str(options[key]))
            except re.error as exc:
                return f"{key} is not a valid regular expression: {exc}"
    for key in SELECTORS:
        if options.get(key) is not None:
            from tracker.extract.listing import ListingError, check_selector

            try:
                check_selector(str(options[key]))
            except ListingError as exc:
                return f"{key}: {exc}"
    if kind == "gdelt":
        from tracker.extract.gdelt import MAX_RECORDS, timespan_delta

        if not isinstance(options.get("query"), str) or not options["query"].strip():
            return "a gdelt source needs a 'query' (GDELT DOC 2.0 syntax)"
        records = options.get("maxrecords", MAX_RECORDS)
        if not isinstance(records, int) or not 1 <= records <= MAX_RECORDS:
            return f"maxrecords must be between 1 and {MAX_RECORDS}"
        if options.get("timespan") is not None and not timespan_delta(str(options["timespan"])):
            return f"timespan {options['timespan']!r} is not like 1d, 12h, 2weeks or 3months"
    has_q = "q" in parse_qs(urlsplit(url).query)
    if kind == "googlenews" and not options.get("query") and not has_q:
        return "a googlenews source needs a 'query' (or a search url with q=)"
    if kind == "listing":
        if not options.get("link_selector"):
            return "a listing source needs a 'link_selector' (CSS for the article links)"
        parser = options.get("article_parser")
        if parser is not None and parser not in ARTICLE_PARSERS:
            known = ", ".join(sorted(ARTICLE_PARSERS))
            return f"unknown article_parser {parser!r} (known: {known})"
    if kind == "govuk":
        for key in ("organisations", "formats"):
            value = options.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"{key} must be a list of slugs"
    return None


def _entry_error(path: Path, index: int, entry: object, why: str) -> SourcesError:
    label = entry.get("name") if isinstance(entry, dict) and entry.get("name") else f"#{index + 1}"
    return SourcesError(f"{path}: source {label}: {why}")


def parse_source(path: Path, index: int, entry: object) -> Source:
    """Validate one entry of the `sources:` list."""
    if not isinstance(entry, dict):
        raise _entry_error(path, index, entry, "must be a mapping with name, kind and url")
    name = entry.get("name")
    if not isinstance(name, str) or not name or not set(name.lower()) <= NAME_CHARS:
        raise _entry_error(path, index, entry, "name must be letters, digits, '-', '_' or '.'")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise _entry_error(path, index, entry,
                           f"unknown kind {kind!r} (expected one of {', '.join(sorted(KINDS))})")
    url = entry.get("url")
    if not isinstance(url, str) or not is_web_url(url):
        raise _entry_error(path, index, entry, f"url {url!r} is not an http(s) URL")
    max_requests = entry.get("max_requests")
    if max_requests is not None and (not isinstance(max_requests, int) or max_requests < 1):
        raise _entry_error(path, index, entry, "max_requests must be a positive integer")
    known = {"name", "kind", "url", "language", "max_requests"}
    options = {k: v for k, v in entry.items() if k not in known}
    problem = check_options(kind, url, options)
    if problem:
        raise _entry_error(path, index, entry, problem)
    return Source(name=name, kind=kind, url=url.strip(), language=entry.get("language"),
                  max_requests=max_requests, options=options)


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Read and validate a sources file; raises SourcesError naming the bad entry."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}: expected a top-level 'sources:' list")
    sources = [parse_source(path, i, entry) for i, entry in enumerate(data["sources"])]
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{path}: source {source.name}: duplicate name")
        seen.add(source.name)
    if not sources:
        raise SourcesError(f"{path}: the sources list is empty")
    return sources
