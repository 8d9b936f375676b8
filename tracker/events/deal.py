"""Deal facts of one event: what it is worth, under which vehicle, at which security level, and
how far along it is.

Analysts ask what kind of number a value is: 'up to $200 million' is a ceiling, '$1 per agency'
a nominal price, '$10 billion' an award; adding a ceiling to a nominal price makes no total.
Each value keeps its amount and currency as written, its kind, and its US dollars at the
announcement date with the rate and where the rate comes from (events/rates.py). Vehicles and
security levels are data (tracker/data/deal_terms.yml); the words that make a kind of value,
a free or undisclosed deal and an ended one are cues of each language (tracker/data/languages).
Everything is a pure function of the event's clauses; the store keeps the results per report
(db/store.py) and the pick functions at the end choose what the timeline row shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import yaml

from tracker.events import facts, rates
from tracker.events.aliases import DATA_DIR
from tracker.events.cues import DEAL_CUES, fast_alternation
from tracker.events.merge import AMOUNT_ROUNDING, STAGES

TERMS_YML = DATA_DIR / "deal_terms.yml"
BEFORE_REACH = 60  # characters before an amount its words lie in ('could save ... an estimated')
AFTER_REACH = 80  # after it, up to the next amount ('if all options are exercised')
NOMINAL_BELOW = 1000  # an unscaled amount under this is a price ('$1 per agency'), no deal size
CUED_CONFIDENCE = 0.8  # a kind its words state, a term named in the event's own clauses
PLAIN_CONFIDENCE = 0.6  # an amount with no kind words, a term named in a clause beside them
KINDS = ("awarded", "obligated", "ceiling", "nominal", "free", "undisclosed")
# The stage an event's type puts it at; cues of an ended deal override it.
STAGE_OF_TYPE = {"access": "announced", "partnership": "announced",
                 "authorization": "authorized", "contract": "awarded", "pilot": "pilot",
                 "deployment": "deployed"}
SAID_BY = ("official", "vendor", "press")
IMPACT_LEVEL = re.compile(
    r"\b(?:IL|(?i:impact levels?))[- ]?\s?([2456](?:\s*(?:/|,|and|or|&)\s*(?:IL[- ]?)?[2456])*)\b")
ATTRIBUTION = re.compile(r"\b(?:said|says|announced|stated|confirmed|a déclaré|teilte mit|"
                         r"afirmó)\b", re.I)
ATTRIBUTION_BEFORE = re.compile(r"\b(?:according to|said|says|selon|laut|según)\s+(?:the\s+)?$",
                                re.I)
COMPANY_SPEAKER = re.compile(r"\b(?:the|its) (?:company|firm|startup)\b[^.;]{0,40}\b(?:said|"
                             r"says|announced|stated)\b|\b(?:company|firm) (?:said|says)\b", re.I)
OFFICIAL_SPEAKER = re.compile(r"\bthe (?:department|ministry|agency|government|command|"
                              r"administration|Pentagon)\b[^.;]{0,40}\b(?:said|says|announced|"
                              r"stated)\b|\b(?:department|ministry|agency) (?:said|says)\b", re.I)
SPEAKER_REACH = 40  # characters between a speaker's name and 'said'
RANGE = re.compile(r"\s*(?:–|—|-|to|bis|à|a)\s*")  # between a range's amounts


@dataclass(frozen=True)
class Term:
    """A vehicle or security level of deal_terms.yml: its code, patterns and (levels) rank."""

    code: str
    pattern: re.Pattern
    rank: int = 0


@dataclass(frozen=True)
class Clause:
    """What the deal facts read of a clause: its text, where it names government bodies and
    vendors ((start, end, 'official' | 'vendor'), possible speakers), and whether it is the
    event's own clause or one beside it."""

    text: str
    names: tuple[tuple[int, int, str], ...] = ()
    own: bool = True
    title: bool = False


def _compile(entry: dict) -> re.Pattern:
    loose = [f"(?i:{p})" for p in entry.get("patterns") or []]
    exact = list(entry.get("exact") or [])
    return re.compile("|".join(loose + exact) or r"(?!)")


@cache
def _terms() -> dict:
    with TERMS_YML.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def vehicles() -> tuple[Term, ...]:
    return tuple(Term(e["code"], _compile(e)) for e in _terms()["vehicles"])


@cache
def security_levels() -> tuple[Term, ...]:
    return tuple(Term(e["code"], _compile(e), e["rank"]) for e in _terms()["security_levels"])


