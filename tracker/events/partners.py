"""Delivery partners by the role a clause gives them (DESIGN.md, 'Labelling rules': companies
named as delivering, hosting, integrating or reselling the supply; investors and deals between
companies are not partners).

The partner stage of derive.py decides which clauses may name an event's partners; this module
decides which companies one clause names as partners, each with the rule that found it:

- a company of partners.yml, unless the clause names it as an investor ('financed by Bosch,
  SAP and Porsche');
- a vendor listed among partners ('in partnership with G42, Oracle and Nvidia'): it supplies
  nothing there, it delivers with the others (`partner.vendor_listed_with_partners`);
- a company no table knows, by the role its phrase gives it (`partner.role_phrase`): 'through
  reseller Acme', 'Acme, a systems integrator', 'hosted on Acme's cloud', 'runs on Acme
  Cloud', 'a hosting partnership with Acme'; or by its place in a list of partners
  (`partner.partner_list`): 'partners such as Acme', 'in partnership with Oracle and Acme'.
  These are English frames: capitalisation marks a name there (German capitalises every
  noun), so other languages get the table and known-vendor rules only.

It also tells where a dual-role company (AWS, Microsoft...) stands as the product's maker
rather than its host ('AI provided by Microsoft, OpenAI'), whether a clause states a deal
between companies only, and whether it refers back to the supply ('This project has been
carried out in partnership with...').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.events import cues
from tracker.events.aliases import Entity, Mention, gazetteer
from tracker.events.openvocab import (
    COMMON_WORDS,
    GENERIC_PRODUCT_WORDS,
    PARTNER_LIST,
    ROLE_AFTER_NAME,
    ROLE_BEFORE_NAME,
    TITLE_WORDS,
    slug,
    subdivisions_by_name,
)

OPEN_PARTNER_PREFIX = "x-partner-"
MAX_LIST_ITEMS = 30
ROLE_WINDOW = 80  # characters before a company searched for 'financed by', 'provided by'

# Lists whose unknown names count: English only (see the module docstring).
ENGLISH_LIST = cues._rx(*(cues.LANGUAGES.get("en", {}).get("partner_list") or [cues.NEVER]))
INVESTOR = cues._cue(cues.LANGUAGES, "investor")
SUPPLY_ANAPHORA = cues._cue(cues.LANGUAGES, "supply_anaphora")
SUPPLIED_BY = cues._cue(cues.LANGUAGES, "supplied_by")
PARTNER_NOUN = cues._cue(cues.LANGUAGES, "partner_noun")
COMPANY_NOUN = cues._cue(cues.LANGUAGES, "company_noun")
DELIVERY = cues._cue(cues.LANGUAGES, "delivery")
# A word after a company noun: a quoted name of any script, or a word (its case decides).
NOUN_NAME_WORD = re.compile(r"[ \t]*(?:[«“\"„「]\s*(?P<quoted>[^»”\"“」]{2,60}?)\s*[»”\"“」]|"
                            r"(?P<word>[^\W\d_][\w&.’'+-]*[\w+]|[^\W\d_]))")
MAX_NOUN_MODIFIERS = 2  # lower-case words between the noun and the name ('firma bogotana')
# Lower-case words after a company noun that start a phrase of place or relation, not the
# modifiers ('local', 'bogotana') a name may follow.
NOT_A_MODIFIER = frozenset({"based", "in", "at", "from", "near", "of", "with", "for", "and",
                            "headquartered", "located"})

# ------------------------------------------------------------------ names by shape
_TOKEN = r"(?>[A-Z][\w&.’'+-]*[\w+]|[A-Z]|\d+[A-Z][\w-]*)"
_CONNECTOR = r"(?:of|for|in|de|du|des|von|van|&)"
NAME = rf"(?<![\w’'&.+-]){_TOKEN}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_TOKEN}){{0,5}}"
NAME_AT = re.compile(NAME)
_ROLE_WORDS = ("resell", "integrator", "contractor", "distributor", "provider", "operator",
               "partner")
# Each frame with the words (in the lower-cased clause) without which it cannot match: most
# clauses skip every frame.
ROLE_FRAMES = (
    # 'through reseller Acme', 'the systems integrator Acme'
    (_ROLE_WORDS, re.compile(rf"{ROLE_BEFORE_NAME}(?P<name>{NAME})")),
    # 'Acme, a systems integrator', "Acme, the government's cloud provider"
    (_ROLE_WORDS, re.compile(rf"(?P<name>{NAME}){ROLE_AFTER_NAME}")),
    # 'hosted on Acme's cloud', 'hosted by Acme' (not 'a summit hosted by Acme': HOSTED_EVENT)
    (("host",), re.compile(rf"(?i:\bhost(?:ed|s|ing)?\s+(?:on|by|with|through)\s+(?:the\s+)?)"
                           rf"(?P<name>{NAME})")),
    # 'runs on Acme Cloud': a company named by its cloud
    (("cloud",), re.compile(rf"(?i:\b(?:on|via|through|from|with|in)\s+(?:the\s+)?)"
                            rf"(?P<name>{NAME}[ \t]+Cloud)\b")),
    # 'awarded Acme a contract to integrate OpenAI's GPT-4o'
    (("integrat", "implement", "install"), re.compile(
        rf"(?i:\bawarded\s+)(?P<name>{NAME})(?=\s+(?i:an?|the)\s+[^.;]{{0,60}}?\bto\s+"
        rf"(?i:integrate|implement|install)\b)")),
    # 'a hosting partnership with Acme'
    (("partnership",), re.compile(
        rf"(?i:\b(?:hosting|cloud|infrastructure|integration|implementation|delivery|"
        rf"reseller|distribution)\s+partnerships?\s+with\s+(?:the\s+)?)(?P<name>{NAME})")),
)
# Words without which no English list of partners can start ('in partnership with', 'partners
# such as', 'resellers include'...).
_LIST_WORDS = ("partner", "collaborat", "cooperat", "conjunction", "team", "deliver", "implement",
               "integrat", "resell", "subcontract")
HINT_WORDS = frozenset(_LIST_WORDS).union(*(words for words, _ in ROLE_FRAMES))
# 'an event hosted by', 'the summit, hosted by': a host of a meeting, not of the models.
HOSTED_EVENT = re.compile(r"(?i:\b(?:event|summit|conference|forum|meeting|panel|webinar|session|"
                          r"dinner|ceremony|roundtable|hackathon|talks?)\b[^.;]{0,20}$)")
# "Palantir's FedStart programme": a company's programme that brings others' products to
# government buyers (right after a partners.yml company).
PROGRAMME_AFTER = re.compile(r"['’]s\s+(?:[A-Z][\w-]*\s+){0,3}(?:programme|program|marketplace|"
                             r"Marketplace|accelerator)\b")
# Words that make a clause's partnership a delivery, not a deal between companies.
DELIVERY_WORDS = re.compile(
    r"(?i:\b(?:host|cloud|infrastructure|integrat|resell|distribut|deliver|deploy|implement|"
    r"platform|provid|bring|offer|make|available|access|serv))")
# Names of bodies and people, not companies.
NOT_A_COMPANY = frozenset({
    "Ministry", "Department", "Agency", "Authority", "Office", "Council", "Commission",
    "Directorate", "Bureau", "Administration", "Secretariat", "Government", "University",
    "College", "School", "Army", "Navy", "Force", "Forces", "Command", "Parliament", "Congress",
    "Senate", "Court", "Police", "Prime"})
# A list that names a country or a public body lists customers, not companies: 'partnerships
# with American and European government agencies'.
BODY_KINDS = ("country", "agency")
# A capitalised word before these nouns qualifies them: 'European government agencies'.
HEAD_NOUN_AFTER = re.compile(
    r"[ \t]+(?:governments?|agencies|agency|authorities|ministries|institutions|forces|armed|"
    r"military|militaries|public|companies|company|firms?|partners?|startups?|organi[sz]ations?)\b")
SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:and|&|as well as)[ \t]+)?|[ \t]+(?:and|&|as well as|"
                       r"et|und|y|e|en|och|i|и|dan|và)[ \t]+)")
ARTICLE = re.compile(r"(?:the|la|le|les|el|los|las|der|die|das|dem|den|il|lo|gli)[ \t]+", re.I)
# Words that may stand between a cue and a company of its list besides names: 'financed by
# Bosch, SAP and Porsche', 'investors such as SAP'.
LIST_WORDS = frozenset({"and", "&", "as", "well", "et", "und", "y", "e", "of", "for", "the",
                        "include", "includes", "including", "such", "like", "are"})


@dataclass(frozen=True)
class Candidate:
    """A company one clause names as a partner."""

    partner_id: str
    rule: str | None  # None: a partners.yml company named plainly (the clause's scope rule)
    vendor_id: str | None = None  # a vendor standing as partner: never the event's own


# ------------------------------------------------------------------ roles of named companies
def _cue_governs(pattern, text: str, mention: Mention) -> bool:
    """Whether the last cue of the pattern before the mention leads to it through a list of
    names only ('financed by Bosch, SAP': SAP too)."""
    window_start = max(0, mention.start - ROLE_WINDOW)
    cues = list(pattern.finditer(text, window_start, mention.start))
    if not cues:
        return False
    last = cues[-1]
    words = re.findall(r"[^\s,]+", text[last.end():mention.start])
    return all(w[0].isupper() or w[0].isdigit() or w in LIST_WORDS for w in words)


def _has(s, key: str, pattern) -> bool:
    """Whether the clause has the cue at all (memoized): most have none, and their companies
    need no closer look."""
    if key not in s.memo:
        s.memo[key] = bool(pattern.search(s.text))
    return s.memo[key]


def is_investor(s, mention: Mention) -> bool:
    """'financed by Bosch, SAP, Porsche', 'investors such as AWS': money, not delivery."""
    return _has(s, "partners.investor", INVESTOR) and _cue_governs(INVESTOR, s.text, mention)


def named_as_maker(s, mention: Mention) -> bool:
    """'AI provided by Microsoft, OpenAI': the company makes the product it is named with."""
    return _has(s, "partners.supplied_by", SUPPLIED_BY) and \
        _cue_governs(SUPPLIED_BY, s.text, mention)


def refers_to_supply(s) -> bool:
    """'This project has been carried out in partnership with...': the clause speaks of the
    supply the article reports."""
    return _has(s, "partners.supply_anaphora", SUPPLY_ANAPHORA)


def names_delivery_programme(s) -> bool:
    """"...confirmed its involvement with Palantir's FedStart programme": the clause names a
    partners.yml company's delivery programme."""
    if "partners.programme" not in s.memo:
        s.memo["partners.programme"] = any(
            m.entity.kind == "partner" and PROGRAMME_AFTER.match(s.text, m.end)
            for m in s.mentions)
    return s.memo["partners.programme"]


