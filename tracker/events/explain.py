"""`tracker explain`: what the events layer saw and decided in one article, rule by rule.

Each clause with its cues and names, the receivers it names (after the role rules), whether it
is a supply clause, then each event with every value's rule, confidence and evidence.
"""

from __future__ import annotations

from tracker.events.derive import (
    Analysis,
    Sentence,
    _recipient_agencies,
    _recipient_countries,
    analyse_article,
)

FIELDS = {"vendors": "vendor", "models": "model", "countries": "country", "agencies": "agency",
          "partners": "partner"}
CLAUSE_WIDTH = 160


def _mention(m) -> str:
    marks = [mark for mark, on in (("weak", m.weak), ("metonym", m.metonym),
                                   ("open", not m.entity.normalized)) if on]
    return f"{m.entity.kind}:{m.entity.id} '{m.surface}'" + (f" ({', '.join(marks)})"
                                                             if marks else "")


def _clause_lines(s: Sentence, supply: bool) -> list[str]:
    text = " ".join(s.text.split())
    head = f"[{s.index}]{' title' if s.is_title else ''}{' SUPPLY' if supply else ''} "
    lines = [head + (text if len(text) <= CLAUSE_WIDTH else text[:CLAUSE_WIDTH] + "...")]
    if s.furniture:
        return lines + ["    furniture: page teaser or credit, never evidence"]
    cues = [f"{t}x{n}" for t, n in sorted(s.types.items())]
    flags = [name for name, on in (("negative", s.negative), ("ai", s.ai),
                                   ("government", s.government), ("partner-cue", s.partner_cue))
             if on]
    if cues or flags:
        lines.append(f"    cues: {' '.join(cues + flags)}")
    if s.mentions:
        lines.append(f"    names: {'; '.join(_mention(m) for m in s.mentions)}")
    receivers = sorted(_recipient_agencies(s)) + [
        f"{code} ({rule})" for code, (_, rule) in sorted(_recipient_countries(s).items())]
    if receivers:
        lines.append(f"    receivers: {', '.join(receivers)}")
    if s.vendor_ids():
        lines.append(f"    lead vendors: {', '.join(sorted(s.lead_vendors()))}")
    return lines


def _event_lines(number: int, event: dict) -> list[str]:
    rules = event.get("rules") or {}
    lines = [f"event {number}: {event['event_type']} ({rules.get('type')}), "
             f"date {event['event_date']} ({rules.get('date')}), {rules.get('event')}",
             f"    identity: {event.get('identity')}"]
    for field, label in FIELDS.items():
        for value in event[field]:
            lines.append(f"    {label:8} {value['id']:28} {value.get('rule')} "
                         f"conf={value['confidence']}")
            evidence = " ".join((value.get("evidence") or "").split())
            lines.append(f"             evidence: {evidence[:140]}")
    return lines + _deal_lines(event.get("deal") or {})


def _deal_lines(found: dict) -> list[str]:
    """The event's deal facts (events/deal.py): values with their kind, vehicles, security
    levels with who says them, the stage; each with its rule."""
    lines = []
    for v in found.get("values") or []:
        usd = f" = {v['usd']:,.0f} USD ({v['fx_source']})" if v.get("usd") is not None else ""
        lines.append(f"    value    {v['kind']:11} {v['text']!r}{usd} {v['rule']}")
    for v in found.get("vehicles") or []:
        lines.append(f"    vehicle  {v['code']:28} {v['text']!r} {v['rule']}")
    for v in found.get("security") or []:
        lines.append(f"    security {v['code']:28} {v['text']!r} said by {v['said_by']} "
                     f"{v['rule']}")
    if found.get("stage"):
        lines.append(f"    stage    {found['stage']['stage']} {found['stage']['rule']}")
    return lines


def explain_lines(analysis: Analysis) -> list[str]:
    """The report `tracker explain` prints."""
    if not analysis.sentences:
        return ["no vendor or model named: not relevant"]
    supply = set(map(id, analysis.event_sentences))
    lines = [f"language: {analysis.language}", "clauses:"]
    for s in analysis.sentences:
        lines += _clause_lines(s, id(s) in supply)
    lines.append("groups: " + "; ".join(
        f"{sorted(g.vendors)} clauses {[s.index for s in g.sentences]}"
        + (" (background)" if g.background else "") for g in analysis.groups))
    if not analysis.events:
        lines.append("no event: no clause reports a supply with a receiver")
    for number, event in enumerate(analysis.events, 1):
        lines += _event_lines(number, event)
    return lines


def explain(text: str, title: str | None = None, published: str | None = None,
            language: str | None = None, url: str | None = None) -> list[str]:
    return explain_lines(analyse_article(text, title, published, language, url))
