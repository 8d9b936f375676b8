"""The sources registry: a YAML file listing what to crawl, validated before anything runs."""

from __future__ import annotations

import difflib
import re
import reprlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from tracker.extract.urls import is_web_url

DEFAULT_SOURCES = Path(__file__).with_name("sources.yml")
OPTIONS_FILE = Path(__file__).with_name("data") / "source_options.yml"
KINDS = {"feed", "sitemap", "gdelt", "googlenews", "govuk", "listing", "usaspending", "fedramp",
         "ai_inventory", "ocds", "ted"}
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", re.IGNORECASE)
# A sources file is a few kilobytes (the default registry: 9 KB). These bounds keep a hostile or
# broken one from taking the memory: 568 bytes of nested YAML aliases expand to gigabytes.
MAX_FILE_BYTES = 1024 * 1024
MAX_ALIASES = 50
MAX_DEPTH = 20


class SourcesError(ValueError):
    """The sources file is unusable; the message names the file and the entry."""


class YamlLimit(yaml.YAMLError):
    """The YAML document exceeds a bound of MAX_ALIASES or MAX_DEPTH."""


class BoundedLoader(yaml.SafeLoader):
    """yaml.safe_load that refuses more than MAX_ALIASES aliases and nesting past MAX_DEPTH
    while composing, before any structure is built."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise YamlLimit(f"more than {MAX_ALIASES} YAML aliases (*name); "
                                "write the entries out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlLimit(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@lru_cache(maxsize=1)
def kind_options() -> dict[str, dict[str, str]]:
    """kind -> {option: value type}, the options common to every kind included."""
    table = yaml.safe_load(OPTIONS_FILE.read_text(encoding="utf-8"))
    common = table.pop("common")
    return {kind: {**common, **options} for kind, options in table.items()}


VALUE_TYPES = {  # value type -> (check, what a value must be)
    "text": (lambda v: isinstance(v, str), "a string"),
    "flag": (lambda v: isinstance(v, bool), "true or false"),
    "count": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "regex": (lambda v: isinstance(v, str), "a regular expression string"),
    "selector": (lambda v: isinstance(v, str), "a CSS selector string"),
    "slugs": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
              "a list of slugs"),
    "texts": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
              "a list of strings"),
}


def _short_repr() -> reprlib.Repr:
    bounded = reprlib.Repr()
    bounded.maxstring = bounded.maxother = 60
    bounded.maxlist = bounded.maxdict = 4
    bounded.maxlevel = 2
    return bounded


SHORT = _short_repr()


def short(value: object) -> str:
    """A bounded repr for messages: never print a structure the file may have blown up."""
    return SHORT.repr(value)


def unknown_option_problem(kind: str, options: dict) -> str | None:
    """A key the kind does not read (a typo, most often), or a value of the wrong type."""
    allowed = kind_options()[kind]
    for key, value in options.items():
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]}?)" if close else (
                f" (known: {', '.join(sorted(allowed))})")
            return f"unknown option {short(key)} for a {kind} source{hint}"
        check, what = VALUE_TYPES[allowed[key]]
        if not check(value):
            return f"{key} must be {what}, not {short(value)}"
    return None


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    language: str | None = None
    max_requests: int | None = None
    options: dict = field(default_factory=dict, hash=False, compare=False)


POSITIVE_INTS = ("max_pages", "max_age_days", "max_sitemaps", "count", "max_splits",
                 "max_resolve_attempts", "days", "limit")
REGEXES = ("allow", "follow")
SELECTORS = ("link_selector", "item_selector", "title_selector", "date_selector",
             "next_selector", "body_selector")
ARTICLE_PARSERS = {"dod_contracts"}


def usaspending_problem(options: dict) -> str | None:
    """The award search needs keywords, a page size the API accepts and one award-type group."""
    from tracker.extract.usaspending import CONTRACT_CODES, IDV_CODES, MAX_LIMIT

    keywords = options.get("keywords")
    if not keywords or not all(k.strip() for k in keywords):
        return "a usaspending source needs 'keywords' (a list of search words)"
    if options.get("limit", MAX_LIMIT) > MAX_LIMIT:
        return f"limit must be at most {MAX_LIMIT}"
    codes = set(options.get("award_type_codes", CONTRACT_CODES))
    if not (codes <= set(CONTRACT_CODES) or codes <= set(IDV_CODES)) or not codes:
        return ("award_type_codes must be contract codes (A, B, C, D) or IDV codes "
                "(IDV_A ... IDV_E), not both: the API takes one group per query")
    return None


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
            return f"timespan {short(options['timespan'])} is not like 1d, 12h, 2weeks or 3months"
    has_q = "q" in parse_qs(urlsplit(url).query)
    if kind == "googlenews" and not options.get("query") and not has_q:
        return "a googlenews source needs a 'query' (or a search url with q=)"
    if kind == "listing":
        if not options.get("link_selector"):
            return "a listing source needs a 'link_selector' (CSS for the article links)"
        parser = options.get("article_parser")
        if parser is not None and parser not in ARTICLE_PARSERS:
            known = ", ".join(sorted(ARTICLE_PARSERS))
            return f"unknown article_parser {short(parser)} (known: {known})"
    kind_problem = KIND_CHECKS.get(kind)
    return kind_problem(options) if kind_problem else None


def govuk_problem(options: dict) -> str | None:
    for key in ("organisations", "formats"):
        value = options.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{key} must be a list of slugs"
    return None


def ted_problem(options: dict) -> str | None:
    from tracker.extract.ted import MAX_LIMIT

    if not isinstance(options.get("query"), str) or not options["query"].strip():
        return "a ted source needs a 'query' (TED expert search syntax)"
    if options.get("limit", MAX_LIMIT) > MAX_LIMIT:
        return f"limit must be at most {MAX_LIMIT}"
    return None


KIND_CHECKS = {"govuk": govuk_problem, "usaspending": usaspending_problem, "ted": ted_problem}


def _entry_error(path: Path, index: int, entry: object, why: str) -> SourcesError:
    name = entry.get("name") if isinstance(entry, dict) else None
    label = name[:60] if isinstance(name, str) and name else f"#{index + 1}"
    return SourcesError(f"{path}: source {label}: {why}")


def parse_source(path: Path, index: int, entry: object) -> Source:
    """Validate one entry of the `sources:` list."""
    if not isinstance(entry, dict):
        raise _entry_error(path, index, entry, "must be a mapping with name, kind and url")
    name = entry.get("name")
    if not isinstance(name, str) or not name or not set(name.lower()) <= NAME_CHARS:
        raise _entry_error(path, index, entry, "name must be letters, digits, '-', '_' or '.'")
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise _entry_error(path, index, entry, f"unknown kind {short(kind)} "
                           f"(expected one of {', '.join(sorted(KINDS))})")
    url = entry.get("url")
    if not isinstance(url, str) or not is_web_url(url):
        raise _entry_error(path, index, entry, f"url {short(url)} is not an http(s) URL")
    max_requests = entry.get("max_requests")
    if max_requests is not None and (not isinstance(max_requests, int)
                                     or isinstance(max_requests, bool) or max_requests < 1):
        raise _entry_error(path, index, entry, "max_requests must be a positive integer")
    language = entry.get("language")
    if language is not None and not (isinstance(language, str)
                                     and LANGUAGE_CODE.fullmatch(language)):
        raise _entry_error(path, index, entry,
                           f"language must be one language code like en or pt-BR, "
                           f"not {short(language)}")
    known = {"name", "kind", "url", "language", "max_requests"}
    options = {k: v for k, v in entry.items() if k not in known}
    problem = unknown_option_problem(kind, options) or check_options(kind, url, options)
    if problem:
        raise _entry_error(path, index, entry, problem)
    return Source(name=name, kind=kind, url=url.strip(), language=entry.get("language"),
                  max_requests=max_requests, options=options)


def read_text(path: Path) -> str:
    """The file as UTF-8 text, refusing what is too large to be a sources file or no text."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise SourcesError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB; "
                           "a sources file is a few kilobytes of YAML")
    if b"\0" in raw:
        raise SourcesError(f"{path}: binary file (NUL bytes), not YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                           f"{exc.start}); save it as UTF-8") from exc


def parse_yaml(path: Path, text: str) -> object:
    try:
        return yaml.load(text, Loader=BoundedLoader)  # a SafeLoader subclass
    except YamlLimit as exc:
        raise SourcesError(f"{path}: {exc}") from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourcesError(f"{path}: invalid YAML{at}: {short(problem)[1:-1]}") from exc
    except RecursionError as exc:
        raise SourcesError(f"{path}: nested too deeply") from exc


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Read and validate a sources file; raises SourcesError naming the bad entry."""
    path = Path(path) if path else DEFAULT_SOURCES
    data = parse_yaml(path, read_text(path))
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
