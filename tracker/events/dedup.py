"""When two event reports describe the same announcement (pure; the store asks it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DAY_WINDOW = 10
MONTH_WINDOW = 45


@dataclass
class EventProfile:
    vendors: set[str]
    models: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    partners: set[str] = field(default_factory=set)
    event_date: str | None = None
    date_precision: str | None = None

    @property
    def recipients(self) -> set[str]:
        return {f"c:{c}" for c in self.countries} | {f"a:{a}" for a in self.agencies}


def _days_apart(a: EventProfile, b: EventProfile) -> int | None:
    if not a.event_date or not b.event_date:
        return None
    return abs((date.fromisoformat(a.event_date[:10]) - date.fromisoformat(b.event_date[:10])).days)


def dates_compatible(a: EventProfile, b: EventProfile) -> bool | None:
    """True/False when both are dated; None when at least one date is unknown."""
    apart = _days_apart(a, b)
    if apart is None:
        return None
    coarse = "day" not in (a.date_precision, b.date_precision) or \
        a.date_precision != b.date_precision
    return apart <= (MONTH_WINDOW if coarse else DAY_WINDOW)


def _overlap(a: set, b: set) -> tuple[float, float]:
    """(containment of the smaller set, Jaccard)."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared / len(a | b)


def similarity(a: EventProfile, b: EventProfile) -> float:
    """0 when the two cannot be one announcement; otherwise higher is more alike."""
    if not a.vendors & b.vendors:
        return 0.0
    if a.models and b.models and not a.models & b.models:
        return 0.0
    dated = dates_compatible(a, b)
    if dated is False:
        return 0.0
    containment, jaccard = _overlap(a.recipients, b.recipients)
    if not a.recipients and not b.recipients:
        containment = jaccard = 1.0 if dated else 0.0
    if dated:
        return jaccard + containment if containment >= 0.5 else 0.0
    # Undated on one side: demand a close match of who received what, or of what was
    # supplied and who delivered it.
    partner_bonus = _overlap(a.partners, b.partners)[1] if a.partners and b.partners else 0.0
    same_model = bool(a.models & b.models)
    if containment >= 0.75 and jaccard >= 0.5:
        return jaccard + containment + partner_bonus
    if containment == 1.0 and (partner_bonus >= 0.5 or (same_model and jaccard >= 0.15)):
        return jaccard + containment + partner_bonus
    return 0.0


def best_match(new: EventProfile, candidates: dict[str, EventProfile]) -> str | None:
    """The id of the existing event the new report belongs to, or None for a new event."""
    scored = [(similarity(new, profile), event_id) for event_id, profile in candidates.items()]
    scored = [(s, eid) for s, eid in scored if s > 0]
    if not scored:
        return None
    return max(scored, key=lambda pair: (pair[0], pair[1]))[1]
