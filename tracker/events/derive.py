"""From article text to adoption events: who supplied what to which government, and when."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.events import cues
from tracker.events.aliases import Mention, gazetteer
from tracker.events.dates import find_dates
from tracker.events.text import split_sentences

ANNOUNCE_CUE = re.compile(
    r"\bannounc|\bsaid\b|\bunveil|\brevealed\b|\bofficialis|\bannonc|\bdévoil|\bbekannt|"
    r"\bmitgeteilt|\banunci|発表|公表|明らかに|발표|밝혔", re.I)
ORG_CANDIDATE = re.compile(
    r"\b((?:[A-Z][\w&'’-]+\s+){0,4}(?:Inc|Corp|Corporation|Technologies|Labs|Systems|Holdings|"
    r"Agency|Ministry|Department|Office|Command|Directorate|Authority)\b\.?)")
MAX_EVENTS_PER_ARTICLE = 4


@dataclass
class Sentence:
    index: int
    text: str
    is_title: bool
    mentions: list[Mention]
    types: Counter = field(default_factory=Counter)
    supply: bool = False
    negative: bool = False
    ai: bool = False
    government: bool = False

    def ids(self, kind: str, strong_only: bool = True) -> set[str]:
        return {m.entity.id for m in self.mentions
                if m.entity.kind == kind and not (strong_only and (m.weak or m.metonym))}

    def vendor_ids(self) -> set[str]:
        found = self.ids("vendor")
        found |= {m.entity.vendor_id for m in self.mentions if m.entity.kind == "model"}
        return found


@dataclass
class DeriveResult:
    events: list[dict]
    unmatched: list[dict]

    @property
    def relevant(self) -> bool:
        return bool(self.events)


def _analyse(doc: str, title_len: int) -> list[Sentence]:
    gaz = gazetteer()
    mentions = gaz.find(doc)
    sentences = []
    for index, (start, end) in enumerate(split_sentences(doc)):
        inside = [Mention(m.entity, m.start - start, m.end - start, m.surface, m.weak, m.metonym)
                  for m in mentions if start <= m.start < end]
        text = doc[start:end]
        s = Sentence(index, text, start < title_len, inside)
        for event_type, pattern in cues.TYPE_CUES.items():
            hits = len(pattern.findall(text))
            if hits:
                s.types[event_type] += hits
        s.supply = bool(s.types)
        s.negative = bool(cues.NOT_A_SUPPLY.search(text))
        s.ai = bool(cues.AI_CUE.search(text)) or any(m.entity.kind == "model" for m in inside)
        s.government = bool(cues.GOVERNMENT_WORDS.search(text))
        sentences.append(s)
    return sentences


def _recipient_countries(s: Sentence) -> dict[str, float]:
    """Countries a sentence names as receivers (not rivals, vendor homes or comparisons)."""
    found: dict[str, float] = {}
    for m in s.mentions:
        if m.entity.kind == "agency" and m.entity.country and not m.weak:
            found.setdefault(m.entity.country, 0.9)
    for m in s.mentions:
        if m.entity.kind != "country":
            continue
        before = s.text[max(0, m.start - 60):m.start]
        after = s.text[m.end:m.end + 40]
        if cues.COUNTRY_CONTEXT.search(before[-35:]) or cues.COUNTRY_CONTEXT.search(after[:25]):
            continue
        if m.metonym:
            if re.search(r"\b(?:in|at|à|en|nach)\s*$", before):
                continue
            found.setdefault(m.entity.id, 0.6)
            continue
        surface = m.surface
        demonym = surface[:1].isupper() and surface.endswith(("an", "ese", "ish", "ch", "ian", "i"))
        if demonym and not cues.DEMONYM_RECIPIENT.search(after):
            continue
        if re.search(r"['’]s$", surface) or after.startswith(("'s", "’s")):
            found.setdefault(m.entity.id, 0.8)
            continue
        found.setdefault(m.entity.id, 0.8)
    return found


def _is_event_sentence(s: Sentence, sentences: list[Sentence], title_vendors: set[str]) -> bool:
    if not s.supply or s.negative:
        return False
    has_vendor = bool(s.vendor_ids()) or (len(title_vendors) == 1 and not s.is_title)
    has_recipient = bool(s.ids("agency") or _recipient_countries(s) or s.government)
    window = sentences[max(0, s.index - 1):s.index + 2]
    ai = any(w.ai for w in window) or any(w.is_title and w.ai for w in sentences[:2])
    return has_vendor and has_recipient and ai


def _evidence(sentences: list[Sentence], kind: str, entity_id: str) -> str | None:
    for s in sentences:
        for m in s.mentions:
            if m.entity.kind == kind and (m.entity.id == entity_id or m.entity.vendor_id == entity_id
                                          or (kind == "country" and m.entity.country == entity_id)):
                return s.text.strip()
    return None


def _event_date(event_sentences: list[Sentence], published: date | None) -> tuple[str | None, str | None]:
    """The announcement day: a weekday or dated announcement near publication, else publication."""
    best: date | None = None
    for s in event_sentences:
        for mention in find_dates(s.text, published):
            if published is None:
                if mention.explicit_year:
                    return mention.value.isoformat(), "day"
                continue
            gap = (published - mention.value).days
            announced = bool(ANNOUNCE_CUE.search(s.text))
            if 0 <= gap <= 7 or (announced and 0 <= gap <= 45):
                best = best or mention.value
        if best:
            break
    if best:
        return best.isoformat(), "day"
    if published:
        return published.isoformat(), "day"
    return None, None


def _dual_role_ids() -> dict[str, str]:
    """Vendor id -> partner id for companies in both tables (Microsoft, AWS/Amazon, Palantir...)."""
    gaz = gazetteer()
    partners_by_name = {e.name.casefold(): e.id for e in gaz.by_kind("partner")}
    dual = {}
    for vendor in gaz.by_kind("vendor"):
        partner = partners_by_name.get(vendor.name.casefold())
        if partner:
            dual[vendor.id] = partner
    return dual


def _group_by_vendor(event_sentences: list[Sentence], title_vendors: set[str]) -> list[list[Sentence]]:
    """Event sentences sharing a vendor form one event; a sentence with no vendor joins the title's."""
    groups: list[tuple[set[str], list[Sentence]]] = []
    for s in event_sentences:
        vendors = s.vendor_ids() or set(title_vendors)
        for group_vendors, members in groups:
            if group_vendors & vendors:
                group_vendors |= vendors
                members.append(s)
                break
        else:
            groups.append((set(vendors), [s]))
    return [members for _, members in groups][:MAX_EVENTS_PER_ARTICLE]