@cache
def _prefilters(kind: str) -> tuple:
    """Every vehicle's (or security level's) patterns as two fast alternations, case-blind
    and exact: most clauses name none, and a search or two tells (each term's own pattern
    then says which)."""
    entries = _terms()[kind]
    loose = [p for e in entries for p in e.get("patterns") or []]
    exact = [p for e in entries for p in e.get("exact") or []]
    exact += [IMPACT_LEVEL.pattern] if kind == "security_levels" else []
    return fast_alternation(loose), fast_alternation(exact, flags=0)


def names_any(kind: str, text: str) -> bool:
    """Whether a clause names any vehicle ('vehicles') or security level ('security_levels')."""
    return any(pattern.search(text) for pattern in _prefilters(kind))


def security_rank(code: str) -> int:
    return next((t.rank for t in security_levels() if t.code == code), 0)


def _host_matches(host: str, domains: list[str]) -> bool:
    return any(host == d.lstrip(".") or host.endswith("." + d.lstrip(".")) for d in domains)


def host_speaker(url: str | None) -> str | None:
    """'official' for a government site, 'vendor' for a vendor's newsroom, else None."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host and _host_matches(host, _terms()["official_hosts"]):
        return "official"
    if host and _host_matches(host, _terms()["vendor_hosts"]):
        return "vendor"
    return None


# ------------------------------------------------------------------ values
def _value_kind(before: str, after: str, money: facts.Money) -> tuple[str, str] | None:
    """The kind of one amount from the words around it, with its rule; None when it is no
    deal's value (a valuation, a funding round, revenue)."""
    if DEAL_CUES["value_not_deal"].search(before) or DEAL_CUES["value_not_deal"].search(after):
        return None
    if DEAL_CUES["value_ceiling_before"].search(before) or \
            DEAL_CUES["value_ceiling_after"].search(after):
        return "ceiling", "value.ceiling_cue"
    if not money.scaled and money.value < NOMINAL_BELOW:
        return "nominal", "value.nominal_price"
    if DEAL_CUES["value_nominal_after"].search(after) and not money.scaled:
        return "nominal", "value.nominal_price"
    if DEAL_CUES["value_obligated"].search(before) or DEAL_CUES["value_obligated"].search(after):
        return "obligated", "value.obligated_cue"
    return "awarded", "value.stated_amount"


def _range_start(text: str, first: facts.Money, second: facts.Money) -> bool:
    """Whether `first` opens a range whose scale `second` writes ('$3.0–$3.1 billion')."""
    between = text[first.end:second.start]
    return not first.scaled and second.scaled and bool(RANGE.fullmatch(between))


def _clause_values(clause: Clause, day: str | None) -> list[dict]:
    """Each amount of a clause with its kind, read from the words before it (back to the
    amount before; for a range, before its first amount) and after it (up to the next one)."""
    text = clause.text
    found = facts.money(text)
    values = []
    for i, money in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and _range_start(text, money, nxt):
            continue  # '$3.0–$3.1 billion': the upper amount stands for the range
        j = i - 1 if i and _range_start(text, found[i - 1], money) else i
        start = found[j - 1].end if j else 0
        before = text[max(start, found[j].start - BEFORE_REACH):found[j].start]
        after = text[money.end:min(nxt.start if nxt else len(text), money.end + AFTER_REACH)]
        kind = _value_kind(before, after, money)
        if kind is None:
            continue
        cued = kind[1] != "value.stated_amount"
        values.append(_value_row(money, kind, text, day, cued))
    return values


def _value_row(money: facts.Money, kind: tuple[str, str], evidence: str, day: str | None,
               cued: bool) -> dict:
    converted = rates.to_usd(money.value, money.currency, day)
    return {"kind": kind[0], "amount": money.value, "currency": money.currency,
            "text": evidence[money.start:money.end].strip().rstrip("."),
            "usd": converted.usd if converted else None,
            "fx_rate": converted.rate if converted else None,
            "fx_month": converted.month if converted else None,
            "fx_source": converted.source if converted else None,
            "evidence": evidence.strip()[:500], "rule": kind[1],
            "confidence": CUED_CONFIDENCE if cued else PLAIN_CONFIDENCE}


def _termless_value(kind: str, clause: Clause) -> dict:
    """A free deal (amount 0) or one whose terms were not disclosed (no amount)."""
    return {"kind": kind, "amount": 0.0 if kind == "free" else None, "currency": None,
            "text": DEAL_CUES[f"value_{kind}"].search(clause.text).group(0), "usd":
            0.0 if kind == "free" else None, "fx_rate": None, "fx_month": None,
            "fx_source": None, "evidence": clause.text.strip()[:500],
            "rule": f"value.{kind}_cue", "confidence": CUED_CONFIDENCE}


def _better_stated(value: dict, kept: dict) -> bool:
    """A statement of an amount with its kind words ('worth up to $200 million') over a bare
    one ('wins $200 million deal', as headlines put it)."""
    return kept["rule"] == "value.stated_amount" and value["rule"] != "value.stated_amount"


