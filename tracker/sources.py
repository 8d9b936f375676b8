"""The sources registry: a YAML file listing what to crawl, validated before anything runs."""

from __future__ import annotations

import pkgutil
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

import spiders
from tracker.extract.urls import is_web_url
from tracker.source_options import (
    OptionError,
    SourceOptions,
    build_options,
    markdown_rows,
    short,
)

DEFAULT_SOURCES = Path(__file__).with_name("sources.yml")
# A kind is a module of spiders/: adding one needs no list kept here.
KINDS = frozenset(module.name for module in pkgutil.iter_modules(spiders.__path__))
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


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    language: str | None = None
    max_requests: int | None = None
    # load_sources gives the kind's own class (spiders/<kind>.py); a Source made in code without
    # options has only the common ones.
    options: SourceOptions = field(default_factory=SourceOptions, hash=False, compare=False)


@cache
def options_class(kind: str) -> type[SourceOptions]:
    """A kind's options dataclass, declared beside its reader (spiders/<kind>.py). Importing
    the module starts no crawl: validating a sources file needs no Scrapy process."""
    from tracker.crawling.base import reader_class  # keeps `tracker serve` etc. light

    return reader_class(kind).options_class


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
    raw_options = {k: v for k, v in entry.items() if k not in known}
    try:
        options = build_options(options_class(kind), kind, url, raw_options)
    except OptionError as exc:
        raise _entry_error(path, index, entry, str(exc)) from None
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


OPTIONS_TABLE_HEAD = ["| kind | option | value | default | what it does |",
                      "|---|---|---|---|---|"]


def options_table() -> str:
    """The README's table of options (between its options-table markers), from the dataclasses:
    the common options, then each kind's own."""
    rows = OPTIONS_TABLE_HEAD + markdown_rows("every kind", SourceOptions)
    for kind in sorted(KINDS):
        rows += (markdown_rows(f"`{kind}`", options_class(kind), SourceOptions)
                 or [f"| `{kind}` | none | | | |"])
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--options-table"]:
        print("usage: python -m tracker.sources --options-table", file=sys.stderr)
        sys.exit(2)
    print(options_table(), end="")