def _build_event(group: list[Sentence], sentences: list[Sentence], title_vendors: set[str],
                 published: date | None, title: str | None) -> dict | None:
    dual = _dual_role_ids()
    partner_of_vendor = dual
    vendor_counts: Counter = Counter()
    models: dict[str, float] = {}
    for s in group:
        for vendor_id in s.vendor_ids() or title_vendors:
            vendor_counts[vendor_id] += 1
        for m in s.mentions:
            if m.entity.kind == "model":
                models.setdefault(m.entity.id, 0.9)
    model_vendors = {gazetteer().entity("model", mid).vendor_id for mid in models}
    # A company that is also a cloud/integration partner is a vendor only when its own model is
    # supplied or nobody else is.
    pure_vendors = {v for v in vendor_counts if v not in dual}
    vendors = {v for v in vendor_counts
               if v not in dual or v in model_vendors or not (pure_vendors | model_vendors) - {v}}
    if not vendors:
        return None
    agencies: dict[str, float] = {}
    countries: dict[str, float] = {}
    for s in group:
        for m in s.mentions:
            if m.entity.kind == "agency" and not m.weak:
                agencies.setdefault(m.entity.id, 0.9 if not m.metonym else 0.6)
        for code, conf in _recipient_countries(s).items():
            countries.setdefault(code, conf)
    for s in group:  # weak aliases ('Army', "l'armée") count once the country is established
        for m in s.mentions:
            if m.entity.kind == "agency" and m.weak and (m.entity.country in countries):
                agencies.setdefault(m.entity.id, 0.6)
                countries.setdefault(m.entity.country, 0.6)
    for agency_id in agencies:
        agency = gazetteer().entity("agency", agency_id)
        if agency.country:
            countries.setdefault(agency.country, 0.8)
    partners: dict[str, float] = {}
    vendor_partner_ids = {partner_of_vendor[v] for v in vendors if v in partner_of_vendor}
    for s in sentences:
        if s.negative and not s.supply:
            continue
        related = s in group or bool(s.vendor_ids() & vendors) or \
            bool(cues.PARTNER_CUES.search(s.text) and (
                s.ai or s.ids("agency") & agencies.keys() or s.ids("model") & models.keys()
                or any(abs(s.index - g.index) == 1 for g in group)))
        if not related or not cues.PARTNER_CUES.search(s.text) and s not in group:
            continue
        for m in s.mentions:
            if m.entity.kind == "partner" and m.entity.id not in vendor_partner_ids:
                partners.setdefault(m.entity.id, 0.7)
    weights = Counter()
    for position, s in enumerate(group):
        factor = 2.0 if s.is_title else (1.5 if position == 0 else 1.0)
        for event_type, hits in s.types.items():
            weights[event_type] += factor * min(hits, 2)
    event_type = max(cues.TYPE_PRIORITY, key=lambda t: (weights[t], -cues.TYPE_PRIORITY.index(t)))
    event_date, precision = _event_date(group, published)
    evidence = next((s.text.strip() for s in group if not s.is_title), group[0].text.strip())
    confidence = min(0.95, 0.5 + 0.1 * len(group) + (0.1 if any(s.is_title for s in group) else 0))

    def values(kind: str, found: dict[str, float]) -> list[dict]:
        return [{"id": key, "confidence": conf, "evidence": _evidence(group, kind, key)
                 or _evidence(sentences, kind, key)} for key, conf in sorted(found.items())]

    return {
        "event_type": event_type,
        "event_date": event_date,
        "date_precision": precision,
        "summary": title or evidence[:300],
        "evidence": evidence,
        "confidence": round(confidence, 2),
        "vendors": values("vendor", {v: 0.9 for v in vendors}),
        "models": values("model", models),
        "countries": values("country", countries),
        "agencies": values("agency", agencies),
        "partners": values("partner", partners),
    }


