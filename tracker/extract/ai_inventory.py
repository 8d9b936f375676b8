"""The US Federal AI Use Case Inventory (OMB, yearly; ombegov/<year>-Federal-Agency-AI-Use-
Case-Inventory): agencies' AI use cases, their stage and vendor, and the commercial AI products
they use.

Two CSV files (UTF-8 with a BOM), told apart by their header:
* individually reported use cases: `agency`, `agency_name`, `id` (e.g. DOT-1000215; some
  agencies leave it blank), `use_case_name`, `agency_bureau`, `development_stage` (Pre-
  deployment, Pilot, Deployed, Retired), `vendor_name`, `operational_date` (ISO, M/D/Y or
  Mon-YY as agencies wrote it), `contracting_usage`... (Validation/data_dictionary.md);
* consolidated commercial (COTS) use cases: `Agency`, `AI Use Case`, `Agency Use (Y/N)?`,
  `Name of Commercial Product or Service Used`, `Estimated # of Licenses/Users`.
The inventory leaves out DoD and intelligence-community national-security systems.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime

from tracker.extract.records import OfficialRecord, RecordFormatError, iso_day, text

USE_CASE_COLUMNS = {"agency", "agency_name", "id", "use_case_name", "development_stage"}
COTS_COLUMNS = {"Agency", "AI Use Case", "Agency Use (Y/N)?",
                "Name of Commercial Product or Service Used"}
DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y", "%b-%y", "%Y-%m")
MAX_FIELD = 1_000_000  # characters in one cell (csv's default limit is 131,072)


@dataclass
class Inventory:
    records: list[OfficialRecord] = field(default_factory=list)
    broken: int = 0     # rows without agency or use case
    skipped: int = 0    # COTS rows of products the agency does not use


def operational_day(value: object) -> str | None:
    """The operational date as YYYY-MM-DD (the first of the month for 'Dec-24'), else None."""
    raw = text(value)
    if not raw:
        return None
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(raw, form).date().isoformat()
        except ValueError:
            continue
    return iso_day(raw)


def fingerprint(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:12]


def use_case_record(row: dict) -> OfficialRecord | None:
    agency, name = text(row.get("agency")), text(row.get("use_case_name"))
    if not agency or not name:
        return None
    key = text(row.get("id")) or f"{agency}-{fingerprint(agency, name)}"
    return OfficialRecord(
        kind="ai_inventory", record_id=key, record_type="use_case", title=name,
        agency=text(row.get("agency_name")) or agency, sub_agency=text(row.get("agency_bureau")),
        recipient=text(row.get("vendor_name")), country="USA",
        record_date=operational_day(row.get("operational_date")),
        status=text(row.get("development_stage")), raw=row)


def cots_record(row: dict) -> OfficialRecord | None:
    agency, use = text(row.get("Agency")), text(row.get("AI Use Case"))
    product = text(row.get("Name of Commercial Product or Service Used"))
    if not agency or not use:
        return None
    return OfficialRecord(
        kind="ai_inventory", record_id=f"cots-{fingerprint(agency, use, product)}",
        record_type="commercial_product", title=f"{product}: {use}" if product else use,
        agency=agency, recipient=product, country="USA", status="in use", raw=row)


def read_rows(body: bytes) -> tuple[list[str], list[dict]]:
    try:
        content = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordFormatError(f"AI use case inventory is not UTF-8 (byte {exc.start})") from exc
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        return list(reader.fieldnames or []), list(reader)
    except csv.Error as exc:
        raise RecordFormatError(f"AI use case inventory: bad CSV: {exc}") from exc


def parse_inventory(body: bytes) -> Inventory:
    """Either CSV of the inventory; any other CSV (or none) is a RecordFormatError."""
    header, rows = read_rows(body)
    if set(header) >= USE_CASE_COLUMNS:
        read, used = use_case_record, None
    elif set(header) >= COTS_COLUMNS:
        read, used = cots_record, "Agency Use (Y/N)?"
    else:
        raise RecordFormatError("not an AI use case inventory CSV (header: "
                                f"{', '.join(header[:6])[:200]})")
    found = Inventory()
    for row in rows:
        if None in row:  # more cells than the header names
            row = {k: v for k, v in row.items() if k is not None}
        if used and (text(row.get(used)) or "").upper() != "Y":
            found.skipped += 1
            continue
        record = read(row)
        if record is None:
            found.broken += 1
        else:
            found.records.append(record)
    return found