def company_deal(s, vendors: set[str]) -> bool:
    """'OpenAI partnered with Anduril to advance U.S. AI leadership': the event's vendor named
    before its partner, with no word of what the partner delivers. The caller checks that the
    clause reports a partnership only, to no recipient of its own and of no product."""
    partner_starts = [m.start for m in s.mentions if m.entity.kind == "partner"]
    if not partner_starts or DELIVERY_WORDS.search(s.text):
        return False
    return any(m.entity.kind == "vendor" and m.entity.id in vendors and m.end <= min(partner_starts)
               for m in s.mentions)


# ------------------------------------------------------------------ candidates of a clause
def candidates(s) -> list[Candidate]:
    """Every company the clause names as a partner (memoized: events share clauses)."""
    if "partners.candidates" not in s.memo:
        found = [Candidate(m.entity.id, None) for m in s.mentions
                 if m.entity.kind == "partner" and not is_investor(s, m)]
        found += _by_role(s)
        found += _by_noun(s)
        found += _list_candidates(s)
        s.memo["partners.candidates"] = found
    return s.memo["partners.candidates"]


def listed_vendors(s) -> set[str]:
    """Vendors the clause lists among partners ('in partnership with G42, Oracle and Nvidia'):
    they lead no supply there."""
    kinds = {m.entity.kind for m in s.mentions}
    if "partner" not in kinds or "vendor" not in kinds:
        return set()  # no vendor beside a partners.yml company: no list of both
    return {c.vendor_id for c in _list_candidates(s) if c.vendor_id}