def _kind_elsewhere(value: dict, article: list[str], day: str | None) -> dict:
    """A bare amount ('$200M AI contracts') takes the kind the article states for the same
    amount elsewhere ('a ceiling of $200 million each')."""
    for text in article:
        for other in _clause_values(Clause(text), day):
            if other["rule"] != "value.stated_amount" and other["currency"] == value["currency"] \
                    and other["amount"] == value["amount"]:
                return {**value, "kind": other["kind"], "rule": "value.kind_stated_elsewhere"}
    return value


def _add_beside(found: dict[str, dict], beside: list[Clause], day: str | None) -> None:
    """Amounts the clauses beside an event's state with their kind words, unless stated
    already: a bare amount there may be any other deal's."""
    for clause in beside:
        for value in _clause_values(clause, day):
            key = f"{value['currency']}:{value['amount']:g}"
            if key not in found and value["rule"] != "value.stated_amount":
                found[key] = {**value, "rule": value["rule"] + ".beside",
                              "confidence": PLAIN_CONFIDENCE}


def values(clauses: list[Clause], day: str | None, article: list[str] = ()) -> list[dict]:
    """Each amount the event's own clauses state, once (the statement that says its kind); an
    amount a clause beside them states with its kind ('Each agreement carries a $200 million
    ceiling'); then a free deal or undisclosed terms wherever those clauses say so."""
    found: dict[str, dict] = {}
    for clause in (c for c in clauses if c.own):
        for value in _clause_values(clause, day):
            key = f"{value['currency']}:{value['amount']:g}"
            if key not in found or _better_stated(value, found[key]):
                found[key] = value
    _add_beside(found, [c for c in clauses if not c.own], day)
    bare = [key for key, value in found.items() if value["rule"] == "value.stated_amount"]
    if bare:
        stating = [t for t in article if facts.money(t)]
        for key in bare:
            found[key] = _kind_elsewhere(found[key], stating, day)
    for kind in ("free", "undisclosed"):
        clause = next((c for c in clauses if DEAL_CUES[f"value_{kind}"].search(c.text)), None)
        if clause is not None and not (kind == "undisclosed" and found):
            found[kind] = _termless_value(kind, clause)
    return list(found.values())


# ------------------------------------------------------------------ vehicles, security
def _quoted_speaker(clause: Clause) -> str | None:
    """Whom a clause quotes: the name right before its 'said' ('Google Public Sector says'),
    or right after 'according to' / 'said'; 'the department said' is the government, 'the
    company said' the vendor."""
    text = clause.text
    for match in ATTRIBUTION.finditer(text):
        before = [n for n in clause.names if 0 <= match.start() - n[1] <= SPEAKER_REACH]
        if before:
            return max(before, key=lambda n: n[1])[2]
    for start, _, kind in clause.names:
        if ATTRIBUTION_BEFORE.search(text[max(0, start - SPEAKER_REACH):start]):
            return kind
    if OFFICIAL_SPEAKER.search(text):
        return "official"
    return "vendor" if COMPANY_SPEAKER.search(text) else None


def _said_by(clause: Clause, host: str | None) -> str:
    """Who states a security level: the government or the vendor by the article's site, else
    by whom the sentence quotes, else the press."""
    return host or _quoted_speaker(clause) or "press"


def _term_row(code: str, matched: str, clause: Clause, rule: str) -> dict:
    return {"code": code, "text": matched, "evidence": clause.text.strip()[:500],
            "rule": rule + ("" if clause.own else ".beside"),
            "confidence": CUED_CONFIDENCE if clause.own else PLAIN_CONFIDENCE}


def vehicle_terms(clauses: list[Clause]) -> list[dict]:
    """Each vehicle named in the event's clauses or those beside them, first naming kept."""
    found: dict[str, dict] = {}
    for clause in (c for c in clauses if names_any("vehicles", c.text)):
        for term in vehicles():
            match = term.pattern.search(clause.text)
            if match and term.code not in found:
                found[term.code] = _term_row(term.code, match.group(0), clause, "vehicle.term")
    return list(found.values())


def _levels_in(text: str) -> list[tuple[str, str]]:
    """(code, text) of every security level a clause names; a FedRAMP level makes the bare
    'FedRAMP' redundant."""
    found = [(t.code, m.group(0)) for t in security_levels() for m in [t.pattern.search(text)]
             if m]
    for m in IMPACT_LEVEL.finditer(text):
        found += [(f"dod-il{digit}", m.group(0)) for digit in re.findall(r"[2456]", m.group(1))]
    codes = {code for code, _ in found}
    if codes & {"fedramp-high", "fedramp-moderate"}:
        found = [(c, t) for c, t in found if c != "fedramp"]
    return found


