"""From article text to adoption events: who supplied what to which government, and when."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from tracker.events import cues, deal, facts, partners, roles
from tracker.events.aliases import Mention, country_name_forms, gazetteer, is_cjk
from tracker.events.dates import find_dates
from tracker.events.openvocab import beside_company, find_open_mentions, requalified, value_fields
from tracker.events.text import split_sentences
from tracker.extract.language import detect_language

ORG_CANDIDATE = re.compile(
    r"\b((?:[A-Z][\w&'’-]+\s+){0,4}(?:Inc|Corp|Corporation|Technologies|Technology|Labs|Systems|"
    r"Holdings|Group|Solutions|Dynamics|GmbH|AG|SAS|SA|Ltd|LLC|plc|"
    r"Agency|Ministry|Department|Office|Command|Directorate|Authority|Agentur|Ministerium|"
    r"Ministerio|Agence)\b\.?)")
MAX_EVENTS_PER_ARTICLE = 4
# Sentences from the top of an article searched for its dated announcement sentence.
ANNOUNCEMENT_LEAD = 8
SUPPLIER_KINDS = ("vendor", "model")
OPEN_CONFIDENCE = 0.45  # a value found by the shape of its phrase, in no alias table
MAX_OPEN_VALUES = 25  # per field of an event; a real announcement names a handful of bodies
MAX_REVIEW_ROWS = 100  # unknown names kept for review per article (unmatched_mentions)
CLAUSE_CONFIDENCE = 0.9  # named in a supply clause of the event
NEARBY_CONFIDENCE = 0.6  # named in the clause right before or after
NEIGHBOUR_CONFIDENCE = 0.5  # an agency borrowed by a clause that names no recipient
WEAK_CONFIDENCE = 0.6  # a generic alias ('the Army') trusted once its country is established
COUNTRY_CONFIDENCE = 0.8  # a country named as receiver, or the country of a receiving agency
SEAT_CONFIDENCE = 0.6  # a capital standing for its government ('Washington', 'Paris')
CUED_PARTNER_CONFIDENCE = 0.7  # a partner named by a clause cued as about the supply
# An event's confidence: a base, more for each supply clause and for a headline stating it.
EVENT_CONFIDENCE = 0.5
CLAUSE_EVIDENCE = 0.1
MAX_EVENT_CONFIDENCE = 0.95
# Type cue weights: the lead clause counts more; a partnership cue in a clause that lists
# partners ('working with partners such as AWS') much less.
LEAD_CLAUSE_WEIGHT = 1.5
PARTNER_LIST_WEIGHT = 0.3
DATE_SENTENCES = 8  # announcement dates come early; later sentences date older deals
SUPPLY_REFERENCE_REACH = 3  # clauses from the event's within which 'this project' is it
LEAD_CLAUSES = 3  # body clauses after the headline that say what kind of deal an event is
# Characters beside a mention read for the words that give it its role.
HOSTING_REACH = 60  # after a company: '..., which hosts the models'
COUNTRY_ROLE_BEFORE = 60  # before a country: 'rivals such as', 'a startup based in'
COUNTRY_ROLE_AFTER = 40  # after it: '-based', "'s counterparts"
AGENCY_ROLE_AFTER = 30  # after an agency: 'contractor', 'CIO said'
AGENCY_ROLE_BEFORE = 20  # before it: 'former'
COUNTRY_CONTEXT_BEFORE = 35  # of those, the part a context word must lie in: 'rival'
COUNTRY_CONTEXT_AFTER = 25
NEIGHBOUR_CLAUSES = 1  # clauses on each side that lend a clause recipients or AI context
BASIS_CLAUSES = 2  # clauses after a supply within which 'it is built on X' names its maker
# Who a name in a clause speaks for when the clause quotes it (deal facts: who says a level).
SPEAKER_KINDS = {"agency": "official", "country": "official", "vendor": "vendor",
                 "model": "vendor", "partner": "vendor"}


@dataclass(eq=False)
class Sentence:
    """One clause of the article (a sentence cut at ', but', ';', ' — '...): the unit of analysis.
    Each is its own (eq=False): 's in group' compares identities, not every field."""

    index: int
    text: str
    is_title: bool
    mentions: list[Mention]
    sentence: int = 0  # index of the sentence this clause belongs to
    memo: dict = field(default_factory=dict)  # per-clause results, computed when first asked
    furniture: bool = False  # 'Also read: ...', photo credits: never evidence
    language: str | None = None  # the article's

    # The cue checks are regex passes; most clauses of a long article are never asked.
    @property
    def types(self) -> Counter:
        if "types" not in self.memo:
            found = Counter()
            if not self.furniture:
                found.update(+Counter({t: len(p.findall(self.text))
                                       for t, p in cues.TYPE_CUES.items()}))
                if found["contract"]:
                    found.pop("partnership", None)  # 'signed an agreement' is the contract
                if found and self.negative:
                    found.clear()
            self.memo["types"] = found
        return self.memo["types"]

    @property
    def supply(self) -> bool:
        """One pass of all type cues at once: most clauses asked have none (remembered: later
        stages ask again of the clauses around an event's)."""
        if "supply" not in self.memo:
            self.memo["supply"] = bool(self.types) if "types" in self.memo else (
                not self.furniture and bool(cues.ANY_TYPE.search(self.text)) and bool(self.types))
        return self.memo["supply"]

    @property
    def negative(self) -> bool:
        if "negative" not in self.memo:
            self.memo["negative"] = bool(cues.NOT_A_SUPPLY.search(self.text))
        return self.memo["negative"]

    @property
    def ai(self) -> bool:
        if "ai" not in self.memo:
            self.memo["ai"] = not self.furniture and (
                any(m.entity.kind == "model" for m in self.mentions)
                or bool(cues.AI_CUE.search(self.text)))
        return self.memo["ai"]

    @property
    def partner_cue(self) -> bool:
        if "partner_cue" not in self.memo:
            self.memo["partner_cue"] = bool(cues.PARTNER_CUES.search(self.text)) or \
                partners.names_by_noun(self)
        return self.memo["partner_cue"]

    @property
    def government(self) -> bool:
        if "government" not in self.memo:
            self.memo["government"] = not self.furniture and bool(
                cues.GOVERNMENT_WORDS.search(self.text))
        return self.memo["government"]

    def ids(self, kind: str, strong_only: bool = True) -> set[str]:
        return {m.entity.id for m in self.mentions
                if m.entity.kind == kind and not (strong_only and (m.weak or m.metonym))}

    def vendor_ids(self) -> frozenset[str]:
        if "vendors" not in self.memo:
            found = self.ids("vendor")
            found |= {m.entity.vendor_id for m in self.mentions if m.entity.kind == "model"}
            self.memo["vendors"] = frozenset(found or self._cloud_as_supplier())
        return self.memo["vendors"]

    def lead_vendors(self) -> set[str]:
        """Vendors this clause supplies. A company that is also a cloud or integration partner
        (AWS, Microsoft, Palantir...) counts as a partner where the clause puts it in that role:
        a cloud name, after 'working with'/'such as', or before 'hosts'/'provides the
        infrastructure'; otherwise it is a vendor ('awards contracts to Anthropic, Google...')."""
        if "lead" in self.memo:
            return self.memo["lead"]
        dual = gazetteer().vendor_as_partner
        vendor_mentions = [m for m in self.mentions if m.entity.kind == "vendor"]
        partnered = {m.entity.id for m in vendor_mentions
                     if m.entity.id in dual and _partner_positioned(self, m)}
        listed = partners.listed_vendors(self)  # 'in partnership with G42, Oracle...'
        partnered |= listed
        models = {m.entity.vendor_id for m in self.mentions
                  if m.entity.kind == "model" and not m.entity.platform}
        vendors = {m.entity.id for m in vendor_mentions} - partnered
        lead = (models - partnered) | vendors
        owned = {m.entity.vendor_id for m in self.mentions if m.entity.kind == "model"
                 and _possessive_before(self, m)}
        lead |= owned & models
        self.memo["lead"] = lead or {m.entity.id for m in vendor_mentions} - listed \
            or self._cloud_as_supplier()
        return self.memo["lead"]

    def _cloud_as_supplier(self) -> set[str]:
        """A clause naming no maker at all supplies through the cloud company it names ('the
        Office has partnered with Google Cloud to launch an AI cluster'): its vendor twin."""
        if any(m.entity.kind in ("vendor", "model") for m in self.mentions):
            return set()
        twins = gazetteer().partner_as_vendor
        return {twins[m.entity.id] for m in self.mentions
                if m.entity.kind == "partner" and m.entity.id in twins}


def _partner_positioned(s: Sentence, mention: Mention) -> bool:
    """Whether a dual-role company stands where a delivery partner stands in this clause."""
    if cues.CLOUD_NAME.search(mention.surface):
        return True
    if partners.named_as_maker(s, mention):  # 'AI provided by Microsoft, OpenAI'
        return False
    cue = cues.PARTNER_CUES.search(s.text, 0, mention.start)
    if cue is not None:
        return True
    return bool(cues.HOSTING_AFTER.search(s.text[mention.end:mention.end + HOSTING_REACH]))


def _possessive_before(s: Sentence, model: Mention) -> bool:
    """'AWS's Nova Lite', 'AWSのNova Lite': the company right before its own model supplies it."""
    return any(m.entity.kind == "vendor" and m.entity.id == model.entity.vendor_id
               and m.end <= model.start
               and s.text[m.end:model.start].strip() in ("", "'s", "’s", "の", "의")
               for m in s.mentions)


@dataclass
class DeriveResult:
    events: list[dict]
    unmatched: list[dict]

    @property
    def relevant(self) -> bool:
        return bool(self.events)


def _clauses(doc: str) -> list[tuple[int, int, int]]:
    """Sentence spans cut further at clause boundaries (', but', ';', ' — ', 'が、'): the unit
    in which a vendor, a recipient and a verb are taken to belong together."""
    spans = []
    for number, (start, end) in enumerate(split_sentences(doc)):
        cursor = start
        for boundary in cues.CLAUSE_SPLIT.finditer(doc, start, end):
            if doc[cursor:boundary.start()].strip():
                spans.append((cursor, boundary.start(), number))
            cursor = boundary.end()
        if doc[cursor:end].strip():
            spans.append((cursor, end, number))
    return spans


def _established_countries(mentions: list[Mention]) -> set[str]:
    """Countries the article names outright or through a strongly named agency."""
    found = set()
    for m in mentions:
        if m.weak or m.metonym:
            continue
        if m.entity.kind == "country":
            found.add(m.entity.id)
        elif m.entity.kind == "agency" and m.entity.country:
            found.add(m.entity.country)
    return found


def _analyse(doc: str, title_len: int, mentions: list[Mention],
             language: str | None = None) -> list[Sentence]:
    established = _established_countries(mentions)
    home = cues.home_country(language, doc)
    if home and not established - {home}:
        established.add(home)
    # A weak alias ('the Army', "l'armée") is trusted once its country is established.
    mentions = [Mention(m.entity, m.start, m.end, m.surface,
                        m.weak and m.entity.country not in established, m.metonym)
                for m in mentions]
    sentences = []
    clauses = _clauses(doc)
    furniture = {number for start, end, number in clauses if cues.FURNITURE.search(doc[start:end])}
    for index, (start, end, number) in enumerate(clauses):
        text = doc[start:end]
        if number in furniture:  # 'Also read: ...' teasers and photo credits say nothing here
            sentences.append(Sentence(index, text, False, [], sentence=number, furniture=True,
                                      language=language))
            continue
        inside = [Mention(m.entity, m.start - start, m.end - start, m.surface, m.weak, m.metonym)
                  for m in mentions if start <= m.start < end]
        s = Sentence(index, text, start < title_len, inside, sentence=number, language=language)
        sentences.append(s)
    return sentences


def _is_demonym(surface: str) -> bool:
    """'German', 'française', 'estadounidense' qualify a noun; 'Japan' or 'Iran' name a country."""
    if is_cjk(surface) or surface in country_name_forms():
        return False
    return surface.lower().endswith(cues.DEMONYM_ENDINGS)


def _recipient_countries(s: Sentence) -> dict[str, tuple[float, str]]:
    """Countries a sentence names as receivers (not rivals, vendor homes or comparisons), each
    with its confidence and the rule that found it."""
    if "countries" not in s.memo:
        s.memo["countries"] = _find_recipient_countries(s)
    return s.memo["countries"]


def _find_recipient_countries(s: Sentence) -> dict[str, tuple[float, str]]:
    found: dict[str, tuple[float, str]] = {}
    for agency_id in _recipient_agencies(s):
        country = gazetteer().entity("agency", agency_id).country
        if country:
            found.setdefault(country, (CLAUSE_CONFIDENCE, "country.of_recipient_agency"))
    for m in s.mentions:
        if m.entity.kind != "country":
            continue
        before = s.text[max(0, m.start - COUNTRY_ROLE_BEFORE):m.start]
        after = s.text[m.end:m.end + COUNTRY_ROLE_AFTER]
        if cues.COUNTRY_CONTEXT.search(before[-COUNTRY_CONTEXT_BEFORE:]) or \
                cues.COUNTRY_CONTEXT.search(after[:COUNTRY_CONTEXT_AFTER]) \
                or cues.COUNTRY_QUALIFIER_AFTER.search(after) or _not_a_receiving_country(s, m) \
                or beside_company(s.text, m, s.mentions):
            continue
        if m.metonym:
            if re.search(r"\b(?:in|at|à|en|nach)\s*$", before):
                continue
            found.setdefault(m.entity.id, (SEAT_CONFIDENCE, "country.seat_of_government"))
            continue
        if _is_demonym(m.surface) and not cues.DEMONYM_RECIPIENT.search(after) and \
                not cues.DEMONYM_RECIPIENT_BEFORE.search(before):
            continue  # 'French startup'; but 'German armed forces', 'gobierno mexicano' count
        rule = "country.demonym_recipient" if _is_demonym(m.surface) else "country.named"
        found.setdefault(m.entity.id, (COUNTRY_CONFIDENCE, rule))
    return found


@dataclass
class ArticleContext:
    """What the title and the article as a whole establish, for sentences that rely on it."""

    title_vendors: set[str]
    title_agencies: set[str]
    ai_vendors: set[str]  # vendors named in a sentence that also speaks of AI


def _article_context(sentences: list[Sentence]) -> ArticleContext:
    title = [s for s in sentences if s.is_title]
    # a headline of talks or plans ('Army negotiates with Google') supplies nothing to carry
    title_vendors = set().union(*(s.lead_vendors() for s in title if not s.negative))
    title_agencies = set().union(*(s.ids("agency") for s in title)) if title else set()
    ai_vendors = set().union(*(s.vendor_ids() for s in sentences if s.vendor_ids() and s.ai))
    return ArticleContext(title_vendors, title_agencies, ai_vendors)


def _recipient_agencies(s: Sentence) -> set[str]:
    """Agencies named as receivers, not as someone's customer in general or via officials."""
    if "agencies" not in s.memo:
        s.memo["agencies"] = _find_recipient_agencies(s)
    return s.memo["agencies"]


def _find_recipient_agencies(s: Sentence) -> set[str]:
    found = set()
    for m in s.mentions:
        if m.entity.kind != "agency" or m.weak:
            continue
        if cues.AGENCY_CONTEXT_AFTER.search(s.text[m.end:m.end + AGENCY_ROLE_AFTER]) or \
                cues.AGENCY_CONTEXT_BEFORE.search(
                    s.text[max(0, m.start - AGENCY_ROLE_BEFORE):m.start]):
            continue
        if _not_a_receiving_agency(s, m):
            continue
        found.add(m.entity.id)
    return found


def _not_a_receiving_agency(s: Sentence, m: Mention) -> bool:
    """A body the clause compares the recipient with ('modelled on NIST'), an acronym in
    brackets that names the body before it ('Canadian AI Safety Institute (CAISI)'), a
    generic name another country's qualifier claims ("Whitehall's justice department"), or a
    watchdog."""
    return roles.is_comparison(s.text, m) or roles.is_bracketed_acronym(s.text, m, s.mentions) \
        or roles.is_other_countrys_body(s.text, m, s.mentions) or _is_watchdog(m)


def _is_watchdog(m: Mention) -> bool:
    """A data-protection authority, an ombudsman or an audit office named in a supply's clause
    reviews or comments on it ('the CNPD said it will follow the pilot'); it receives nothing."""
    return bool(cues.WATCHDOG.search(m.entity.name))


def _not_a_receiving_country(s: Sentence, m: Mention) -> bool:
    """A country named as a comparison, a venue, a vendor's home, or as a listed member of an
    international recipient, whose members are not recipients unless named as receivers."""
    if roles.is_comparison(s.text, m) or roles.is_venue(s.text, m) or \
            roles.is_vendor_home(s.text, m, s.mentions):
        return True
    return _names_international_recipient(s) and roles.is_listed_member(s.text, m)


def _names_international_recipient(s: Sentence) -> bool:
    """Whether an international body (NATO, EU, NCIA...) receives in this clause."""
    return any(gazetteer().entity("agency", a).org_kind == "international"
               for a in _recipient_agencies(s))


def _has_recipient(s: Sentence) -> bool:
    return bool(_recipient_agencies(s) or _recipient_countries(s) or s.government)


def _around(sentences: list[Sentence], index: int, before: int = NEIGHBOUR_CLAUSES,
            after: int = NEIGHBOUR_CLAUSES) -> list[Sentence]:
    """The clauses from `before` ahead of clause `index` to `after` past it."""
    return sentences[max(0, index - before):index + after + 1]


def _neighbour_agencies(s: Sentence, sentences: list[Sentence]) -> set[str]:
    """Agencies named right before or after a sentence that names none ('the service...')."""
    found: set[str] = set()
    for other in _around(sentences, s.index):
        if other is not s and not other.negative:
            found |= _recipient_agencies(other)
    return found


def _is_event_sentence(s: Sentence, sentences: list[Sentence], ctx: ArticleContext) -> bool:
    if s.furniture:
        return False
    vendors = s.vendor_ids()
    carried = not vendors and not s.is_title and (
        len(ctx.title_vendors) == 1 or bool(_basis_vendors(s, sentences)))
    if not vendors and not carried:
        return False
    if not s.supply:
        return False
    recipient = _has_recipient(s) or (not s.is_title and bool(ctx.title_agencies)) or \
        bool(vendors and _neighbour_agencies(s, sentences))
    if not recipient:
        return False
    window = _around(sentences, s.index)
    if any(w.ai for w in window) or any(w.is_title and w.ai for w in sentences[:2]):
        return True
    # The vendor is an AI supplier elsewhere in the article and the sentence is about the
    # title's recipient (not some other customer history).
    own_agencies = _recipient_agencies(s)
    return bool((vendors or ctx.title_vendors) & ctx.ai_vendors) and \
        (not own_agencies or bool(own_agencies & ctx.title_agencies))


def _basis_vendors(s: Sentence, sentences: list[Sentence]) -> set[str]:
    """'CBP has deployed a generative AI assistant. The assistant is built on OpenAI's GPT-4o':
    a supply clause that names no maker takes the one a clause right after names as what the
    product is built on, when that clause names no receiver the supply clause does not."""
    if "basis" not in s.memo:
        s.memo["basis"] = set()
        for other in sentences[s.index + 1:s.index + 1 + BASIS_CLAUSES]:
            if other.furniture or other.negative or not other.lead_vendors():
                continue
            if (cues.PRODUCT_BASIS.search(other.text) or partners.SUPPLIED_BY.search(other.text)) \
                    and _recipients([other]) <= _recipients([s]):
                s.memo["basis"] = other.lead_vendors()
                break
    return s.memo["basis"]


def _evidence(sentences: list[Sentence], kind: str, entity_id: str) -> str | None:
    """The first sentence naming the value (for a country: itself or one of its agencies)."""
    for s in sentences:
        for m in s.mentions:
            if m.entity.kind == kind and m.entity.id == entity_id:
                return s.text.strip()
            if kind == "country" and m.entity.kind == "agency" and m.entity.country == entity_id:
                return s.text.strip()
    return None


def _sentence_date(s: Sentence, published: date | None,
                   background: bool) -> tuple[str, str, str] | None:
    """The date one sentence gives its announcement. A page's own date line may stand before
    'on Thursday, 25 September': the publication day counts only when nothing else does."""
    latest = published or date.today()  # nothing is announced after its report
    announced = bool(cues.ANNOUNCE_CUE.search(s.text))
    found = []
    for mention in find_dates(s.text, published, s.language):
        if mention.value > latest:
            continue
        if background or published is None:
            if mention.explicit_year or background:
                found.append((mention.value.isoformat(), mention.precision, "text"))
            continue
        gap = (published - mention.value).days
        if mention.precision == "day" and (0 <= gap <= 7 or (announced and 0 <= gap <= 45)):
            found.append((mention.value.isoformat(), "day",
                          mention.relative or "text"))
    other_days = [f for f in found if not published or f[0] != published.isoformat()]
    return (other_days or found or [None])[0]


def _event_date(event_sentences: list[Sentence], published: date | None,
                background: bool = False) -> tuple[str, str, str] | None:
    """The announcement day: a weekday or dated announcement near publication. A background
    event takes the date written beside it. Returns the date, its precision and where it came
    from (text | weekday), or None when the sentences date nothing."""
    for s in event_sentences:
        found = _sentence_date(s, published, background)
        if found:
            return found
    return None


def _main_event_date(ordered: list[Sentence], sentences: list[Sentence],
                     published: date | None) -> tuple[str | None, str | None, str | None]:
    """The event's own sentences first, then the article's lead announcement sentences ('the
    deal was announced Monday'), then the publication day."""
    announcing = [x for x in sentences[:ANNOUNCEMENT_LEAD] if cues.ANNOUNCE_CUE.search(x.text)]
    found = _event_date(ordered, published) or _event_date(announcing, published)
    if found:
        return found
    if published:
        return published.isoformat(), "day", "published"
    return None, None, None


@dataclass
class EventGroup:
    vendors: set[str]
    sentences: list[Sentence]
    partner_only: list[Sentence] = field(default_factory=list)
    background: bool = False


def _split_background(group: EventGroup) -> list[EventGroup]:
    """Earlier supplies stated as background ('This follows GSA's approval...', 'previously
    supplied the US Army') become their own events when they name other recipients."""
    background = [s for s in group.sentences if not s.is_title and cues.BACKGROUND.search(s.text)]
    main = [s for s in group.sentences if s not in background]
    if not main or not background:
        return [group]
    main_recipients = _recipients(main)
    split: list[EventGroup] = []
    for s in background:
        own = _recipients([s])
        if not own or own & main_recipients:
            main.append(s)
            continue
        for earlier in split:
            if _recipients(earlier.sentences) & own:
                earlier.sentences.append(s)
                break
        else:
            split.append(EventGroup(set(group.vendors), [s], background=True))
    main.sort(key=lambda s: s.index)
    return [EventGroup(group.vendors, main, group.partner_only)] + split


def _side_groups_as_background(groups: list[EventGroup],
                               title_vendors: set[str]) -> list[EventGroup]:
    """Another vendor's supply told only as background ('The agreement follows a similar deal
    between the UAE and OpenAI announced last year') is an earlier event, never dated by this
    report: a group of such sentences, beside a group that is news, is background."""
    def told_as_background(group: EventGroup) -> bool:
        return not group.vendors & title_vendors and all(
            not s.is_title and cues.BACKGROUND.search(s.text) for s in group.sentences)
    if all(told_as_background(g) for g in groups):
        return groups
    for group in groups:
        group.background = group.background or told_as_background(group)
    return groups


def _recipients(sentences: list[Sentence]) -> set[str]:
    found: set[str] = set()
    for s in sentences:
        found |= _recipient_agencies(s) | set(_recipient_countries(s))
    return found


def _group_by_vendor(event_sentences: list[Sentence], title_vendors: set[str]) -> list[EventGroup]:
    """Event sentences sharing a lead vendor form one event. A group whose only vendors are
    dual-role companies (IBM watsonx, AWS...) names the main event's partners, unless it names
    other recipients, when it is background ('the Pentagon first worked with Google')."""
    dual = gazetteer().vendor_as_partner
    groups: list[EventGroup] = []
    for s in event_sentences:
        # a clause carried by its product's basis: _is_event_sentence found it (_basis_vendors)
        vendors = s.lead_vendors() or set(title_vendors) or set(s.memo.get("basis", ()))
        for group in groups:
            if group.vendors & vendors:
                group.vendors |= vendors
                group.sentences.append(s)
                break
        else:
            groups.append(EventGroup(set(vendors), [s]))
    if len(groups) > 1:
        main = max(groups, key=lambda g: (bool(g.vendors & title_vendors), len(g.sentences)))
        for group in [g for g in groups if g is not main and g.vendors <= _partner_roles(g, dual)]:
            groups.remove(group)
            if _recipients(group.sentences) <= _recipients(main.sentences):
                main.partner_only.extend(group.sentences)
    return groups


def _partner_roles(group: EventGroup, dual: dict[str, str]) -> set[str]:
    """Vendors that may stand as partners in a group's clauses: the dual-role companies, and
    vendors its clauses list among partners."""
    return dual.keys() | set().union(*(partners.listed_vendors(s) for s in group.sentences))


def _identity(event: EventGroup, group: list[Sentence], models: dict[str, float],
              title_vendors: set[str], date_source: str | None) -> dict:
    """What tells this announcement from others by the same vendors (see events/merge.py):
    the vendors its headline leads with, the amounts its supply clauses state, its model
    families ('openai:chatgpt' for ChatGPT Gov and ChatGPT Enterprise alike). A product found
    only by the shape of its phrase ('the AI assistant, Humphrey') tells no deal apart."""
    headline = set() if event.background else title_vendors & event.vendors
    families = set()
    for model_id in models:
        model = gazetteer().entity("model", model_id)
        if model.normalized:
            families.add(f"{model.vendor_id}:{model.name.split()[0].lower()}")
    return {"headline_vendors": sorted(headline),
            "amounts": sorted(set().union(*(facts.amounts(s.text) for s in group))),
            "model_families": sorted(families), "date_source": date_source}


class Found(dict):
    """Values of one kind an event gathered, id -> confidence, with the rule that found each
    first (later rules never overwrite an earlier, stronger finding)."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: dict[str, str] = {}
        self.evidence: dict[str, str] = {}  # where a value names no mention (open partners)

    def put(self, key: str, confidence: float, rule: str, evidence: str | None = None) -> None:
        if key not in self:
            self[key] = confidence
            self.rules[key] = rule
            if evidence:
                self.evidence[key] = evidence


def _nearby(group: list[Sentence], sentences: list[Sentence]) -> list[Sentence]:
    """The clauses right before and after the event's own."""
    near = {j for g in group for j in (g.index - 1, g.index + 1) if 0 <= j < len(sentences)}
    return [sentences[j] for j in sorted(near) if sentences[j] not in group]


def _event_models(group: list[Sentence], sentences: list[Sentence], vendors: set[str]) -> Found:
    """Models of the event's vendors in its clauses, or beside them ('...its Claude Gov
    models.'); 'Claude' is dropped beside 'Claude Gov'."""
    models = Found()
    for s in group + [x for x in _nearby(group, sentences) if not x.negative]:
        for m in s.mentions:
            if m.entity.kind == "model" and m.entity.vendor_id in vendors:
                if s in group:
                    models.put(m.entity.id, CLAUSE_CONFIDENCE, "model.in_supply_clause")
                else:
                    models.put(m.entity.id, NEARBY_CONFIDENCE, "model.beside_supply_clause")
    names = {mid: gazetteer().entity("model", mid).name for mid in models}
    for mid, name in names.items():
        if any(other != name and other.startswith(name + " ") for other in names.values()):
            models.pop(mid)
    return models


def _supply_referred_back(group: list[Sentence], sentences: list[Sentence],
                          vendors: set[str]) -> list[Sentence]:
    """Clauses shortly after the event's that refer back to its supply and deliver it ('The
    final product will go to Indo-Pacific Command'), naming no other vendor."""
    found = []
    for g in group:
        for s in _around(sentences, g.index, before=0, after=SUPPLY_REFERENCE_REACH)[1:]:
            if s not in group and s not in found and partners.refers_to_supply(s) and \
                    s.supply and not s.negative and s.vendor_ids() <= vendors:
                found.append(s)
    return found


def _event_recipients(group: list[Sentence], sentences: list[Sentence],
                      vendors: set[str]) -> tuple[Found, Found]:
    """Agencies and countries the event's clauses name as receivers; a clause without one
    borrows its neighbours'; a later clause referring back to the supply names receivers too."""
    agencies, countries = Found(), Found()
    for s in group:
        for agency_id in _recipient_agencies(s):
            agencies.put(agency_id, CLAUSE_CONFIDENCE, "agency.recipient_in_supply_clause")
        for code, (conf, rule) in _recipient_countries(s).items():
            countries.put(code, conf, rule)
        if not _has_recipient(s):
            for agency_id in _neighbour_agencies(s, sentences):
                agencies.put(agency_id, NEIGHBOUR_CONFIDENCE, "agency.neighbour_clause")
    for s in _supply_referred_back(group, sentences, vendors):
        for agency_id in _recipient_agencies(s):
            agencies.put(agency_id, NEARBY_CONFIDENCE, "agency.supply_referred_back")
    _settle_recipients(group, agencies, countries)
    return agencies, countries


def _settle_recipients(group: list[Sentence], agencies: Found, countries: Found) -> None:
    """A weak alias ('the Army') counts once its country is established; an agency brings
    its country."""
    weak = [m for s in group for m in s.mentions if m.entity.kind == "agency" and m.weak]
    for m in weak:
        if m.entity.country in countries:
            agencies.put(m.entity.id, WEAK_CONFIDENCE, "agency.weak_alias_established")
            countries.put(m.entity.country, WEAK_CONFIDENCE, "country.of_weak_alias")
    for agency_id in list(agencies):
        agency = gazetteer().entity("agency", agency_id)
        if agency.country:
            countries.put(agency.country, COUNTRY_CONFIDENCE, "country.of_agency")


@dataclass
class PartnerScope:
    """What the partner stage knows of one event while it reads the article's clauses."""

    event: EventGroup
    sentences: list[Sentence]
    vendors: set[str]
    agencies: Found
    models: Found
    anchored: set[int]  # the sentences of the event's clauses


def _event_partners(event: EventGroup, sentences: list[Sentence], vendors: set[str],
                    agencies: Found, models: Found) -> Found:
    """Delivery partners: in the event's clauses, in the rest of their sentences ('AWS and
    Microsoft provide the infrastructure, while...'), or in a clause about the same supply
    (partner-cued, referring back to it, naming a partner's delivery programme). A vendor of
    the event is never its own partner; which companies a clause names as partners (not
    investors, a vendor listed among partners, unknown names by their role) is
    events/partners.py's."""
    partner_of_vendor = gazetteer().vendor_as_partner
    own = {partner_of_vendor[v] for v in vendors if v in partner_of_vendor}
    scope = PartnerScope(event, sentences, vendors, agencies, models,
                         {g.sentence for g in event.sentences + event.partner_only})
    found = Found()
    for s in (event.sentences if event.background else sentences):
        rule = _partner_scope(s, scope)
        if rule is None:
            continue
        for c in partners.candidates(s):
            if c.partner_id not in own and c.vendor_id not in vendors:
                found.put(c.partner_id, NEARBY_CONFIDENCE if rule == "partner.same_sentence"
                          else CUED_PARTNER_CONFIDENCE,
                          c.rule or rule, evidence=s.text.strip())
    return found


def _partner_scope(s: Sentence, scope: PartnerScope) -> str | None:
    """The rule by which a clause may name the event's partners, or None: a negative clause,
    another event's clause, a deal between companies ('OpenAI partnered with Anduril to
    advance U.S. AI leadership')."""
    event = scope.event
    if (s.negative and not s.supply) or s.memo.get("partners.event", event) is not event:
        return None
    if s in event.sentences or s in event.partner_only:
        return None if _company_deal(s, scope.vendors) else "partner.in_supply_clause"
    if s.sentence in scope.anchored:
        return "partner.same_sentence"
    if partners.names_delivery_programme(s) and _sentence_names_vendor(s, scope):
        return "partner.delivery_programme"
    return _cued_scope(s, scope) if s.partner_cue else None


def _cued_scope(s: Sentence, scope: PartnerScope) -> str | None:
    """A partner-cued clause about the event's supply: its vendor, recipient or model; or,
    naming no other supplier, AI or the clause beside the event's; or a reference back to it."""
    if s.vendor_ids() & scope.vendors or s.ids("agency") & scope.agencies.keys() \
            or s.ids("model") & scope.models.keys():
        return "partner.cued_sentence"
    if _other_suppliers(s):
        return None  # 'Palantir, which also works with Microsoft on AI for banks'
    if s.ai or any(abs(s.index - g.index) == 1 for g in scope.event.sentences):
        return "partner.cued_sentence"
    if _refers_to_event(s, scope.event, scope.agencies):
        return "partner.refers_to_supply"
    if partners.names_by_noun(s) and _near_event(s, scope.event):
        return "partner.delivery_nearby"  # 'A instalação fica a cargo da consultora X.'
    return None


def _near_event(s: Sentence, event: EventGroup) -> bool:
    """A clause a few clauses from the event's, not about earlier deals."""
    return not event.background and not cues.BACKGROUND.search(s.text) and \
        min(abs(s.index - g.index) for g in event.sentences) <= SUPPLY_REFERENCE_REACH


def _refers_to_event(s: Sentence, event: EventGroup, agencies: Found) -> bool:
    """'This project has been carried out in partnership with...', a few clauses from the
    event's: the clause speaks of its supply (not of an earlier one, or another customer's)."""
    if event.background or not partners.refers_to_supply(s) or cues.BACKGROUND.search(s.text):
        return False
    countries = {gazetteer().entity("agency", a).country for a in agencies}
    if any(gazetteer().entity("agency", a).country not in countries
           for a in _recipient_agencies(s) - agencies.keys()):
        return False  # another country's body: another customer
    return min(abs(s.index - g.index) for g in event.sentences) <= SUPPLY_REFERENCE_REACH


def _sentence_names_vendor(s: Sentence, scope: PartnerScope) -> bool:
    """Whether the clause or one before it in its sentence names one of the event's vendors
    ('Anthropic declined to comment but confirmed its involvement with Palantir's FedStart
    programme')."""
    return any(x.vendor_ids() & scope.vendors and x.sentence == s.sentence
               for x in _around(scope.sentences, s.index, before=SUPPLY_REFERENCE_REACH, after=0))


def _other_suppliers(s: Sentence) -> set[str]:
    """Vendors a clause names in a supplier's role (not as hosts or listed partners): a clause
    that names none of the event's vendors is then about another supplier's business."""
    dual = gazetteer().vendor_as_partner
    listed = partners.listed_vendors(s)
    return {m.entity.id for m in s.mentions if m.entity.kind == "vendor"
            and m.entity.id not in listed
            and not (m.entity.id in dual and _partner_positioned(s, m))}


def _company_deal(s: Sentence, vendors: set[str]) -> bool:
    """A clause that only reports the event's vendor partnering with a company, to no recipient
    of its own and of no product, names no delivery partner."""
    return set(s.types) == {"partnership"} and not _has_recipient(s) and not s.ids("model") \
        and partners.company_deal(s, vendors)


def _claim_clauses(groups: list[EventGroup]) -> None:
    """Each clause belongs to the first event whose clauses it is: another event takes no
    partners from it."""
    for group in groups:
        for s in group.sentences + group.partner_only:
            s.memo.setdefault("partners.event", group)


def _buyers(agency_ids) -> set[str]:
    """Receiving bodies other than central purchasing ones (GSA, Crown Commercial Service)."""
    return {a for a in agency_ids if gazetteer().entity("agency", a).org_kind != "procurement"}


def _is_listing(group: list[Sentence], agencies: Found) -> bool:
    """A schedule, OneGov or per-agency price listing lets others buy: an authorization when
    the headline says so and names no buyer, or when no buyer receives it at all; a supply to
    a central purchasing body alone is one too ('xAI lands GSA deal')."""
    if agencies and not _buyers(agencies):
        return True
    listed = [s for s in group if cues.LISTING_CUE.search(s.text)]
    in_title = any(s.is_title and not _buyers(s.ids("agency")) for s in listed)
    return in_title or bool(listed and not _buyers(agencies))


def _lead_clauses(group: list[Sentence]) -> list[Sentence]:
    """The headline and the first clauses of the body: what the article says the event is
    (a page's date line or a repeated headline can come first)."""
    return [s for s in group if s.is_title] + [s for s in group if not s.is_title][:LEAD_CLAUSES]


def _memorandum_type(group: list[Sentence]) -> str | None:
    """A memorandum or letter of intent in the lead clauses is a partnership, or a contract when
    the event's clauses state an amount paid."""
    if not any(cues.MEMORANDUM_CUE.search(s.text) for s in _lead_clauses(group)):
        return None
    return "contract" if any(facts.amounts(s.text) for s in group) else "partnership"


def _stated_type(group: list[Sentence]) -> tuple[str, str] | None:
    """What DESIGN.md's definitions make of a deal whatever its other words: a supply the lead
    clauses call a pilot or trial is a pilot; one whose receiver's own people get access to the
    AI or use it is a deployment (a memorandum 'to give 2,500 officials access' included)."""
    if any(cues.PILOT_STATED.search(s.text) or (s.is_title and "pilot" in s.types)
           for s in _lead_clauses(group)):
        return "pilot", "type.pilot_stated"
    if any(cues.STAFF_USE.search(s.text) for s in group):
        return "deployment", "type.staff_use"
    return None


def _event_type(group: list[Sentence], agencies: Found) -> tuple[str, str]:
    """A listing for others to buy is an authorization and a memorandum a partnership (the
    definitions of DESIGN.md); otherwise a headline names the kind of deal most reliably; else
    the cues of the event's clauses, weighted (the lead clause more, 'partners such as AWS'
    less)."""
    if _is_listing(group, agencies):
        return "authorization", "type.listing_for_others_to_buy"
    stated = _stated_type(group)
    if stated:
        return stated
    memorandum = _memorandum_type(group)
    if memorandum:
        return memorandum, "type.memorandum"
    title_types = Counter()
    for s in group:
        if s.is_title:
            title_types.update(s.types)
    if title_types:
        return max(cues.TITLE_TYPE_PRIORITY, key=lambda t: (
            title_types[t] > 0, -cues.TITLE_TYPE_PRIORITY.index(t))), "type.headline_cue"
    weights = Counter()
    for position, s in enumerate(group):
        factor = LEAD_CLAUSE_WEIGHT if position == 0 else 1.0
        lists_partners = bool(s.ids("partner"))
        for event_type, hits in s.types.items():
            damp = PARTNER_LIST_WEIGHT if event_type == "partnership" and lists_partners else 1.0
            weights[event_type] += factor * damp * min(hits, 2)
    return max(cues.TYPE_PRIORITY, key=lambda t: (
        weights[t], -cues.TYPE_PRIORITY.index(t))), "type.weighted_clause_cues"


def _event_dating(event: EventGroup, sentences: list[Sentence],
                  published: date | None) -> tuple[str | None, str | None, str | None]:
    """A background event takes the date written beside it; the main event its lead clause's
    and their neighbours' first (later sentences often date older deals)."""
    group = event.sentences
    if event.background:
        return _event_date(group, published, background=True) or (None, None, None)
    lead = group[0] if not group[0].is_title or len(group) == 1 else group[1]
    ordered = [g for g in group if g.is_title] + _around(sentences, lead.index)
    around = sorted(group + _nearby(group, sentences), key=lambda x: x.index)
    ordered += [x for x in group + around if x not in ordered]
    return _main_event_date(ordered[:DATE_SENTENCES], sentences, published)


def _deal_clause(s: Sentence, own: bool) -> deal.Clause:
    """A clause as the deal facts read it: its text and who it names (possible speakers)."""
    names = tuple((m.start, m.end, SPEAKER_KINDS[m.entity.kind]) for m in s.mentions
                  if m.entity.kind in SPEAKER_KINDS)
    return deal.Clause(s.text, names, own=own, title=s.is_title)


def _deal_facts(group: list[Sentence], sentences: list[Sentence], event_type: str,
                event_date: str | None, url: str | None) -> dict:
    """The deal facts of the event's clauses and those right beside them."""
    clauses = [_deal_clause(s, True) for s in group] + [
        _deal_clause(s, False) for s in _nearby(group, sentences) if not s.furniture]
    article = [s.text for s in sentences if not s.furniture]
    return deal.deal_facts(clauses, event_type, event_date, url, article)


def _build_event(event: EventGroup, sentences: list[Sentence], published: date | None,
                 title: str | None, title_vendors: set[str] = frozenset(),
                 url: str | None = None) -> dict | None:
    """Stages: models, recipients, partners, type and date of one group of supply clauses."""
    group = event.sentences
    vendors = set(event.vendors)  # each clause's lead vendors (see Sentence.lead_vendors)
    if not vendors:
        return None
    models = _event_models(group, sentences, vendors)
    agencies, countries = _event_recipients(group, sentences, vendors)
    partners = _event_partners(event, sentences, vendors, agencies, models)
    event_type, type_rule = _event_type(group, agencies)
    event_date, precision, date_source = _event_dating(event, sentences, published)
    deal_found = _deal_facts(group, sentences, event_type, event_date, url)
    evidence = next((s.text.strip() for s in group if not s.is_title), group[0].text.strip())
    confidence = min(MAX_EVENT_CONFIDENCE, EVENT_CONFIDENCE + CLAUSE_EVIDENCE * (
        len(group) + any(s.is_title for s in group)))
    lead = Found()
    for vendor_id in sorted(vendors):
        lead.put(vendor_id, CLAUSE_CONFIDENCE, "vendor.lead_of_supply_clause")

    def values(kind: str, found: Found) -> list[dict]:
        return _bounded([_value(kind, key, conf, found.evidence.get(key)
                                or _evidence(group, kind, key) or _evidence(sentences, kind, key),
                                found.rules[key]) for key, conf in sorted(found.items())])

    return {
        "event_type": event_type,
        "event_date": event_date,
        "date_precision": precision,
        "identity": {**_identity(event, group, models, title_vendors, date_source),
                     "stage": deal_found["stage"]["stage"],
                     "continues": deal_found["stage"].get("continues", False)},
        "rules": {"type": type_rule, "date": f"date.{date_source or 'none'}",
                  "event": "event.background_supply" if event.background
                  else "event.supply_clauses"},
        "summary": title or evidence[:300],
        "evidence": evidence,
        "confidence": round(confidence, 2),
        "vendors": values("vendor", lead),
        "models": values("model", models),
        "countries": values("country", countries),
        "agencies": values("agency", agencies),
        "partners": values("partner", partners),
        "deal": deal_found,
    }


def _bounded(values: list[dict]) -> list[dict]:
    """At most MAX_OPEN_VALUES names no table knows per field: a page listing thousands of
    'ministries' must not flood the timeline and the entity tables."""
    open_values = [v for v in values if v.get("normalized") is False]
    if len(open_values) <= MAX_OPEN_VALUES:
        return values
    dropped = {id(v) for v in open_values[MAX_OPEN_VALUES:]}
    return [v for v in values if id(v) not in dropped]


def _value(kind: str, key: str, confidence: float, evidence: str | None, rule: str) -> dict:
    """One value of an event. A value no alias table holds (found by the shape of its phrase,
    events/openvocab.py) carries its name, country or vendor for the store, and less weight."""
    entity = gazetteer().entity(kind, key)
    fields = value_fields(entity) if entity is not None else {"normalized": True}
    if not fields["normalized"]:
        confidence = min(confidence, OPEN_CONFIDENCE)
    if not fields["normalized"]:
        rule = f"{rule}.open_vocabulary"
    return {"id": key, "confidence": confidence, "evidence": evidence, "rule": rule, **fields}


def _review_candidates(group_sentences: list[Sentence]):
    """(name, kind, sentence) of every name in the event sentences no alias table holds:
    open-vocabulary bodies, vendors and products, and organisation-like phrases."""
    for s in group_sentences:
        for x in s.mentions:
            if not x.entity.normalized:
                yield x.entity.name, "product" if x.entity.kind == "model" else "organisation", s
        known = [x for x in s.mentions if x.entity.normalized]
        for m in ORG_CANDIDATE.finditer(s.text):
            if not any(x.start < m.end() and m.start() < x.end for x in known):
                name = m.group(1).strip().rstrip(".")
                if len(name.split()) >= 2:
                    yield name, "organisation", s


def _unmatched(group_sentences: list[Sentence]) -> list[dict]:
    """Names no alias table holds, for review (unmatched_mentions): the first
    MAX_REVIEW_ROWS distinct ones, so a page naming 10,000 bodies adds a bounded number."""
    found: dict[str, dict] = {}
    for name, kind, sentence in _review_candidates(group_sentences):
        found.setdefault(name, {"kind": kind, "text": name,
                                "sentence": sentence.text.strip()[:500]})
        if len(found) >= MAX_REVIEW_ROWS:
            break
    return list(found.values())


def _is_supplier(mention: Mention) -> bool:
    """A vendor, a model, or a cloud company that is also a vendor (see _cloud_as_supplier)."""
    return mention.entity.kind in SUPPLIER_KINDS or (
        mention.entity.kind == "partner" and mention.entity.id in gazetteer().partner_as_vendor)


def rule_firings(events: list[dict]) -> Counter:
    """How often each rule decided something in these events (the crawl's stats count them)."""
    fired = Counter()
    for event in events:
        fired.update((event.get("rules") or {}).values())
        for kind in ("vendors", "models", "countries", "agencies", "partners"):
            fired.update(v["rule"] for v in event[kind] if v.get("rule"))
        found = event.get("deal") or {}
        fired.update(v["rule"] for kind in ("values", "vehicles", "security")
                     for v in found.get(kind) or [])
        fired.update([found["stage"]["rule"]] if found.get("stage") else [])
    return fired


@dataclass
class Analysis:
    """Everything derive_events decided for one article, for `tracker explain`."""

    sentences: list[Sentence]
    event_sentences: list[Sentence]
    groups: list[EventGroup]
    events: list[dict]
    language: str | None


def analyse_article(text: str, title: str | None = None, published: str | None = None,
                    language: str | None = None, url: str | None = None) -> Analysis:
    """Clauses, supply clauses, their grouping and the events built from them."""
    title = (title or "").strip()
    doc = f"{title}\n{text}" if title else text
    mentions = requalified(doc, gazetteer().find(doc))
    if not any(m.entity.kind in SUPPLIER_KINDS for m in mentions) and \
            not cues.AI_CUE.search(doc):
        return Analysis([], [], [], [], language)  # no supplier and no AI: nothing to find
    mentions = sorted(mentions + find_open_mentions(doc, mentions, language),
                      key=lambda m: (m.start, m.entity.kind))
    if not any(_is_supplier(m) for m in mentions):
        return Analysis([], [], [], [], language)  # every event sentence names a supplier
    language = language or detect_language(doc)
    sentences = _analyse(doc, len(title) + 1 if title else 0, mentions, language)
    ctx = _article_context(sentences)
    event_sentences = [s for s in sentences if _is_event_sentence(s, sentences, ctx)]
    if not event_sentences:
        return Analysis(sentences, [], [], [], language)
    published_date = date.fromisoformat(published) if published else None
    groups = [part for group in _side_groups_as_background(
                  _group_by_vendor(event_sentences, ctx.title_vendors), ctx.title_vendors)
              for part in _split_background(group)][:MAX_EVENTS_PER_ARTICLE]
    _claim_clauses(groups)
    events = [event for event in (_build_event(group, sentences, published_date, title or None,
                                               ctx.title_vendors, url) for group in groups)
              if event is not None]
    return Analysis(sentences, event_sentences, groups, events, language)


def derive_events(text: str, title: str | None = None, published: str | None = None,
                  language: str | None = None, url: str | None = None) -> DeriveResult:
    """All adoption events an article reports as fact (empty when it is not relevant); the
    article's URL tells whether a government or a vendor states its security levels."""
    analysis = analyse_article(text, title, published, language, url)
    unmatched = _unmatched(analysis.event_sentences) if analysis.events else []
    return DeriveResult(analysis.events, unmatched)
