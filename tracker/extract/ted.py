"""TED (Tenders Electronic Daily, the EU's procurement journal) Search API v3: anonymous
`POST https://api.ted.europa.eu/v3/notices/search` with an expert query.

Request: `{"query", "fields": [...], "page", "limit" (<= 250), "scope": "ALL",
"paginationMode": "PAGE_NUMBER", "onlyLatestVersions": true}`. Answer: `{"notices": [...],
"totalNoticeCount", "iterationNextToken", "timedOut"}`; each notice holds the requested fields
by name: `publication-number` ("123456-2025"), multilingual objects for text (`notice-title`:
{"eng": "...", "fra": "..."}, `buyer-name`: {"deu": ["..."]}), lists for codes
(`buyer-country`: ["DEU"], ISO alpha-3), dates with an offset ("2025-07-10+02:00") and values
in the notice's own currency. A value from the result (`total-value`) is `awarded`, one from
the procedure's estimate (`estimated-value-proc`) an `estimate`; never converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.extract.records import (
    OfficialRecord,
    RecordFormatError,
    amount,
    iso_day,
    load_json,
    text,
)

FIELDS = ("publication-number", "notice-title", "buyer-name", "buyer-country",
          "publication-date", "notice-type", "winner-name", "total-value", "total-value-cur",
          "estimated-value-proc", "estimated-value-cur-proc", "classification-cpv", "links")
VALUES = (("total-value", "total-value-cur", "awarded"),
          ("estimated-value-proc", "estimated-value-cur-proc", "estimate"))
MAX_LIMIT = 250
NOTICE_PAGE = "https://ted.europa.eu/en/notice/-/detail/"
LANGUAGES = ("eng", "fra", "deu")  # preferred, in this order, when a text has several


@dataclass
class NoticePage:
    records: list[OfficialRecord] = field(default_factory=list)
    total: int | None = None
    count: int = 0       # notices on the page, readable or not
    broken: int = 0      # notices without a publication number


def search_body(query: str, page: int, limit: int) -> dict:
    return {"query": query, "fields": list(FIELDS), "page": page, "limit": min(limit, MAX_LIMIT),
            "scope": "ALL", "paginationMode": "PAGE_NUMBER", "onlyLatestVersions": True}


def in_language(value: object) -> object:
    """A multilingual text's version in the preferred language (else its first)."""
    if not isinstance(value, dict):
        return value
    language = next((lang for lang in LANGUAGES if lang in value), None)
    return value.get(language) if language else next(iter(value.values()), None)


def first(value: object) -> object:
    """A field's single value: the first of a list, the preferred language of a text."""
    value = in_language(value)
    if isinstance(value, list):
        value = value[0] if value else None
    return value


def names(value: object) -> str | None:
    """Every name a field holds (in one language), '; '-joined."""
    value = in_language(value)
    listed = value if isinstance(value, list) else [value]
    return text("; ".join(n for n in (text(v) for v in listed) if n))


def notice_value(notice: dict) -> tuple[float | None, str | None, str | None]:
    for number_field, currency_field, kind in VALUES:
        number = amount(first(notice.get(number_field)))
        if number is not None:
            return number, text(first(notice.get(currency_field))), kind
    return None, None, None


def notice_record(notice: dict) -> OfficialRecord | None:
    number = text(first(notice.get("publication-number")))
    if not number:
        return None
    value, currency, kind = notice_value(notice)
    return OfficialRecord(
        kind="ted", record_id=number, record_type=text(first(notice.get("notice-type"))),
        title=text(first(notice.get("notice-title"))), agency=names(notice.get("buyer-name")),
        recipient=names(notice.get("winner-name")),
        country=text(first(notice.get("buyer-country"))), value=value, value_kind=kind,
        currency=currency, record_date=iso_day(first(notice.get("publication-date"))),
        url=NOTICE_PAGE + number, raw=notice)


def parse_notices(body: bytes) -> NoticePage:
    data = load_json(body, "TED search answer")
    if not isinstance(data, dict) or not isinstance(data.get("notices"), list):
        raise RecordFormatError("TED search answer has no 'notices' list")
    total = data.get("totalNoticeCount")
    page = NoticePage(total=total if isinstance(total, int) else None,
                      count=len(data["notices"]))
    for notice in data["notices"]:
        record = notice_record(notice) if isinstance(notice, dict) else None
        if record is None:
            page.broken += 1
        else:
            page.records.append(record)
    return page
