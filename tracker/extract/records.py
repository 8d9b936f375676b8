"""Official records (awards, authorizations, notices) as one shape, whatever the publisher.

Each official source's parser (usaspending, fedramp, ...) turns the publisher's JSON into
OfficialRecord values with the helpers here, which refuse what no record can hold (an amount
that is not a finite number below MAX_VALUE, a date that is no date) instead of storing it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date

MAX_VALUE = 1e13  # above any real award (the largest US contracts are ~1e11 USD)
MAX_TEXT = 2000   # a title or agency name longer than this is cut
VALUE_KINDS = ("obligation", "ceiling", "estimate", "awarded")


class RecordFormatError(ValueError):
    """A publisher's document cannot be read as records (not JSON, not the documented shape)."""


@dataclass
class OfficialRecord:
    kind: str
    record_id: str
    record_type: str
    title: str | None = None
    agency: str | None = None
    sub_agency: str | None = None
    recipient: str | None = None
    country: str | None = None
    value: float | None = None
    value_kind: str | None = None
    currency: str | None = None
    record_date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    vehicle: str | None = None
    status: str | None = None
    security_level: str | None = None
    url: str | None = None
    as_of: str | None = None       # the publication's own timestamp, where records are versioned
    raw: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.record_id}"

    def as_dict(self) -> dict:
        if self.value_kind not in (None, *VALUE_KINDS):
            raise ValueError(f"unknown value kind {self.value_kind!r}")
        row = asdict(self)
        row["id"] = self.id
        row["raw"] = json.dumps(self.raw, ensure_ascii=False, sort_keys=True)
        row["content_hash"] = hashlib.sha1(
            json.dumps(row, sort_keys=True).encode()).hexdigest()
        return row


def load_json(body: bytes, what: str) -> object:
    """The body as JSON, or RecordFormatError naming `what` was expected."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RecordFormatError(f"{what} is not valid JSON: {str(exc)[:120]}") from exc


def text(value: object) -> str | None:
    """A string field, trimmed and bounded; numbers become text, anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:MAX_TEXT] or None


def amount(value: object) -> float | None:
    """A money amount as published (a number or numeric text), None when it is none: huge,
    negative-infinite or NaN values are refused rather than stored."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number) or abs(number) > MAX_VALUE:
        return None
    return round(number, 2)


def iso_day(value: object) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp ('2024-09-09T20:00:00.000Z'), else None."""
    raw = text(value)
    if not raw or len(raw) < 10:
        return None
    try:
        return date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        return None
