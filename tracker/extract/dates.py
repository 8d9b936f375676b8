"""Date normalisation: fast exact parsers first, dateparser only as the last resort."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

EARLIEST_PLAUSIBLE = date(1995, 1, 1)


def plausible(d: date, today: date | None = None) -> bool:
    """Reject 1970 epochs, zero dates and dates more than a day in the future."""
    today = today or datetime.now(UTC).date()
    return EARLIEST_PLAUSIBLE <= d <= today + timedelta(days=1)


def _to_utc_date(dt: datetime | None) -> date | None:
    """The UTC day; None when the shift to UTC leaves datetime's range (`Fri, 31 Dec 9999
    23:00:00 -0500`, `0001-01-01T00:00:00+05:00` raise OverflowError)."""
    if dt is None:
        return None
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(UTC)
        except OverflowError:
            return None
    return dt.date()


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser  # slow import, only when needed

    return dateparser


def parse_date(value: str | None, languages: list[str] | None = None) -> date | None:
    """Parse a date string from metadata or a feed; None when absent, unparseable or implausible."""
    if not value or not isinstance(value, str):  # JSON listings may hold numbers or objects
        return None
    text = value.strip()
    if not text or text.startswith("0000"):
        return None
    parsed: date | None = None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        parsed = _to_utc_date(datetime.fromisoformat(iso))
    except ValueError:
        try:
            parsed = _to_utc_date(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None and re.search(r"\d", text):
        settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": True,
                    "TO_TIMEZONE": "UTC", "PREFER_DATES_FROM": "past"}
        try:
            dt = _dateparser().parse(text, languages=languages, settings=settings)
        except Exception:  # dateparser raises a variety of errors on junk
            dt = None
        parsed = _to_utc_date(dt)
    if parsed is None or not plausible(parsed):
        return None
    return parsed
