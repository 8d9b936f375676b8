"""The timeline's decisions, applied by the store (db/rules.py asks them): which article a URL
names (extract/urls.py), which reports are one event (events/merge.py, with the reviewers'
merge and split decisions), what a merged event's row shows (its type, date and summary;
events/deal.py for its deal), and the entity tables the alias tables fill.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from db.rules import Neighbourhood, ReportKey
from db.store import Store, article_id_for_key, country_centroids
from tracker.events import deal
from tracker.events.aliases import Entity, Gazetteer, country_name, gazetteer
from tracker.events.merge import (
    CANDIDATE_WINDOW,
    MAX_COMPONENT,
    PROGRESSION_WINDOW,
    Report,
    canonical_order,
    event_id_for,
    group,
    report_facts,
    report_from_event,
    row_type,
    same_announcement,
)
from tracker.extract.urls import url_key

if TYPE_CHECKING:
    from tracker.decisions import Grouping

CONTINUES = ("stage", "continues")  # merge.report_facts' mark of a report moving a deal on
ENTITY_KINDS = {"vendor": "vendors", "model": "models", "partner": "partners",
                "agency": "agencies"}  # gazetteer kind -> entity table


class MergeRules:
    """db.rules.TimelineRules by events/merge.py and events/deal.py; the reviewers' merge and
    split decisions (`grouping`), when given, adjust every regroup."""

    max_component = MAX_COMPONENT

    def __init__(self, grouping: Grouping | None = None):
        self.grouping = grouping

    def url_key(self, url: str) -> str:
        return url_key(url)

    def report(self, key: ReportKey, event: dict) -> Report:
        return report_from_event(key, event)

    def facts(self, report: Report) -> list[tuple[str, str]]:
        return report_facts(report)

    def neighbourhood(self, report: Report) -> Neighbourhood:
        """A shared lead vendor, and a date in the widest window of merge's rules (a year for a
        report moving a deal on, merge.progresses), or no date but a shared amount, model
        family or agency."""
        return Neighbourhood(
            lead_kind="vendor", leads=tuple(sorted(report.identity_vendors)),
            day=report.event_date[:10] if report.event_date else None,
            window=CANDIDATE_WINDOW, progression=PROGRESSION_WINDOW,
            continues=report.continues, continuing=CONTINUES,
            corroborating=tuple((kind, value) for kind, value in report_facts(report)
                                if kind not in ("vendor", "stage")))

    def same_announcement(self, a: Report, b: Report) -> bool:
        return same_announcement(a, b)

    def tied(self, key: ReportKey) -> list[ReportKey]:
        return sorted(self.grouping.tied(key)) if self.grouping is not None else []

    def group(self, reports: list[Report]) -> list[list[Report]]:
        groups = group(reports)
        if self.grouping is not None:
            groups = self.grouping.adjust(groups, canonical_order)
        return groups

    def event_id(self, key: ReportKey) -> str:
        return event_id_for(key)

    def event_row(self, reports: list[dict]) -> dict:
        """The type most reports give; the day most reports dated to the day name (else most
        dated ones; ties: the earliest); the earliest report's title as summary; the highest
        confidence."""
        dated = [r for r in reports if r["event_date"]]
        by_precision = [r for r in dated if r["date_precision"] == "day"] or dated
        day_counts = Counter(r["event_date"] for r in by_precision)
        event_date = min(day_counts, key=lambda d: (-day_counts[d], d)) if day_counts else None
        first = reports[0]
        return {"event_type": row_type([r["event_type"] for r in reports]),
                "event_date": event_date,
                "date_precision": next((r["date_precision"] for r in by_precision
                                        if r["event_date"] == event_date), None),
                "summary": first["title"] or first["evidence"],
                "confidence": max(r["confidence"] for r in reports)}

    def deal_row(self, facts: list[dict], stages: list[dict]) -> dict:
        """One value (never a sum of kinds), the vehicle most reports name, the highest
        security level, the latest stage and the dated steps."""
        found: dict[str, list[dict]] = {"value": [], "vehicle": [], "security": []}
        for row in facts:
            found[row["fact"]].append({**row, "kind": row["code"], "usd": row["amount_usd"]})
        value = deal.headline_value(found["value"]) or {}
        security = deal.highest_security(found["security"]) or {}
        steps = deal.stage_history([{"stage": s["stage"], "date": s["stage_date"]}
                                    for s in stages])
        return {"value_kind": value.get("kind"), "value_amount": value.get("amount"),
                "value_currency": value.get("currency"), "value_usd": value.get("usd"),
                "vehicle": deal.main_vehicle(found["vehicle"]),
                "security_level": security.get("code"), "security_said_by": security.get("said_by"),
                "stage": steps[-1]["stage"] if steps else None,
                "stages": [f"{s['date'] or 'undated'} {s['stage']}" for s in steps]}


def article_id_for(url: str) -> str:
    """The id the article at this URL is stored under (shared by the URL's variants)."""
    return article_id_for_key(url_key(url))


def entity_rows(gaz: Gazetteer) -> dict[str, list[dict]]:
    """The entity tables' rows (table -> rows) the alias tables make; countries with the
    approximate position the Datasette map shows."""
    rows: dict[str, list[dict]] = {table: [] for table in ENTITY_KINDS.values()}
    for e in gaz.entities.values():
        if e.kind in ENTITY_KINDS:
            rows[ENTITY_KINDS[e.kind]].append(_entity_row(e))
    centroids = country_centroids()
    rows["countries"] = [{"code": e.id, "name": country_name(e.id),
                          "latitude": centroids.get(e.id, (None, None))[0],
                          "longitude": centroids.get(e.id, (None, None))[1]}
                         for e in gaz.by_kind("country")]
    return rows


def _entity_row(e: Entity) -> dict:
    if e.kind == "model":
        return {"id": e.id, "name": e.name, "vendor_id": e.vendor_id, "wikidata": e.wikidata}
    if e.kind == "agency":
        return {"id": e.id, "name": e.name, "country": e.country, "kind": e.org_kind,
                "wikidata": e.wikidata}
    return {"id": e.id, "name": e.name, "wikidata": e.wikidata}


def sync_entities(store: Store) -> None:
    """The entity tables mirror the YAML alias tables (rows upserted, never deleted)."""
    store.sync_entities(entity_rows(gazetteer()))


def open_timeline(path: str | Path, grouping: Grouping | None = None) -> Store:
    """The store of the database at `path`, merging reports by MergeRules, its entity tables
    synced with the alias tables (as every crawl, reprocess and queue load leaves them)."""
    store = Store.open(path, MergeRules(grouping))
    sync_entities(store)
    return store
