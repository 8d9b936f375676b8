"""A reviewer's corrections, kept in a version-controlled YAML file and applied to every
article's derived events, by the crawl and by `tracker reprocess` alike, so they survive both.

Pure: `load_decisions` reads and checks the file, `apply_decisions` transforms one article's
derived events (and its unmatched names) and says which decisions it used. Actions:

* reject_event: drop the reports listed under `reports` ({url, position}: the article, by URL
  identity, and the event's index among that article's derived events);
* remove_value / fix_value: drop a value (`field`, `value`: entity id) or replace it by `to`,
  in every article or only in `url`'s;
* map_name: a name no alias table knows (`name`, optionally in `field`) becomes entity `to`;
* not_government: an unknown body `name` is no government: dropped from agencies;
* merge_events: the listed reports (those of two or more events) make one event;
* split_report: each listed report makes an event of its own.

The last two act where reports are grouped into events (`Grouping`, handed to
tracker.timeline.MergeRules); the others on each article's derived events (`apply_decisions`).

Each entry also says who decided it, when and why; `id` defaults to a hash of the entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.events.aliases import gazetteer
from tracker.extract.urls import url_key

DEFAULT_DECISIONS = Path(__file__).resolve().parent / "data" / "decisions.yml"
FIELD_KINDS = {"vendors": "vendor", "models": "model", "countries": "country",
               "agencies": "agency", "partners": "partner"}
REQUIRED = {"reject_event": ("reports",), "remove_value": ("field", "value"),
            "fix_value": ("field", "value", "to"), "map_name": ("name", "to"),
            "not_government": ("name",), "merge_events": ("reports",),
            "split_report": ("reports",)}
GROUPING = ("merge_events", "split_report")  # applied where the store groups reports
ACCOUNT = ("who", "when", "why")


class DecisionsError(ValueError):
    """The decisions file is unreadable or an entry is malformed; the message names it."""


@dataclass(frozen=True)
class Decision:
    id: str
    action: str
    entry: dict = field(hash=False, compare=False)

    def get(self, key: str, default=None):
        return self.entry.get(key, default)

    @property
    def record(self) -> dict:
        """What a report keeps of the decisions applied to it (the event page shows it)."""
        return {"id": self.id, "action": self.action,
                **{k: str(self.entry[k]) for k in ACCOUNT}}


# ------------------------------------------------------------------ loading
def entry_id(entry: dict) -> str:
    text = json.dumps({k: v for k, v in entry.items() if k != "id"}, sort_keys=True,
                      default=str)
    return "d-" + hashlib.sha1(text.encode()).hexdigest()[:10]


def _entry_problem(entry) -> str | None:
    if not isinstance(entry, dict):
        return "is not a mapping"
    action = entry.get("action")
    if action not in REQUIRED:
        return f"unknown action {action!r} (one of {', '.join(REQUIRED)})"
    missing = [k for k in (*ACCOUNT, *REQUIRED[action]) if entry.get(k) in (None, "", [])]
    if missing:
        return f"missing {', '.join(missing)}"
    if "field" in entry and entry["field"] not in FIELD_KINDS:
        return f"unknown field {entry['field']!r} (one of {', '.join(FIELD_KINDS)})"
    return _target_problem(entry) or _reports_problem(entry)


def _target_problem(entry: dict) -> str | None:
    """`to` must name an entity of the alias tables (of `field`'s kind when given)."""
    if "to" not in entry:
        return None
    kinds = [FIELD_KINDS[entry["field"]]] if "field" in entry else list(FIELD_KINDS.values())
    if any(gazetteer().entity(kind, str(entry["to"])) for kind in kinds):
        return None
    return f"'to: {entry['to']}' is no entity id of the alias tables"


def _reports_problem(entry: dict) -> str | None:
    reports = entry.get("reports")
    if reports is None:
        return None
    if not isinstance(reports, list) or not all(
            isinstance(r, dict) and r.get("url") and isinstance(r.get("position"), int)
            for r in reports):
        return "'reports' must be a list of {url, position}"
    return None


def load_decisions(path: str | Path | None = None) -> list[Decision]:
    """The decisions of a file ({decisions: [...]}); DecisionsError names a bad entry."""
    path = Path(path) if path else DEFAULT_DECISIONS
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DecisionsError(f"{path}: cannot read decisions: {exc}") from exc
    return parse_decisions(text, path)


def parse_decisions(text: str, path: Path) -> list[Decision]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DecisionsError(f"{path}: invalid YAML: {exc}") from exc
    entries = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DecisionsError(f"{path}: expected a top-level 'decisions:' list")
    decisions = []
    for number, entry in enumerate(entries, 1):
        problem = _entry_problem(entry)
        if problem:
            raise DecisionsError(f"{path}: decision {number}: {problem}")
        decisions.append(Decision(str(entry.get("id") or entry_id(entry)), entry["action"],
                                  entry))
    return decisions


# ------------------------------------------------------------------ applying
@dataclass
class Applied:
    events: list[dict]
    unmatched: list[dict]
    used: set[str]


def _same_name(a: str | None, b: str) -> bool:
    return a is not None and a.casefold().strip() == b.casefold().strip()


def _for_article(decision: Decision, key: str) -> bool:
    url = decision.get("url")
    return url is None or url_key(str(url)) == key


def _canonical(value: dict, to: str) -> dict:
    kept = {k: v for k, v in value.items() if k not in ("name", "country", "vendor_id")}
    return {**kept, "id": to, "normalized": True}


def _value_change(decision: Decision, field_name: str, value: dict) -> dict | None | bool:
    """The value after the decision: a dict (changed), None (dropped), False (untouched)."""
    action = decision.action
    if decision.get("field") not in (None, field_name):
        return False
    if action in ("remove_value", "fix_value") and value["id"] == str(decision.get("value")):
        return None if action == "remove_value" else _canonical(value, str(decision.get("to")))
    unknown = value.get("normalized") is False
    if action == "map_name" and unknown and _same_name(value.get("name"), decision.get("name")):
        return _canonical(value, str(decision.get("to")))
    if action == "not_government" and field_name == "agencies" and unknown \
            and _same_name(value.get("name"), decision.get("name")):
        return None
    return False


def _apply_to_values(decision: Decision, event: dict) -> bool:
    """Change the event's values in place; True when the decision touched one."""
    touched = False
    for field_name in FIELD_KINDS:
        values, seen = [], set()
        for value in event.get(field_name) or []:
            changed = _value_change(decision, field_name, value)
            touched |= changed is not False
            value = value if changed is False else changed
            if value is not None and value["id"] not in seen:
                seen.add(value["id"])
                values.append(value)
        event[field_name] = values
    return touched


def _rejected(decision: Decision, key: str, position: int) -> bool:
    return decision.action == "reject_event" and _listed(decision, key, position)


def _listed(decision: Decision, key: str, position: int) -> bool:
    """The report (article URL identity, position) is among the decision's `reports`."""
    return any(url_key(str(r["url"])) == key and r["position"] == position
               for r in decision.get("reports") or [])


def _named(decision: Decision, mention: dict) -> bool:
    return decision.action in ("map_name", "not_government") \
        and _same_name(mention.get("text"), decision.get("name"))


def apply_decisions(decisions: list[Decision], url: str, events: list[dict],
                    unmatched: list[dict]) -> Applied:
    """One article's derived events and unmatched names with the decisions applied; each
    changed event lists the decisions in `decisions` (records: id, action, who, when, why)."""
    key = url_key(url)
    relevant = [d for d in decisions if _for_article(d, key)]
    kept, used = [], set()
    for position, event in enumerate(events):
        rejected = [d for d in relevant if _rejected(d, key, position)]
        if rejected:
            used.update(d.id for d in rejected)
            continue
        event = json.loads(json.dumps(event))  # the caller's events stay as derived
        applied = [d for d in relevant if (d.action in GROUPING and _listed(d, key, position))
                   or (d.action not in ("reject_event", *GROUPING)
                       and _apply_to_values(d, event))]
        if applied:
            event["decisions"] = [d.record for d in applied]
            used.update(d.id for d in applied)
        if len(kept) != position:  # an earlier report was rejected: keep its own index
            event["position"] = position
        kept.append(event)
    naming = [d for d in relevant if any(_named(d, m) for m in unmatched)]
    used.update(d.id for d in naming)
    names = [m for m in unmatched if not any(_named(d, m) for d in naming)]
    return Applied(kept, names, used)


# ------------------------------------------------------------------ recording
def append_decision(path: str | Path | None, entry: dict) -> Decision:
    """Check `entry` with the file's others, then append it (comments and order kept)."""
    path = Path(path) if path else DEFAULT_DECISIONS
    text = path.read_text(encoding="utf-8") if path.exists() else "decisions:\n"
    text = re.sub(r"^decisions:\s*\[\]\s*$", "decisions:", text, flags=re.MULTILINE)
    text = text.rstrip("\n") + "\n" + yaml.safe_dump([entry], sort_keys=False,
                                                     allow_unicode=True, width=100)
    decisions = parse_decisions(text, path)  # nothing is written when an entry is bad
    path.write_text(text, encoding="utf-8")
    return decisions[-1]


# ------------------------------------------------------------------ grouping
class Grouping:
    """merge_events and split_report, for the store's grouping of reports into events.

    Reports are keyed as the store keys them, (article id, position); `article_id` maps a URL
    to its article id. Applied after merge.group on every regroup, by crawl and reprocess alike.
    """

    def __init__(self, decisions: list[Decision], article_id):
        def keys(decision: Decision) -> frozenset[tuple[str, int]]:
            return frozenset((article_id(str(r["url"])), r["position"])
                             for r in decision.get("reports"))
        self.merges = [keys(d) for d in decisions if d.action == "merge_events"]
        self.splits = frozenset().union(*(keys(d) for d in decisions
                                          if d.action == "split_report"))

    def tied(self, key: tuple[str, int]) -> set[tuple[str, int]]:
        """Reports a merge decision ties to this one: they belong in its regrouping."""
        return set().union(*(merged for merged in self.merges if key in merged)) - {key}

    def adjust(self, groups: list[list], order) -> list[list]:
        """Groups with split reports taken out (each alone) and merged reports' groups joined;
        `order` is merge.canonical_order, so each group's first member names its event."""
        kept = [[r for r in members if r.key not in self.splits] for members in groups]
        alone = [[r] for members in groups for r in members if r.key in self.splits]
        joined: list[list] = []
        for members in (m for m in kept if m):
            keys = {r.key for r in members}
            touching = [g for g in joined if any(keys & merged and {r.key for r in g} & merged
                                                 for merged in self.merges)]
            for other in touching:
                joined.remove(other)
                members = members + other
            joined.append(members)
        return [order(members) for members in joined] + alone
