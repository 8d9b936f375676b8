"""US DoD (defense.gov / war.gov) daily contract announcements: one record per award.

Page shape (../shared/reference/source-formats.md §5a): inside `div.body`, a centred
`<p><strong>NAVY</strong></p>` heading per agency, then one `<p>` per award, sometimes several
awards in one `<p>`, then a `*Small business` footnote. An award reads
"Company[*], City, State, is/was/has been awarded a $N <type> contract for ... <Command>,
<place>, is the contracting activity (PIID)." or "... The contracting activity is <Command>
(PIID)." The first dollar amount is the award; "if all options are exercised" gives a ceiling.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from parsel import Selector

from tracker.extract.dates import parse_date

ACTIVITY = re.compile(r"contracting activit(?:y|ies)\b", re.I)
PIID = r"[A-Z][A-Z0-9]{5}-?\d{2}-?[A-Z]-?[A-Z0-9]{4}"
PIID_RE = re.compile(rf"\b({PIID})\b")
PAREN_PIID = re.compile(rf"\(\s*({PIID}|[A-Z0-9][A-Z0-9-]{{5,}})\s*\)\s*\.?")
VERB = re.compile(r"\b(?:is|are|was|were|has|have)\s+(?:been\s+|being\s+)?"
                  r"(?:awarded|issued|modified|given|selected)\b|\breceived\b", re.I)
AMOUNT = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion))?", re.I)
CEILING = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion))?[^$]{0,120}?"
                     r"if all options (?:are|were) exercised", re.I)
KIND = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion))?\s+(.{0,80}?)\s*"
                  r"\b(contract|modification|order|agreement)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])\.\s+(?=[A-Z(])")
TITLE_DATE = re.compile(r"contracts\s+for\s+(.+)$", re.I)
HEADING_MAX = 80


@dataclass
class ContractAward:
    position: int
    agency: str | None
    company: str | None
    location: str | None
    small_business: bool
    amount_usd: int | None
    ceiling_usd: int | None
    contract_type: str | None
    contract_number: str | None
    contracting_activity: str | None
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


def _dollars(number: str, scale: str | None) -> int | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    if scale:
        value *= 1_000_000 if scale.lower() == "million" else 1_000_000_000
    return int(round(value))


def _chunk_end(text: str, match: re.Match) -> tuple[int, str | None, str | None]:
    """Where the award that `match` (an 'contracting activity' phrase) closes ends, plus the
    activity named after the phrase (form 'The contracting activity is X') and the PIID."""
    rest = text[match.end():]
    lead = re.match(r"\s+(?:is|are)\s+", rest)
    if lead:  # "The contracting activity is X, Place (PIID)."
        window = rest[lead.end():lead.end() + 300]
        paren = PAREN_PIID.search(window)
        stop = SENTENCE_END.search(window + " X")
        if paren and (stop is None or paren.start() <= stop.start() + 1):
            activity = window[:paren.start()].strip(" ,")
            return match.end() + lead.end() + paren.end(), activity, paren.group(1)
        end = stop.start() + 1 if stop else len(window)
        return match.end() + lead.end() + end, window[:end].strip(" ,."), None
    paren = PAREN_PIID.match(rest.lstrip())
    if paren:
        skipped = len(rest) - len(rest.lstrip())
        return match.end() + skipped + paren.end(), None, paren.group(1)
    dot = rest.find(".")
    return match.end() + (dot + 1 if dot >= 0 else len(rest)), None, None


def _company_location(head: str) -> tuple[str | None, str | None, bool]:
    head = re.sub(r",\s*(\*{1,2})\s*", r"\1, ", head.strip()).strip(" ,")
    small = "*" in head
    parts = [p.strip() for p in head.replace("*", "").split(", ") if p.strip()]
    if not parts:
        return None, None, small
    if len(parts) >= 3:
        return ", ".join(parts[:-2]), f"{parts[-2]}, {parts[-1]}", small
    if len(parts) == 2:
        return parts[0], parts[1], small
    return parts[0], None, small


def parse_awards(paragraph: str, agency: str | None = None, start: int = 0) -> list[ContractAward]:
    """Split one announcement paragraph into awards and read their fields."""
    text = " ".join(paragraph.split())
    awards: list[ContractAward] = []
    begin = 0
    for match in ACTIVITY.finditer(text):
        if match.start() < begin:
            continue
        end, after_activity, piid = _chunk_end(text, match)
        chunk = text[begin:end].strip()
        before = text[begin:match.start()]
        activity = after_activity
        if activity is None:
            boundaries = list(SENTENCE_END.finditer(before))
            sentence = before[boundaries[-1].end():] if boundaries else before
            sentence = re.sub(r",?\s*(?:is|are)\s+the\s*$", "", sentence.strip())
            activity = sentence.strip(" ,") or None
        if activity and re.match(r"^the\s*$", activity, re.I):
            activity = None
        awards.append(_award(chunk, agency, activity, piid, start + len(awards)))
        begin = end
    tail = text[begin:].strip()
    if tail and VERB.search(tail) and AMOUNT.search(tail):
        awards.append(_award(tail, agency, None, None, start + len(awards)))
    return awards


def _award(chunk: str, agency: str | None, activity: str | None, piid: str | None,
           position: int) -> ContractAward:
    verb = VERB.search(chunk)
    company = location = None
    small = False
    after = chunk
    if verb:
        company, location, small = _company_location(chunk[:verb.start()])
        after = chunk[verb.end():]
    amount = AMOUNT.search(after)
    ceiling = CEILING.search(after)
    kind = KIND.search(after)
    if piid is None:
        found = PIID_RE.findall(chunk)
        piid = found[-1] if found else None
    return ContractAward(
        position=position, agency=agency, company=company, location=location,
        small_business=small,
        amount_usd=_dollars(amount.group(1), amount.group(2)) if amount else None,
        ceiling_usd=_dollars(ceiling.group(1), ceiling.group(2)) if ceiling else None,
        contract_type=(f"{kind.group(1)} {kind.group(2)}".strip() if kind else None),
        contract_number=piid, contracting_activity=activity, text=chunk)


def _is_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (0 < len(text) <= HEADING_MAX and "$" not in text and bool(letters)
            and all(c.isupper() for c in letters))


def parse_contracts_page(body: bytes, encoding: str | None = None,
                         body_selector: str = "div.body") -> list[ContractAward]:
    """Every award on a daily contracts page (empty list when the page has none)."""
    text = body.decode(encoding or "utf-8", errors="replace")
    page = Selector(text=text, type="html")
    container = page.css(body_selector) or page.css("article") or [page]
    awards: list[ContractAward] = []
    agency = None
    for paragraph in container[0].css("p"):
        content = " ".join(" ".join(paragraph.css("::text").getall()).split())
        if not content:
            continue
        if _is_heading(content):
            agency = content
            continue
        if content.startswith("*") and "business" in content.lower() and "$" not in content:
            continue  # the small-business footnote
        awards.extend(parse_awards(content, agency, start=len(awards)))
    return awards


def page_date(title: str | None) -> date | None:
    """'Contracts for July 2, 2026' / 'Contracts For Nov. 4, 2024' -> the date."""
    match = TITLE_DATE.search(" ".join((title or "").split()))
    return parse_date(match.group(1).replace(".", "")) if match else None
