"""The FedRAMP Marketplace data file (GSA/marketplace-fedramp-gov-data `data.json`, behind
marketplace.fedramp.gov): cloud products with their FedRAMP status and impact level, and the
marketplace's list of the latest status changes.

Format: `{"meta": {"last_change", "produced_by"}, "data": {"Products": [...], "Metrics":
{"latest": [...]}, ...}}`. A product has `id` (the FedRAMP id), `csp` (the provider), `cso`
(the offering), `status` ("FedRAMP Authorized", "FedRAMP In Process", "FedRAMP Ready"),
`impact_level` ("Low", "Moderate", "High", "LI-SaaS", "20x Low"...), `auth_type` (JAB,
Agency, Program), `auth_date` and the in-process dates (`ip_agency_date`, ...) as ISO stamps or
words ("Not Active", "No FRR Date"), `partnering_agency`, `service_desc`. A `latest` entry is
`{"id", "cso", "date", "status": "Now Authorized" | "Now in Agency Review" | ...}`.

Records: one `product` per product (its current state, updated in place) and `status_change`
steps: the product's status and impact level on its date (a new step whenever either moves,
so the history builds up run after run), and the marketplace's own latest changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.extract.records import OfficialRecord, RecordFormatError, iso_day, load_json, text

PRODUCT_PAGE = "https://marketplace.fedramp.gov/products/"
PROGRESS_DATES = ("ip_pmo_date", "ip_agency_date", "ip_prog_date", "ip_jab_date", "ready_date")
NO_AGENCY = {"", "not in process", "not active", "n/a"}
STEP_FIELDS = ("id", "csp", "cso", "status", "impact_level", "auth_type", "auth_date",
               *PROGRESS_DATES)


@dataclass
class Marketplace:
    records: list[OfficialRecord] = field(default_factory=list)
    broken: int = 0      # products or changes without an id
    skipped: int = 0     # not matching the source's `match`


def product_date(product: dict) -> str | None:
    """The authorization date of an authorized product, else its latest in-process date."""
    if product.get("status") == "FedRAMP Authorized" and iso_day(product.get("auth_date")):
        return iso_day(product.get("auth_date"))
    dates = [iso_day(product.get(key)) for key in PROGRESS_DATES]
    return max((d for d in dates if d), default=None)


def authorizing_agencies(product: dict) -> str | None:
    """The agencies holding an authorization (ATO) for the product, '; '-joined, else the
    agency sponsoring it through the process."""
    listed = product.get("agency_authorizations")
    names = [text(a) for a in listed if text(a)] if isinstance(listed, list) else []
    sponsor = text(product.get("partnering_agency"))
    if not names and sponsor and sponsor.lower() not in NO_AGENCY:
        names = [sponsor]
    return text("; ".join(names))


def product_record(product: dict) -> OfficialRecord | None:
    key = text(product.get("id"))
    if not key:
        return None
    return OfficialRecord(
        kind="fedramp", record_id=key, record_type="product",
        title=text(product.get("cso")), recipient=text(product.get("csp") or product.get("name")),
        agency=authorizing_agencies(product),
        sub_agency=text(product.get("auth_type")), country="USA",
        record_date=product_date(product), status=text(product.get("status")),
        security_level=text(product.get("impact_level")), url=PRODUCT_PAGE + key, raw=product)


def status_step(product: dict) -> OfficialRecord | None:
    """The product's status and impact level on its date, as a step of its history: the
    product row holds the current state only, these steps accumulate run after run."""
    key, status, day = text(product.get("id")), text(product.get("status")), product_date(product)
    if not key or not status or not day:
        return None
    level = text(product.get("impact_level"))
    return OfficialRecord(
        kind="fedramp", record_id=f"{key}:{day}:{status}:{level}", record_type="status_change",
        title=f"{text(product.get('cso')) or key}: {status} ({level})",
        recipient=text(product.get("csp") or product.get("name")), country="USA",
        record_date=day, status=status, security_level=level, vehicle=key,
        url=PRODUCT_PAGE + key, raw={k: product.get(k) for k in STEP_FIELDS})


def change_record(change: dict, products: dict[str, dict]) -> OfficialRecord | None:
    key, status, day = text(change.get("id")), text(change.get("status")), iso_day(
        change.get("date"))
    if not key or not status or not day:
        return None
    product = products.get(key, {})
    return OfficialRecord(
        kind="fedramp", record_id=f"{key}:{day}:{status}", record_type="status_change",
        title=f"{text(change.get('cso')) or key}: {status}",
        recipient=text(product.get("csp")), country="USA", record_date=day, status=status,
        security_level=text(product.get("impact_level")), vehicle=key,
        url=PRODUCT_PAGE + key, raw=change)


def _matches(pattern: re.Pattern | None, *values: object) -> bool:
    return pattern is None or any(isinstance(v, str) and pattern.search(v) for v in values)


def _listed(data: dict, name: str) -> list:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordFormatError(f"FedRAMP data file: {name} is not a list")
    return value


def parse_marketplace(body: bytes, match: str | None = None) -> Marketplace:
    """Products (and the latest status changes) whose provider, offering or description match
    `match` (a regex, case-insensitive; all when None)."""
    document = load_json(body, "FedRAMP data file")
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("Products"), list):
        raise RecordFormatError("FedRAMP data file has no data.Products list")
    metrics = data.get("Metrics") if isinstance(data.get("Metrics"), dict) else {}
    pattern = re.compile(match, re.I) if match else None
    found = Marketplace()
    products = {p["id"]: p for p in data["Products"]
                if isinstance(p, dict) and isinstance(p.get("id"), str)}
    entries = [(product_record, p, (p.get("csp"), p.get("cso"), p.get("service_desc")))
               for p in data["Products"] if isinstance(p, dict)]
    entries += [(lambda c: change_record(c, products), c, (c.get("cso"),))
                for c in _listed(metrics, "latest") if isinstance(c, dict)]
    found.broken = (len(data["Products"]) + len(_listed(metrics, "latest"))) - len(entries)
    for read, entry, searched in entries:
        if not _matches(pattern, *searched):
            found.skipped += 1
            continue
        record = read(entry)
        if record is None:
            found.broken += 1
            continue
        found.records.append(record)
        step = status_step(entry) if read is product_record else None
        if step is not None:
            found.records.append(step)
    return found