def _list_candidates(s) -> list[Candidate]:
    if "partners.lists" not in s.memo:
        has_list = any(m.entity.kind == "partner" for m in s.mentions) or \
            not _hint_words(s).isdisjoint(_LIST_WORDS)
        listed = has_list and PARTNER_LIST.search(s.text)
        s.memo["partners.lists"] = _listed(s) if listed else []
    return s.memo["partners.lists"]


def _listed(s) -> list[Candidate]:
    """Vendors listed with partners.yml companies after a partner-list cue, and unknown names in
    English partner lists; not where a public body partners with them ('The ministry signed
    partnerships with Mistral AI, Aleph Alpha and SAP': its suppliers)."""
    found = []
    english = {m.end() for m in ENGLISH_LIST.finditer(s.text)}
    for cue in PARTNER_LIST.finditer(s.text):
        if _suppliers_of_a_body(s, cue.start()):
            continue
        items = _list_items(s, cue.end(), open_names=cue.end() in english)
        known = [mentions for mentions, _ in items if mentions]
        if any(m.entity.kind == "partner" for ms in known for m in ms):
            found += [_vendor_as_partner(ms[0]) for ms in known
                      if all(m.entity.kind == "vendor" for m in ms)]
        if not any(m.entity.kind in BODY_KINDS for ms in known for m in ms):
            found += [_open_candidate(name, "partner.partner_list")
                      for mentions, name in items if name]
    return found