def security_terms(clauses: list[Clause], url: str | None) -> list[dict]:
    """Each security level the event's body clauses or those beside them name (a headline in
    title case makes 'Secret' of any secret), with who says so."""
    host = host_speaker(url)
    found: dict[str, dict] = {}
    for clause in (c for c in clauses if not c.title and names_any("security_levels", c.text)):
        for code, matched in _levels_in(clause.text):
            if code not in found:
                row = _term_row(code, matched, clause, "security.term")
                found[code] = {**row, "said_by": _said_by(clause, host)}
    return list(found.values())


# ------------------------------------------------------------------ stage
def stage(clauses: list[Clause], event_type: str, event_date: str | None) -> dict:
    """How far along the deal is as this report states it: ended when its own clauses say it
    was cancelled or retired, else what its type makes it; `continues` when they say it moves
    an earlier stage on ('after a successful pilot'), which lets the merge join the two."""
    for kind in ("cancelled", "retired"):
        clause = next((c for c in clauses if c.own and DEAL_CUES[f"stage_{kind}"].search(c.text)),
                      None)
        if clause is not None:
            return {"stage": kind, "date": event_date, "evidence": clause.text.strip()[:500],
                    "rule": f"stage.{kind}_cue", "confidence": CUED_CONFIDENCE}
    own = [c for c in clauses if c.own]
    continuing = next((c for c in own if DEAL_CUES["stage_continues"].search(c.text)), None)
    if continuing is not None:
        return {"stage": STAGE_OF_TYPE.get(event_type, "announced"), "date": event_date,
                "evidence": continuing.text.strip()[:500], "rule": "stage.continues_earlier",
                "confidence": CUED_CONFIDENCE, "continues": True}
    evidence = next((c.text for c in own if not c.title), own[0].text if own else "")
    return {"stage": STAGE_OF_TYPE.get(event_type, "announced"), "date": event_date,
            "evidence": evidence.strip()[:500], "rule": "stage.event_type",
            "confidence": PLAIN_CONFIDENCE}


def deal_facts(clauses: list[Clause], event_type: str, event_date: str | None,
               url: str | None = None, article: list[str] = ()) -> dict:
    """Every deal fact of one event report (stored with it: event_facts, event_stages);
    `article`: every clause of the article, where a bare amount's kind may be stated."""
    return {"values": values(clauses, event_date, article), "vehicles": vehicle_terms(clauses),
            "security": security_terms(clauses, url),
            "stage": stage(clauses, event_type, event_date)}


# ------------------------------------------------------------------ the timeline row
def headline_value(rows: list[dict]) -> dict | None:
    """The value a merged event shows: the one most of its reports state (outlets' rounding
    allowed), then the larger kind of number (an award before a ceiling, a ceiling before a
    nominal price), then the larger sum. One value, never a sum of values of different kinds."""
    if not rows:
        return None

    def support(row: dict) -> int:
        return len({r["article_id"] for r in rows if r["kind"] == row["kind"]
                    and _same_amount(r, row)})

    return min(rows, key=lambda r: (-support(r), KINDS.index(r["kind"]),
                                    -(r.get("usd") or 0), r.get("article_id") or ""))


def _same_amount(a: dict, b: dict) -> bool:
    if a["amount"] is None or b["amount"] is None:
        return a["amount"] is b["amount"]
    low, high = sorted((a["amount"], b["amount"]))
    close = high <= low * AMOUNT_ROUNDING if low else high == 0
    return a["currency"] == b["currency"] and close


def main_vehicle(rows: list[dict]) -> str | None:
    """The vehicle most reports name (ties: the first in the data file's order)."""
    order = [t.code for t in vehicles()]
    counts = {r["code"]: len({x["article_id"] for x in rows if x["code"] == r["code"]})
              for r in rows}
    return min(counts, key=lambda c: (-counts[c], order.index(c) if c in order else 99),
               default=None)


def highest_security(rows: list[dict]) -> dict | None:
    """The highest level any report names, said by the most authoritative speaker."""
    if not rows:
        return None
    return min(rows, key=lambda r: (-security_rank(r["code"]), SAID_BY.index(r["said_by"])
                                    if r.get("said_by") in SAID_BY else len(SAID_BY)))


def stage_history(steps: list[dict]) -> list[dict]:
    """Dated steps, one per stage, each at its earliest report; in date order (a step with
    no date last), a later stage after an earlier one on the same day."""
    first: dict[str, dict] = {}
    for step in sorted(steps, key=lambda s: (s.get("date") is None, s.get("date") or "")):
        first.setdefault(step["stage"], step)
    return sorted(first.values(), key=lambda s: (s.get("date") is None, s.get("date") or "",
                                                 STAGES.index(s["stage"])))
