"""USAspending.gov award search (POST api/v2/search/spending_by_award/, no key): the request
body and the reading of its answer into official records.

Format: usaspending-api `api_contracts/contracts/v2/search/spending_by_award.md`. The answer is
`{"results": [...], "page_metadata": {"page": n, "hasNext": bool}, "limit": n}`; each result
holds the requested fields by their display names ("Award ID", "Award Amount", ...) plus
`internal_id` and `generated_internal_id` (CONT_AWD_<PIID>_<agency>_<parent PIID>_<parent
agency>, the award's stable key and page address). "Award Amount" is the money obligated so far,
never the ceiling: the record keeps it as value_kind `obligation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.extract.records import (
    OfficialRecord,
    RecordFormatError,
    amount,
    iso_day,
    load_json,
    text,
)

CONTRACT_CODES = ("A", "B", "C", "D")
IDV_CODES = ("IDV_A", "IDV_B", "IDV_B_A", "IDV_B_B", "IDV_B_C", "IDV_C", "IDV_D", "IDV_E")
FIELDS = ("Award ID", "Recipient Name", "Description", "Award Amount", "Start Date", "End Date",
          "Base Obligation Date", "Awarding Agency", "Awarding Sub Agency", "Contract Award Type",
          "Recipient UEI", "generated_internal_id", "Last Modified Date")
MAX_LIMIT = 100
AWARD_PAGE = "https://www.usaspending.gov/award/"


@dataclass
class AwardPage:
    records: list[OfficialRecord] = field(default_factory=list)
    has_next: bool = False
    broken: int = 0   # results that are not objects or have no award id


def search_body(keywords: list[str], start: date, end: date, award_type_codes: list[str],
                page: int = 1, limit: int = MAX_LIMIT) -> dict:
    """The documented request: awards with any keyword, in the window, newest first."""
    return {"subawards": False, "page": page, "limit": min(limit, MAX_LIMIT),
            "sort": "Base Obligation Date", "order": "desc",
            "filters": {"keywords": list(keywords),
                        "award_type_codes": list(award_type_codes),
                        "time_period": [{"start_date": start.isoformat(),
                                         "end_date": end.isoformat()}]},
            "fields": list(FIELDS)}


def parent_award(generated_id: str | None) -> str | None:
    """The parent IDV's PIID from a generated id (CONT_AWD_<piid>_<ag>_<parent>_<ag>)."""
    parts = (generated_id or "").split("_")
    if len(parts) >= 6 and parts[0] == "CONT" and parts[4] not in ("-NONE-", ""):
        return parts[4]
    return None


def award_record(result: dict, award_type_codes: list[str]) -> OfficialRecord | None:
    generated = text(result.get("generated_internal_id"))
    award_id = text(result.get("Award ID"))
    key = generated or award_id
    if not key:
        return None
    idv = bool(award_type_codes) and all(code.startswith("IDV") for code in award_type_codes)
    value = amount(result.get("Award Amount"))
    return OfficialRecord(
        kind="usaspending", record_id=key, record_type="idv" if idv else "award",
        title=text(result.get("Description")), agency=text(result.get("Awarding Agency")),
        sub_agency=text(result.get("Awarding Sub Agency")),
        recipient=text(result.get("Recipient Name")), country="USA",
        value=value, value_kind="obligation" if value is not None else None,
        currency="USD" if value is not None else None,
        record_date=iso_day(result.get("Base Obligation Date")) or iso_day(
            result.get("Start Date")),
        start_date=iso_day(result.get("Start Date")), end_date=iso_day(result.get("End Date")),
        vehicle=parent_award(generated), status=text(result.get("Contract Award Type")),
        url=AWARD_PAGE + generated if generated else None, raw=result)


def parse_awards(body: bytes, award_type_codes: list[str]) -> AwardPage:
    """One answer page; a body that is not the documented object is a RecordFormatError."""
    data = load_json(body, "USAspending answer")
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise RecordFormatError("USAspending answer has no 'results' list")
    page = AwardPage()
    for result in data["results"]:
        record = award_record(result, award_type_codes) if isinstance(result, dict) else None
        if record is None:
            page.broken += 1
        else:
            page.records.append(record)
    meta = data.get("page_metadata")
    page.has_next = isinstance(meta, dict) and meta.get("hasNext") is True
    return page