def _suppliers_of_a_body(s, cue_start: int) -> bool:
    """Whether a public body partners with the list, no supplier named before it: 'The
    ministry signed partnerships with Mistral AI, Helsing and Capgemini' (but 'The Army will
    pilot Claude in partnership with Oracle' names Oracle a partner)."""
    before = {m.entity.kind for m in s.mentions if m.start < cue_start}
    return bool(before & set(BODY_KINDS)) and not before & {"vendor", "model"}


def _list_items(s, position: int, open_names: bool) -> list[tuple[list[Mention], str | None]]:
    """The items of the list starting at position: each the mentions standing there, or (in an
    English list) an unknown company name."""
    items: list[tuple[list[Mention], str | None]] = []
    text = s.text
    while len(items) < MAX_LIST_ITEMS:
        position = _skip_article(text, position)
        at = [m for m in s.mentions if m.start == position]
        if at:
            items.append((at, None))
            position = max(m.end for m in at)
        else:
            name = NAME_AT.match(text, position) if open_names else None
            if name is None:
                break
            items.append(([], _company_name(s, name.start(), name.end())))
            position = name.end()
        separator = SEPARATOR.match(text, position)
        if separator is None:
            break
        position = separator.end()
    return items


def _skip_article(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    article = ARTICLE.match(text, position)
    return article.end() if article else position


def _by_role(s) -> list[Candidate]:
    """Unknown companies named in a delivery role: 'reseller Acme', 'Acme, a systems
    integrator', 'hosted on Acme's cloud', 'a hosting partnership with Acme'."""
    found = []
    present = _hint_words(s)
    for words, frame in ROLE_FRAMES:
        if present.isdisjoint(words):
            continue
        for match in frame.finditer(s.text):
            if HOSTED_EVENT.search(s.text, max(0, match.start() - 40), match.start()):
                continue
            name = _company_name(s, match.start("name"), match.end("name"))
            if name:
                found.append(_open_candidate(name, "partner.role_phrase"))
    return found


def names_by_noun(s) -> bool:
    """Whether the clause names an unknown company as an integrator, reseller or host: it is
    then about delivering a supply."""
    return bool(_by_noun(s))


def _by_noun(s) -> list[Candidate]:
    """Unknown companies after the noun that says what they are, in any language: an
    integrator's or reseller's ('a integradora goiana Nuvem Cerrado'), or any company's
    where the clause says it integrates or hosts the supply ('компания «ВолгаСофт»
    выполнила интеграцию'). Memoized: the clause's partner cue asks first."""
    if "partners.by_noun" not in s.memo:
        s.memo["partners.by_noun"] = _nouns_named(s)
    return s.memo["partners.by_noun"]


def _nouns_named(s) -> list[Candidate]:
    spans = [m.end() for m in PARTNER_NOUN.finditer(s.text)]
    if _has(s, "partners.delivery", DELIVERY):
        spans += [m.end() for m in COMPANY_NOUN.finditer(s.text)]
    found = []
    for position in spans:
        span = _name_after_noun(s.text, position)
        if span and INVESTOR.search(s.text, position, span[0]):
            continue  # 'a startup backed by Bosch'
        name = span and _company_name(s, *span)
        if name:
            found.append(_open_candidate(name, "partner.role_noun"))
    return found


def _name_after_noun(text: str, position: int) -> tuple[int, int] | None:
    """The capitalised (or quoted) name after a company noun, past up to two lower-case words
    ('firma bogotana Andina Sistemas', 'syarikat tempatan Sinar Awan')."""
    skipped = 0
    word = NOUN_NAME_WORD.match(text, position)
    while word is not None and word.group("word") and not word.group("word")[0].isupper():
        skipped += 1
        if skipped > MAX_NOUN_MODIFIERS or word.group("word").lower() in NOT_A_MODIFIER:
            return None  # 'an integrator based in Herndon': a place, not the integrator
        word = NOUN_NAME_WORD.match(text, word.end())
    if word is None:
        return None
    if word.group("quoted"):
        return word.start("quoted"), word.end("quoted")
    start, end = word.start("word"), word.end()
    later = NOUN_NAME_WORD.match(text, end)
    while later is not None and later.group("word") and later.group("word")[0].isupper():
        end = later.end()
        later = NOUN_NAME_WORD.match(text, end)
    return start, end


def _hint_words(s) -> set[str]:
    """Which words of the role frames and English lists the clause holds (memoized)."""
    if "partners.hints" not in s.memo:
        lower = s.text.lower()
        s.memo["partners.hints"] = {w for w in HINT_WORDS if w in lower}
    return s.memo["partners.hints"]


def _company_name(s, start: int, end: int) -> str | None:
    """The name between start and end as a company no table knows, or None: a known name (the
    tables decide it), a body, a person, a common word."""
    if any(m.start < end and start < m.end for m in s.mentions) or \
            HEAD_NOUN_AFTER.match(s.text, end):
        return None
    tokens = s.text[start:end].split()
    while tokens and (tokens[0] in COMMON_WORDS or tokens[0] in TITLE_WORDS):
        tokens = tokens[1:]
    if tokens and tokens[-1].endswith(("'s", "’s")):
        tokens[-1] = tokens[-1][:-2]
    if not tokens or any(t in NOT_A_COMPANY or t in TITLE_WORDS for t in tokens):
        return None
    if all(t in GENERIC_PRODUCT_WORDS for t in tokens) or len("".join(tokens)) < 2:
        return None
    return None if _is_place(tokens) else " ".join(tokens)


def _is_place(tokens: list[str]) -> bool:
    """A one-word name that is a region or city ('Lagos', "İstanbul'da" with its case
    ending): where a company is, not the company."""
    return len(tokens) == 1 and \
        re.split(r"['’]", tokens[0])[0].casefold() in subdivisions_by_name()


def _open_candidate(name: str, rule: str) -> Candidate:
    return Candidate(open_partner(name).id, rule)


def _vendor_as_partner(mention: Mention) -> Candidate:
    """A vendor named among partners: its partners.yml twin, or a partner of its name."""
    vendor = mention.entity
    twin = gazetteer().vendor_as_partner.get(vendor.id)
    partner_id = twin if twin else open_partner(vendor.name).id
    return Candidate(partner_id, "partner.vendor_listed_with_partners", vendor.id)


def open_partner(name: str) -> Entity:
    """A partner no table knows (normalized=False), remembered so that its id resolves."""
    entity = Entity("partner", OPEN_PARTNER_PREFIX + slug(name), name, normalized=False)
    gazetteer().remember(entity)
    return entity
