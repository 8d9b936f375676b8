"""Which event reports describe one announcement: pure, and independent of arrival order.

A report is one event as one article states it. Two reports are the same announcement when
their identities agree: the vendors the report leads with, the recipients, the deal facts
(amounts, models) and the date. Reports are then grouped (a report joins a group when it is
the same announcement as at least half of its members), visiting reports in a canonical
order, so the grouping is a function of the set of reports and not of the crawl's order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from tracker.events.cues import TYPE_PRIORITY

# Reports dated to the day by their text name the announcement day itself; a report dated by
# its page's publication day may lag the announcement by a few days of coverage.
TEXT_DATE_WINDOW = 2
DAY_WINDOW = 7
MONTH_WINDOW = 45  # month or year precision on either side
# The widest window any rule accepts: the store reads candidates from it.
CANDIDATE_WINDOW = MONTH_WINDOW
# Vendor sets that overlap this much (Jaccard) may be one announcement; a single-vendor award
# and a four-vendor award (0.25) are two.
VENDOR_JACCARD = 0.6
RECIPIENT_CONTAINMENT = 0.5
UNDATED_RECIPIENT_JACCARD = 0.5
# Vendors named together as one deal's lead: that set alone identifies an undated report.
JOINT_AWARD_VENDORS = 2
AMOUNT_ROUNDING = 1.15  # '$3 billion' and '$3.1 billion' are one amount
# Bounds the reports one save may regroup (a component of a busy news week is far smaller).
MAX_COMPONENT = 400
# How far along a deal is (events/deal.py); a report that says it continues an earlier stage
# ('after a successful pilot') may follow that stage's reports by up to a year.
STAGES = ("announced", "authorized", "awarded", "pilot", "deployed", "retired", "cancelled")
PROGRESSION_WINDOW = 365


@dataclass(frozen=True)
class Report:
    """The identity of one event report; `key` is (article id, position in the article)."""

    key: tuple[str, int]
    vendors: frozenset[str]
    headline_vendors: frozenset[str] = frozenset()
    model_families: frozenset[str] = frozenset()  # 'vendor:first word', e.g. 'openai:chatgpt'
    countries: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()  # bodies an alias table or a frame normalizes
    # Bodies found by the shape of their name only ('Министерство цифрового развития'): outlets
    # in other languages name them otherwise, so they support a merge but never veto one.
    open_agencies: frozenset[str] = frozenset()
    amounts: frozenset[str] = frozenset()
    event_date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None  # text | published
    stage: str | None = None  # events/deal.py STAGES
    continues: bool = False  # says it continues an earlier stage of its deal

    @property
    def identity_vendors(self) -> frozenset[str]:
        """The vendors a headline leads with, else those of the report's supply clauses."""
        return self.headline_vendors or self.vendors


