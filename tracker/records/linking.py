"""Which official records stand behind a news event, or why none can.

Pure functions over plain dicts (events and records as db/store.py reads them); the crawl
writes what they decide (record_links, events.records). A record is a candidate when its
recipient is one of the event's vendors or partners (names resolved with the alias tables, so
"GOOGLE PUBLIC SECTOR LLC" is Google); agency, date, product, vehicle and value then add to
its score:

| criterion | weight | holds when |
|---|---|---|
| vendor | 0.35 | the recipient resolves to an event vendor (a partner, a reseller: 0.25) |
| agency | 0.25 | the record's agency resolves to an event agency or the department above |
| date | 0.2 | an award within DATE_WINDOW days of the event, a status step within |
| | | STEP_WINDOW, a FedRAMP product authorized by then |
| product | 0.25 | the record's offering is named in the reports, or its title an event model |
| vehicle | 0.15 | the record's vehicle / parent id appears in the reports |
| value | 0.15 | the event's value (deal facts, where the events layer gives them) is within |
| | | VALUE_TOLERANCE of the record's, same currency and comparable kinds |

A record of one country (USA for USAspending and FedRAMP) is a candidate only for events in
that country, or, for events naming no country, when its agency holds; an award, use case or
notice (one buyer's record) only when its agency holds, a FedRAMP authorization (valid for
every agency) without. A candidate scoring at
least MATCH_SCORE (the vendor and two more criteria) is linked, with every criterion that held
as its reason; of one FedRAMP product and its status steps, the best scoring one only. The
reasons an award record cannot exist (NO_RECORD_REASONS) are stated too, so an event without
a match says why instead of staying blank.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from tracker.events.aliases import gazetteer

MATCH_SCORE = 0.7
DATE_WINDOW = 120          # days between an award and the news of it
STEP_WINDOW = 30           # days between a FedRAMP status step and the news of it
AUTHORIZED_GRACE = 30      # a product authorized up to this long after the event still counts
DOD_DELAY_DAYS = 90        # DoD publishes contract awards in FPDS / USAspending after 90 days
MAX_LINKS = 5
WEIGHTS = {"vendor": 0.35, "partner": 0.25, "agency": 0.25, "date": 0.2, "product": 0.25,
           "vehicle": 0.15, "value": 0.15}
VALUE_TOLERANCE = 0.1      # relative difference between a reported and a recorded amount
# A reported value's kind (deal facts) -> the record value kinds it can be compared with:
# a ceiling is never compared with money obligated so far.
COMPARABLE_VALUES = {"ceiling": {"ceiling", "estimate"},
                     "awarded": {"awarded", "obligation", "ceiling"},
                     "obligated": {"obligation", "awarded"}}

NO_RECORD_REASONS = {
    "ota_not_in_usaspending": "an Other Transaction agreement: USAspending carries no OTAs",
    "dod_90_day_delay": "a DoD award less than 90 days old: DoD publishes awards after 90 days",
    "national_security_excluded": "a national-security use: the Federal AI Use Case Inventory "
                                  "excludes DoD and intelligence-community systems",
    "classified": "the reports say the deal or its value is classified or kept secret",
    "non_us_no_registry": "a recipient outside the US with no EU/UK registry source crawled",
}
# The department each DoD component reports under (award records name the department).
DOD_COMPONENTS = {
    "us-dod", "us-cdao", "us-jaic", "us-diu", "us-darpa", "us-disa", "us-dla", "us-dia",
    "us-dcsa", "us-dtra", "us-dha", "us-mda", "us-sda", "us-nga", "us-nro", "us-nsa",
    "us-joint-staff", "us-army", "us-air-force", "us-space-force", "us-navy", "us-marine-corps",
    "us-national-guard", "us-indopacom", "us-eucom", "us-centcom", "us-africom", "us-southcom",
    "us-northcom", "us-socom", "us-cybercom", "us-spacecom", "us-transcom", "us-stratcom",
    "us-army-futures-command", "us-devcom", "us-army-cyber-command",
    "us-army-contracting-command", "us-xviii-airborne-corps", "us-afrl", "us-afwerx",
    "us-space-systems-command", "us-nrl", "us-onr", "us-niwc", "us-navair", "us-navsea"}
INTELLIGENCE = {"us-cia", "us-odni", "us-nsa", "us-nga", "us-nro", "us-dia", "us-iarpa"}
EU_MEMBERS = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
              "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
              "SVN", "ESP", "SWE", "NOR", "ISL", "LIE"}  # TED also carries EEA notices
OTA = re.compile(r"\bother[- ]transactions?\b(?: authority| agreements?)?|\bOTAs?\b|"
                 r"\bprototype (?:OT|agreements?)\b", re.I)
# "Classified" qualifying the deal or its cost, not the networks or data the AI works on.
SECRET_WORD = (r"(?:classified|kept secret|geheim\w*|verschlusssache|secret[- ]d[ée]fense)"
               r"(?!\s+(?:networks?|systems?|environments?|data|information|work|workloads?|"
               r"levels?|clouds?|settings?|use|missions?|Netz\w*|Systeme?\w*)\b)")
CLASSIFIED = re.compile(
    r"\b(?:cost|costs|price|value|amount|terms|kosten|preis|betrag|montant|prix)\b"
    rf"[^.]{{0,60}}\b{SECRET_WORD}|"
    r"\bclassified (?:contract|deal|award|agreement|programme|program|budget)s?\b", re.I)


@lru_cache(maxsize=4096)
def resolved(name: str | None, kind: str) -> frozenset[str]:
    """Canonical names of the `kind` entities (vendor, partner, agency) a record field names."""
    if not name:
        return frozenset()
    return frozenset(m.entity.name for m in gazetteer().find(name) if m.entity.kind == kind)


@lru_cache(maxsize=1)
def agency_ids() -> dict[str, str]:
    """Canonical agency name -> id (the timeline holds names)."""
    return {e.name: e.id for e in gazetteer().by_kind("agency")}


def event_agency_ids(event: dict) -> set[str]:
    names = agency_ids()
    return {names[a] for a in event.get("agencies", []) if a in names}


def days_between(first: str | None, second: str | None) -> int | None:
    try:
        return (date.fromisoformat(second[:10]) - date.fromisoformat(first[:10])).days
    except (TypeError, ValueError):
        return None


def agencies_held(event: dict, record: dict) -> list[str]:
    """The event's agencies the record's agency names (or the department above them), also
    inside a longer name ('... Nutzung der Bundeswehr' for the Bundeswehr)."""
    named = resolved(record.get("agency"), "agency") | resolved(record.get("sub_agency"),
                                                                "agency")
    words = f"{record.get('agency') or ''} {record.get('sub_agency') or ''}".casefold()
    named |= {a for a in event.get("agencies", [])
              if len(a) > 4 and re.search(rf"\b{re.escape(a.casefold())}\b", words)}
    held = sorted(named & set(event.get("agencies", [])))
    if not held and "Department of Defense" in named and event_agency_ids(event) & DOD_COMPONENTS:
        held = ["Department of Defense"]
    return held


def date_holds(event: dict, record: dict) -> bool:
    delta = days_between(event.get("event_date"), record.get("record_date"))
    if delta is None:
        return False
    if record.get("kind") == "fedramp" and record.get("record_type") == "product":
        authorized = (record.get("status") or "").endswith("Authorized")
        return authorized and delta <= AUTHORIZED_GRACE
    window = STEP_WINDOW if record.get("record_type") == "status_change" else DATE_WINDOW
    return abs(delta) <= window


def product_holds(event: dict, record: dict, text: str) -> bool:
    title = (record.get("title") or "").casefold()
    if not title:
        return False
    offering = title.split(":")[0].strip()
    named = record.get("kind") == "fedramp" and len(offering) > 3 and offering in text
    return named or any(len(m) > 3 and re.search(rf"\b{re.escape(m.casefold())}\b", title)
                        for m in event.get("models", []))


def value_holds(event: dict, record: dict) -> bool:
    reported, recorded = event.get("value_amount"), record.get("value")
    if not reported or not recorded or event.get("value_currency") != record.get("currency"):
        return False
    if record.get("value_kind") not in COMPARABLE_VALUES.get(event.get("value_kind"), ()):
        return False
    return abs(reported - recorded) <= VALUE_TOLERANCE * max(reported, recorded)


def country_holds(event: dict, record: dict, agency: bool) -> bool:
    countries = event.get("countries") or []
    if not record.get("country"):
        return True
    return record["country"] in countries if countries else agency


def governmentwide(record: dict) -> bool:
    """A FedRAMP authorization serves every agency; an award, use case or notice is one
    buyer's, so it is a candidate only when its agency is one of the event's."""
    return record.get("kind") == "fedramp"


def criteria(event: dict, record: dict, text: str) -> list[str]:
    """The criteria a record meets for an event (empty unless a vendor or partner holds, the
    record's country is the event's and, but for FedRAMP, its agency too)."""
    recipients = resolved(record.get("recipient"), "vendor") | resolved(
        record.get("recipient"), "partner")
    if recipients & set(event.get("vendors", [])):
        held = ["vendor"]
    elif recipients & set(event.get("partners", [])):
        held = ["partner"]
    else:
        return []
    agency = bool(agencies_held(event, record))
    if not country_holds(event, record, agency) or not (agency or governmentwide(record)):
        return []
    checks = {"agency": agency, "date": date_holds(event, record),
              "product": product_holds(event, record, text),
              "vehicle": len(record.get("vehicle") or "") >= 6
              and record["vehicle"].casefold() in text,
              "value": value_holds(event, record)}
    return held + [name for name, holds in checks.items() if holds]


def describe(record: dict, held: list[str], event: dict) -> str:
    """The reason a reader sees: which record, and what in it matched the event."""
    parts = [f"{record['kind']} {record.get('record_type') or 'record'} "
             f"'{record.get('title') or record['id']}'",
             f"recipient {record.get('recipient')}"]
    if "agency" in held:
        parts.append(f"agency {', '.join(agencies_held(event, record))}")
    if "date" in held and record.get("record_type") == "product":
        parts.append(f"authorized {record.get('record_date')}, in force at the event")
    elif "date" in held:
        delta = days_between(event.get("event_date"), record.get("record_date"))
        parts.append(f"dated {record.get('record_date')} ({delta:+d} days from the event)")
    if record.get("security_level"):
        parts.append(f"{record.get('status')}, impact level {record['security_level']}")
    if record.get("value") is not None:
        parts.append(f"{record.get('value_kind')} {record['value']:,.0f} {record.get('currency')}")
    return "; ".join(parts)


def family(record: dict) -> str:
    """A FedRAMP product and its status steps are one family; any other record its own."""
    return record["id"].split(":", 2)[1] if record.get("kind") == "fedramp" else record["id"]


def matches(event: dict, records: list[dict]) -> list[dict]:
    """The records linked to the event, best first (at most MAX_LINKS, one per family)."""
    text = " ".join(event.get("texts", [])).casefold()
    best: dict[str, tuple] = {}
    for record in records:
        held = criteria(event, record, text)
        score = round(min(1.0, sum(WEIGHTS[c] for c in held)), 2)
        if not held or score < MATCH_SCORE:
            continue
        rank = (score, record.get("record_type") != "status_change", record["id"])
        if family(record) not in best or rank > best[family(record)][0]:
            best[family(record)] = (rank, record, held)
    found = [{"link": record["id"], "kind": "match", "record_id": record["id"],
              "score": rank[0], "reason_code": "+".join(held),
              "reason": describe(record, held, event)}
             for rank, record, held in best.values()]
    found.sort(key=lambda link: (-link["score"], link["link"]))
    return found[:MAX_LINKS]


def no_record_reasons(event: dict, registries: set[str], today: date) -> list[str]:
    """Why no official record can exist for the event (codes of NO_RECORD_REASONS)."""
    text = " ".join(event.get("texts", []))
    countries = set(event.get("countries", []))
    agencies = event_agency_ids(event)
    us = "USA" in countries
    reasons = []
    if us and event.get("event_type") == "contract" and (event.get("vehicle") == "ota"
                                                         or OTA.search(text)):
        reasons.append("ota_not_in_usaspending")
    age = days_between(event.get("event_date"), today.isoformat())
    if (us and agencies & DOD_COMPONENTS and event.get("event_type") == "contract"
            and age is not None and 0 <= age < DOD_DELAY_DAYS):
        reasons.append("dod_90_day_delay")
    if (us and agencies & (DOD_COMPONENTS | INTELLIGENCE)
            and event.get("event_type") in ("deployment", "pilot")):
        reasons.append("national_security_excluded")
    if CLASSIFIED.search(text):
        reasons.append("classified")
    if countries and not us and not any(_registry_covers(c, registries) for c in countries):
        reasons.append("non_us_no_registry")
    return reasons


def _registry_covers(country: str, registries: set[str]) -> bool:
    return ((country in EU_MEMBERS and "ted" in registries)
            or (country == "GBR" and "ocds" in registries))


def links_for(event: dict, records: list[dict], registries: set[str], today: date) -> list[dict]:
    """The event's record links: its matches, then one row per reason an award record cannot
    exist (an OTA linked to a FedRAMP authorization still has no USAspending record)."""
    reasons = [{"link": f"no_record:{code}", "kind": "no_record", "record_id": None,
                "score": None, "reason_code": code, "reason": NO_RECORD_REASONS[code]}
               for code in no_record_reasons(event, registries, today)]
    return matches(event, records) + reasons
