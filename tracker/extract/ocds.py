"""OCDS release packages (Open Contracting Data Standard 1.1/1.2): UK Find a Tender and
Contracts Finder, and any publisher of the standard.

A package is `{"version", "releases": [...], "links": {"next": url}?}`; a release has `ocid`
(the contracting process), `date`, `tag`, `parties` (with `roles` and `address.country`, ISO
3166-1 alpha-2), `buyer`, and the stages `tender`, `awards[]`, `contracts[]`, each with `id`,
`title`, `status`, `value: {amount, currency}` and dates. One record per stage and item, keyed
`<ocid>/<stage>/<item id>`, so a later release about the same award updates its record:
a tender's value is an `estimate`, an award's or contract's value `awarded`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pycountry

from tracker.extract.records import (
    OfficialRecord,
    RecordFormatError,
    amount,
    iso_day,
    load_json,
    text,
)
from tracker.extract.urls import is_web_url


@dataclass
class Package:
    records: list[OfficialRecord] = field(default_factory=list)
    next_url: str | None = None
    broken: int = 0   # releases without an ocid, stages without an id


def alpha3(code: object) -> str | None:
    found = pycountry.countries.get(alpha_2=code.upper()) if isinstance(code, str) and len(
        code) == 2 else None
    return found.alpha_3 if found else None


def buyer_country(release: dict) -> str | None:
    for party in release.get("parties") or []:
        if isinstance(party, dict) and "buyer" in (party.get("roles") or []):
            address = party.get("address") if isinstance(party.get("address"), dict) else {}
            return alpha3(address.get("country"))
    return None


def money(stage: dict) -> tuple[float | None, str | None]:
    value = stage.get("value") if isinstance(stage.get("value"), dict) else {}
    number = amount(value.get("amount"))
    return number, text(value.get("currency")) if number is not None else None


def suppliers(stage: dict) -> str | None:
    names = [text(s.get("name")) for s in stage.get("suppliers") or [] if isinstance(s, dict)]
    return text("; ".join(n for n in names if n))


def stage_record(release: dict, stage: str, item: dict, **fields) -> OfficialRecord | None:
    key = text(item.get("id"))
    if not key:
        return None
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    value, currency = money(item)
    kind = "estimate" if stage == "tender" else "awarded"
    return OfficialRecord(
        kind="ocds", record_id=f"{release['ocid']}/{stage}/{key}", record_type=stage,
        title=text(item.get("title")) or text(item.get("description")),
        agency=text(buyer.get("name")), country=buyer_country(release),
        value=value, value_kind=kind if value is not None else None, currency=currency,
        status=text(item.get("status")), vehicle=text(release["ocid"]),
        as_of=text(release.get("date")),
        raw={"ocid": release["ocid"], stage: item}, **fields)


def period(item: dict, name: str) -> dict:
    return item.get(name) if isinstance(item.get(name), dict) else {}


def release_records(release: dict) -> tuple[list[OfficialRecord], int]:
    """The release's tender, awards and contracts; and how many had no id."""
    found: list[OfficialRecord | None] = []
    tender = release.get("tender")
    if isinstance(tender, dict):
        found.append(stage_record(
            release, "tender", tender,
            record_date=iso_day(period(tender, "tenderPeriod").get("startDate"))
            or iso_day(release.get("date"))))
    for award in [a for a in release.get("awards") or [] if isinstance(a, dict)]:
        contract_period = period(award, "contractPeriod")
        found.append(stage_record(
            release, "award", award, recipient=suppliers(award),
            record_date=iso_day(award.get("date")) or iso_day(release.get("date")),
            start_date=iso_day(contract_period.get("startDate")),
            end_date=iso_day(contract_period.get("endDate"))))
    awarded = {a.get("id"): suppliers(a) for a in release.get("awards") or []
               if isinstance(a, dict)}
    for contract in [c for c in release.get("contracts") or [] if isinstance(c, dict)]:
        found.append(stage_record(
            release, "contract", contract, recipient=awarded.get(contract.get("awardID")),
            record_date=iso_day(contract.get("dateSigned")) or iso_day(
                period(contract, "period").get("startDate")) or iso_day(release.get("date")),
            start_date=iso_day(period(contract, "period").get("startDate")),
            end_date=iso_day(period(contract, "period").get("endDate"))))
    records = [r for r in found if r is not None]
    return records, len(found) - len(records)


def parse_package(body: bytes) -> Package:
    """One release package; not a package at all is a RecordFormatError."""
    data = load_json(body, "OCDS release package")
    if not isinstance(data, dict) or not isinstance(data.get("releases"), list):
        raise RecordFormatError("OCDS release package has no 'releases' list")
    package = Package()
    for release in data["releases"]:
        if not isinstance(release, dict) or not text(release.get("ocid")):
            package.broken += 1
            continue
        records, broken = release_records(release)
        package.records += records
        package.broken += broken
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    following = links.get("next")
    package.next_url = following if isinstance(following, str) and is_web_url(following) else None
    return package
