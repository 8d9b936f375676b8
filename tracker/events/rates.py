"""An amount in US dollars at its announcement date, from reference rates shipped as data.

tracker/data/fx_rates.csv holds the ECB's euro reference rates as monthly means (its header
says where they come from). No live FX: a crawl or a reprocess never depends on a rate service,
and the same article always converts the same way. A date past the table takes its last
month and says so; a date before it, or a currency it lacks, converts to nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from tracker.events.aliases import DATA_DIR

RATES_CSV = DATA_DIR / "fx_rates.csv"
SOURCE = "ECB euro reference rates, monthly mean"


@dataclass(frozen=True)
class Conversion:
    usd: float
    rate: float  # US dollars per unit of the currency
    month: str | None  # the month of the rate used (None: the amount was in dollars)
    source: str


@cache
def monthly_rates() -> dict[str, dict[str, float]]:
    """Month (YYYY-MM) -> currency -> units per euro; EUR itself is 1."""
    table: dict[str, dict[str, float]] = {}
    with RATES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            table.setdefault(row["month"], {"EUR": 1.0})[row["currency"]] = float(row["per_eur"])
    return table


def _month_for(day: str | None) -> tuple[str | None, str]:
    """The table's month for a date, and how it was chosen (for the source note)."""
    months = sorted(monthly_rates())
    month = (day or "")[:7]
    if not month:
        return months[-1], f"latest month in the table, {months[-1]} (no event date)"
    if month in monthly_rates():
        return month, month
    if month > months[-1]:
        return months[-1], f"latest month in the table, {months[-1]} (event {month})"
    return None, ""


def to_usd(amount: float, currency: str, day: str | None) -> Conversion | None:
    """Example: 200 million EUR on 2025-07-14 -> about 233.5 million USD at July 2025's rate."""
    if currency == "USD":
        return Conversion(amount, 1.0, None, "stated in US dollars")
    month, chosen = _month_for(day)
    rates = monthly_rates().get(month or "", {})
    if currency not in rates or "USD" not in rates:
        return None
    rate = rates["USD"] / rates[currency]
    return Conversion(round(amount * rate, 2), round(rate, 8), month, f"{SOURCE}, {chosen}")