def _recipients(report: Report) -> frozenset[str]:
    return frozenset({f"c:{c}" for c in report.countries} | {f"a:{a}" for a in report.agencies})


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _containment(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def days_apart(a: Report, b: Report) -> int | None:
    if not a.event_date or not b.event_date:
        return None
    return abs((date.fromisoformat(a.event_date[:10]) - date.fromisoformat(b.event_date[:10])).days)


def date_window(a: Report, b: Report) -> int:
    """Days two dated reports of one announcement may lie apart."""
    if a.date_precision != "day" or b.date_precision != "day":
        return MONTH_WINDOW
    if a.date_source == b.date_source == "text":
        return TEXT_DATE_WINDOW
    return DAY_WINDOW


def vendors_agree(a: Report, b: Report) -> bool:
    return _jaccard(a.identity_vendors, b.identity_vendors) >= VENDOR_JACCARD


def deal_facts_agree(a: Report, b: Report) -> bool:
    """Different stated amounts, or different product families of one vendor (Grok and Aurora,
    not ChatGPT Gov and ChatGPT Enterprise), are two deals."""
    if a.amounts and b.amounts and not amounts_match(a.amounts, b.amounts):
        return False
    shared_vendors = {f.split(":")[0] for f in a.model_families} & \
        {f.split(":")[0] for f in b.model_families}
    for vendor in shared_vendors:
        mine = {f for f in a.model_families if f.startswith(vendor + ":")}
        theirs = {f for f in b.model_families if f.startswith(vendor + ":")}
        if not mine & theirs:
            return False
    return True


def recipients_agree(a: Report, b: Report) -> bool:
    """Named recipients must overlap: other countries or other agencies are another deal
    (agencies a table or frame normalizes; an open body's name differs between outlets)."""
    if a.countries and b.countries and \
            _containment(a.countries, b.countries) < RECIPIENT_CONTAINMENT:
        return False
    if a.agencies and b.agencies and not a.agencies & b.agencies and \
            not a.open_agencies & b.open_agencies:
        return False
    return bool(a.countries & b.countries or a.agencies & b.agencies
                or a.open_agencies & b.open_agencies) or \
        not (a.countries or a.agencies) or not (b.countries or b.agencies)


DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD"})


def _same_currency(first: str, second: str) -> bool:
    return first == second or {first, second} <= DOLLARS


def amounts_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of amounts share one, allowing outlets' rounding ('$3 billion' and
    '$3.1B' are one amount; '$1' and '$200 million' are not). Dollars are one currency here:
    a bare '$14.6 million' in a Canadian story is read as US dollars, the next outlet writes
    'C$14.6M' of the same deal."""
    for first in a:
        currency, value = first.split(":")
        for second in b:
            other_currency, other = second.split(":")
            low, high = sorted((float(value), float(other)))
            if _same_currency(currency, other_currency) and high <= low * AMOUNT_ROUNDING:
                return True
    return False


def corroborated_without_date(a: Report, b: Report) -> bool:
    """An undated report joins only on a close identity: the same lead vendors, the same
    stated amount (or none on either side: outlets covering a $1 deal state the $1), and
    recipients that overlap. A shared model family alone needs the same kind of recipient on
    both sides: 'GSA approves Llama' is not 'Meta opens Llama to US agencies'. The same set
    of several vendors is itself a deal fact: an outlet may leave out their joint award's
    amount."""
    if a.identity_vendors != b.identity_vendors:
        return False
    if bool(a.amounts) != bool(b.amounts) and len(a.identity_vendors) < JOINT_AWARD_VENDORS:
        return False
    recipients_a, recipients_b = _recipients(a), _recipients(b)
    if a.amounts and b.amounts:
        return amounts_match(a.amounts, b.amounts) and \
            _containment(recipients_a, recipients_b) >= RECIPIENT_CONTAINMENT
    if _jaccard(recipients_a, recipients_b) < UNDATED_RECIPIENT_JACCARD:
        return False
    return bool(a.agencies & b.agencies or a.open_agencies & b.open_agencies) or bool(
        a.model_families & b.model_families and bool(a.agencies) == bool(b.agencies))


def progresses(a: Report, b: Report) -> bool:
    """Whether the later of two dated reports moves the earlier's deal on ('After a successful
    pilot, the Army deployed ...'): it says it continues an earlier stage and states a later
    one, within a year, with the same lead vendors, the same named agencies and a shared model
    family. The deal then gains a step instead of a second event."""
    apart = days_apart(a, b)
    if apart is None or apart > PROGRESSION_WINDOW:
        return False
    earlier, later = sorted((a, b), key=lambda r: (r.event_date, r.key))
    return (later.continues and earlier.stage in STAGES and later.stage in STAGES
            and STAGES.index(later.stage) > STAGES.index(earlier.stage)
            and a.identity_vendors == b.identity_vendors and bool(a.agencies)
            and a.agencies == b.agencies and bool(a.model_families & b.model_families))


def same_announcement(a: Report, b: Report) -> bool:
    """Symmetric: whether two reports can be one announcement."""
    if not (vendors_agree(a, b) and deal_facts_agree(a, b) and recipients_agree(a, b)):
        return False
    apart = days_apart(a, b)
    if apart is None:
        return corroborated_without_date(a, b)
    return apart <= date_window(a, b) or progresses(a, b)


def canonical_order(reports: list[Report]) -> list[Report]:
    """Dated reports first, earliest first; then by identity key: no trace of arrival order."""
    return sorted(reports, key=lambda r: (r.event_date is None, r.event_date or "",
                                          r.key))


def _joins(report: Report, members: list[Report]) -> bool:
    """A report joins a group when it is the same announcement as at least half its members (a
    report that names less than the others must not split its announcement; one that matches a
    single member of a large group must not chain two announcements)."""
    matched = sum(same_announcement(report, member) for member in members)
    return bool(matched) and 2 * matched >= len(members)


def group(reports: list[Report]) -> list[list[Report]]:
    """Each report joins the first group it fits, else starts one. An undated report that fits
    groups of different dates ('Ottawa signs MoU with Cohere' in June and in August) joins the
    latest: coverage of a later deal names the earlier one as background, rarely the reverse.
    Visiting in canonical order makes the result independent of arrival order."""
    groups: list[list[Report]] = []
    for report in canonical_order(reports):
        fitting = [members for members in groups if _joins(report, members)]
        if not fitting:
            groups.append([report])
        else:
            _chosen(report, fitting).append(report)
    return _singletons_rejoined(groups)


def _chosen(report: Report, fitting: list[list[Report]]) -> list[Report]:
    return max(fitting, key=_latest_date) if report.event_date is None else fitting[0]


def _singletons_rejoined(groups: list[list[Report]]) -> list[list[Report]]:
    """An undated report left alone because it came before the reports that tie it to a group
    joins the group it fits once that group is complete: undated reports come in the order of
    their article ids, which must not decide whether an outlet's report is merged. (A dated
    report alone was visited after every earlier-dated one: its place is decided.)"""
    for single in [members for members in groups
                   if len(members) == 1 and members[0].event_date is None]:
        report = single[0]
        fitting = [members for members in groups
                   if members is not single and len(members) > 1 and _joins(report, members)]
        if fitting:
            _chosen(report, fitting).append(report)
            groups.remove(single)
    return groups


def _latest_date(members: list[Report]) -> str:
    return max((m.event_date for m in members if m.event_date), default="")


def report_from_event(key: tuple[str, int], event: dict) -> Report:
    """A report's identity from the event dict the events layer produced (or stored)."""
    identity = event.get("identity") or {}

    def ids(field: str, normalized: bool | None = None) -> frozenset[str]:
        return frozenset(v["id"] for v in event.get(field) or []
                         if normalized is None or v.get("normalized", True) == normalized)

    return Report(key=key, vendors=ids("vendors"),
                  headline_vendors=frozenset(identity.get("headline_vendors") or ()),
                  model_families=frozenset(identity.get("model_families") or ()),
                  countries=ids("countries"), agencies=ids("agencies", normalized=True),
                  open_agencies=ids("agencies", normalized=False),
                  amounts=frozenset(identity.get("amounts") or ()),
                  event_date=event.get("event_date"),
                  date_precision=event.get("date_precision"),
                  date_source=identity.get("date_source"), stage=identity.get("stage"),
                  continues=bool(identity.get("continues")))


def report_facts(report: Report) -> list[tuple[str, str]]:
    """(kind, value) pairs a neighbour must share: lead vendors, and for undated reports the
    corroborating facts of corroborated_without_date; ('stage', 'continues') marks a report
    that may join an announcement up to PROGRESSION_WINDOW days before it."""
    return sorted({("vendor", v) for v in report.identity_vendors}
                  | {("amount", a) for a in report.amounts}
                  | {("family", f) for f in report.model_families}
                  | {("agency", a) for a in report.agencies | report.open_agencies}
                  | ({("stage", "continues")} if report.continues else set()))


def event_id_for(key: tuple[str, int]) -> str:
    """An event is named after its first report in canonical order: stable for a set."""
    return hashlib.sha1(f"{key[0]}:{key[1]}".encode()).hexdigest()[:16]


def row_type(report_types: list[str]) -> str:
    """The type most of a row's reports give. A tie goes to the more specific kind of deal (a
    pilot before a deployment), never to whichever report the crawl happened to fetch first."""
    counts = {t: report_types.count(t) for t in report_types}
    return min(counts, key=lambda t: (-counts[t], TYPE_PRIORITY.index(t)
                                      if t in TYPE_PRIORITY else len(TYPE_PRIORITY), t))