def _unmatched(group_sentences: list[Sentence]) -> list[dict]:
    found = {}
    for s in group_sentences:
        for m in ORG_CANDIDATE.finditer(s.text):
            if not any(x.start < m.end() and m.start() < x.end for x in s.mentions):
                name = m.group(1).strip().rstrip(".")
                if len(name.split()) >= 2:
                    found.setdefault(name, {"kind": "organisation", "text": name,
                                            "sentence": s.text.strip()[:500]})
    return list(found.values())


def derive_events(text: str, title: str | None = None, published: str | None = None,
                  language: str | None = None) -> DeriveResult:
    """All adoption events an article reports as fact (empty when it is not relevant)."""
    title = (title or "").strip()
    doc = f"{title}\n{text}" if title else text
    sentences = _analyse(doc, len(title) + 1 if title else 0)
    title_vendors = set().union(*(s.vendor_ids() for s in sentences if s.is_title)) \
        if title else set()
    event_sentences = [s for s in sentences if _is_event_sentence(s, sentences, title_vendors)]
    if not event_sentences:
        return DeriveResult([], [])
    published_date = date.fromisoformat(published) if published else None
    events = []
    for group in _group_by_vendor(event_sentences, title_vendors):
        event = _build_event(group, sentences, title_vendors, published_date, title or None)
        if event is not None:
            events.append(event)
    return DeriveResult(events, _unmatched(event_sentences) if events else [])
