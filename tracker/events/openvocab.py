"""Names no alias table knows, found by the shape and role of the phrase that names them.

The alias tables know a few hundred bodies and companies; real news names many more: a state or
town government, a ministry of education, a digital-government agency, a startup nobody has
listed yet. Losing them loses recipients and, when every name of a supply sentence is unknown,
the whole event. This module finds them by construction, not by list:

- governments by their frame: 'Government of Greece', 'the Greek government', "Canada's
  government" (national: the canonical agency of agencies.yml or a generated gov-<iso3>);
  'State of Maryland', 'Government of Telangana', 'Ontario provincial government'
  (sub-national, checked against pycountry's subdivisions);
- public bodies by their head noun and a public-sector qualifier: 'Ministry of Education and
  Research', 'Digital Agency', 'Monetary Authority of Singapore', 'Smart Nation and Digital
  Government Group', 'City of Springfield', 'Kamiyama Town Office';
- vendors and products by their role in the clause: 'Acme, a defence AI startup', 'AI startup
  Acme', 'its Foo assistant', 'a chatbot called Foo', "Cohere's Foo model".

Everything returned is a Mention (the gazetteer's dataclass) whose Entity carries
normalized=False, except national governments, which are canonical. Open mentions never
overlap a gazetteer mention (the alias tables win); a country mention inside the phrase
('Greece' in 'Government of Greece') is its qualifier, not a rival.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import pycountry

from tracker.events import cues
from tracker.events.aliases import (
    GENERATED_GOVERNMENT_PREFIX,
    Entity,
    Gazetteer,
    Mention,
    gazetteer,
)
from tracker.events.text import split_sentences

OPEN_AGENCY_PREFIX = "x-agency-"
OPEN_VENDOR_PREFIX = "x-vendor-"
OPEN_MODEL_PREFIX = "x-model-"
MAX_NAME_TOKENS = 8  # 'Ministry of Education, Religious Affairs and Sports' is 7
MAX_PRODUCT_TOKENS = 4
QUALIFIER_GAP = 8  # "'s the " between a country and the body it qualifies
DOMINANT_RATIO = 3  # an article's home country is named this many times more than any other
# agencies.yml leaves out a generic US government on purpose (labels never count it).
NO_GENERIC_GOVERNMENT = frozenset({"USA"})

# ------------------------------------------------------------------ vocabulary (closed classes)
# Head nouns of public bodies. Strong heads are public bodies once a qualifier says which
# public business they do; weak heads ('Group', 'Institute') are as often private.
STRONG_HEADS = frozenset({
    "Ministry", "Department", "Agency", "Authority", "Office", "Council", "Commission",
    "Directorate", "Bureau", "Administration", "Secretariat", "Inspectorate"})
WEAK_HEADS = frozenset({
    "Institute", "Foundation", "Group", "Service", "Centre", "Center", "Unit", "Board",
    "Government"})
# Heads that take their portfolio after them: 'Ministry of X', 'Agency for X'.
COMPLEMENT_WORDS = ("of", "for")
# Words that make a body public: its level of government.
LEVEL_WORDS = frozenset({
    "National", "Federal", "State", "Government", "Governmental", "Public", "Civil", "Royal",
    "Municipal", "City", "Town", "Village", "County", "Regional", "Provincial", "Prefectural",
    "Metropolitan", "Cabinet", "Presidential", "Parliamentary", "Ministerial", "Central",
    "Union", "Imperial", "Crown", "District", "Borough"})
# Levels that make a weak head public: 'City Investment Group' or 'State Street Group' are not.
WEAK_HEAD_LEVELS = frozenset({
    "National", "Federal", "Government", "Governmental", "Royal", "Municipal", "Metropolitan",
    "Provincial", "Prefectural", "Ministerial", "Presidential", "Parliamentary", "Cabinet",
    "Crown", "Imperial"})
# Words that name a public portfolio (prefixes: 'Education', 'Educational').
PORTFOLIO_STEMS = (
    "educat", "research", "scien", "health", "defence", "defense", "interior", "home affairs",
    "justice", "financ", "treasury", "econom", "digital", "transport", "energy", "environment",
    "agricultur", "labour", "labor", "employment", "communication", "information",
    "technolog", "innovation", "cultur", "sport", "touris", "trade", "industr", "commerce",
    "housing", "veteran", "welfare", "security", "intelligence", "cyber", "infrastructure",
    "foreign", "religious", "youth", "immigration", "citizenship", "police", "policing",
    "customs", "tax", "revenue", "statistic", "aviation", "maritime", "space", "nuclear",
    "emergenc", "disaster", "water", "forest", "fisher", "mining", "telecom", "election",
    "electoral", "audit", "procurement", "personnel", "planning", "urban", "rural", "pension",
    "monetary", "competition", "consumer", "privacy", "archive", "regulat", "census",
    "prosecut", "prison", "correction", "border", "military", "armed forces", "smart nation",
    "public service", "local government", "social", "family", "children", "women", "equalit")
# An institute 'of Technology' or 'of Science' is a university.
ACADEMIC_COMPLEMENTS = ("technology", "science", "sciences")
ACADEMIC_WORDS = re.compile(
    r"\b(?:University|College|School|Faculty|Universit\w+|Institutes? of (?:Technology|Science))\b")
# Characters before / after a candidate body read for a university that owns it.
ACADEMIC_REACH_BEFORE = 40
ACADEMIC_REACH_AFTER = 60
ACADEMIC_BEFORE = re.compile(r"\b(?:University|College|School)(?:['’]s)?\s+(?:the\s+)?$")
ACADEMIC_AFTER = re.compile(
    r"\s*,?\s+(?:at|of)\s+(?:the\s+)?(?:[A-Z][\w.&-]*\s+){0,4}(?:University|College)\b")
# Capitalised words that start sentences or name times, titles and roles, never a body.
COMMON_WORDS = frozenset({
    "The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "Our", "His", "Her",
    "It", "In", "On", "At", "By", "For", "With", "From", "To", "As", "And", "But", "Or", "If",
    "When", "While", "After", "Before", "Since", "Under", "Over", "Today", "Yesterday",
    "Tomorrow", "Now", "Meanwhile", "However", "Also", "Last", "Next", "Earlier", "Later",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "According", "Both", "Each", "Every", "Some", "Many", "Several",
    "New", "Other", "Such", "Why", "How", "What", "Which", "Who", "Where", "There", "Here",
    "Read", "See", "Photo", "Image", "Source", "Update", "UPDATE", "Editor", "Note", "Former",
    "Then", "Ex", "Acting", "Interim"})
TITLE_WORDS = frozenset({
    "CEO", "CTO", "CIO", "CFO", "COO", "Founder", "Co-founder", "Chief", "President", "Minister",
    "Secretary", "Director", "Head", "Chair", "Chairman", "Chairwoman", "Mr", "Mrs", "Ms", "Dr",
    "Prof", "Professor", "Senator", "Governor", "Mayor", "General", "Admiral", "Colonel",
    "Spokesperson", "Spokesman", "Spokeswoman", "Deputy", "Vice"})
# Product-name words that name a kind of thing, not a thing: 'its AI platform'.
GENERIC_PRODUCT_WORDS = frozenset({
    "AI", "A.I.", "GenAI", "LLM", "LLMs", "ML", "API", "IT", "Generative", "Cloud", "Enterprise",
    "Government", "Platform", "Model", "Models", "Data", "Digital", "Agentic", "Chat", "Open",
    "Pro", "New", "Next", "Own", "Gov", "Public", "Sovereign", "Secure", "Frontier"})

HEAD_WORD = re.compile(r"\b(?:" + "|".join(sorted(STRONG_HEADS | WEAK_HEADS)) + r")\b(?!-)")
ROLE_REACH = 100  # characters back to 'reseller' or 'in partnership with' before a company
ITS_REACH = 300  # characters back to the vendor 'its' refers to
NAME_WINDOW = 200  # characters searched on either side of a head noun for its name
PORTFOLIO = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in PORTFOLIO_STEMS) + ")", re.I)
NAME_WORD = re.compile(r"[^\W\d_][\w’'&*.-]*[\w*]|[^\W\d_]")
POSSESSIVE = re.compile(r"['’]s?$")
CONNECTORS = frozenset({"and", "&", "of", "for", "the"})

# ------------------------------------------------------------------ vendor / product roles
# a name's first word; 'Bristol-based' says where a company is, it is no part of its name
_TOKEN = r"(?![A-Z][\w.&’'-]*-based\b)(?:[A-Z][\w+.&’'-]*[\w+]|[A-Z])"
_NEXT = r"(?:[A-Z0-9][\w+.&’'-]*[\w+]|[A-Z0-9])"
_NAME = rf"{_TOKEN}(?: {_NEXT}){{0,{MAX_PRODUCT_TOKENS - 1}}}"
COMPANY_NOUN = r"start-?ups?|scale-?ups?|compan(?:y|ies)|firm|developer|maker|provider|vendor|" \
               r"contractor|specialist|lab|unicorn"
TECH_QUALIFIER = re.compile(
    r"\b(?:AI|A\.I\.|artificial[- ]intelligence|tech|technology|software|machine[- ]learning|"
    r"data|analytics|defen[cs]e[- ]tech|robotics|autonomy|autonomous|LLM|language[- ]model|"
    r"chatbot|cyber(?:security)?|computer[- ]vision|cloud|generative|GenAI)\b", re.I)
# ', a defence AI startup' after a name; 'AI startup' before one.
APPOSITIVE_TAIL = re.compile(
    rf",\s+(?:an?|the)\s+(?P<desc>[^,.;:()]{{0,80}}?)\b(?P<noun>{COMPANY_NOUN})\b")
NAME_BEFORE_COMMA = re.compile(rf"(?<![\w’'&.+-])(?P<name>{_NAME})$")
NOUN_THEN_NAME = re.compile(rf"\b(?P<noun>{COMPANY_NOUN})\s+(?P<name>{_NAME})")
DESCRIPTOR_WORDS = re.compile(r"(?:[\w.-]+\s+){0,3}$")
# AI products only: "Google's Workspace software suite" is not a model.
PRODUCT_NOUN = r"assistants?|platforms?|models?|chatbots?|tools?|systems?|agents?|copilots?|LLMs?"
# Role nouns of a company that delivers someone else's product (events/partners.py): such a
# company is a partner, not the supplier.
DELIVERY_ROLE = (
    r"(?:resellers?|(?:systems?\s+)?integrators?|prime\s+contractors?|subcontractors?|"
    r"distributors?|(?:cloud|hosting|infrastructure|data[- ]cent(?:er|re))\s+"
    r"(?:providers?|operators?|partners?)|(?:integration|implementation|implementing|"
    r"delivery|technology|reseller|channel)\s+partners?|(?:government|federal|defen[cs]e)\s+"
    r"contractors?)")
# 'reseller Acme' / 'Acme, a systems integrator': the role before or after a company's name.
ROLE_BEFORE_NAME = rf"(?i:\b{DELIVERY_ROLE})\s+"
ROLE_AFTER_NAME = rf",\s+(?i:(?:an?|the|its|their)\s+(?:[\w’'-]+\s+){{0,3}}?{DELIVERY_ROLE})\b"
PARTNER_ROLE_AFTER = re.compile(ROLE_AFTER_NAME)
PARTNER_ROLE_BEFORE = re.compile(ROLE_BEFORE_NAME + "$")
PARTNER_LIST = cues._cue(cues.LANGUAGES, "partner_list")
# 'awarded Helios a contract to integrate OpenAI's GPT-4o': the awardee integrates another's.
INTEGRATES_AFTER = re.compile(
    r"[^.;]{0,60}?\bto\s+(?:integrate|implement|install|host|resell|deploy)\b")
# 'Quillon AI', 'Corvid Labs', 'Orison Systems': a name its last word makes a company's.
CORPORATE_SUFFIX = r"AI|Labs?|Systems|Technolog(?:y|ies)|Analytics|Robotics|Software|" \
                   r"Intelligence|Industries|Inc\.?|Ltd\.?|LLC|GmbH|Corp\.?|Corporation"
SUFFIXED_NAME = re.compile(
    rf"(?<![\w’'&.+-])(?P<name>{_TOKEN}(?: {_NEXT}){{0,2}} (?:{CORPORATE_SUFFIX}))"
    rf"(?![\w-]| [A-Z]| (?:{PRODUCT_NOUN})\b)")
# Capitalised words that open a kind of AI or an institution, not a company's name.
GENERIC_LEADS = frozenset({
    "Artificial", "Generative", "Responsible", "Sovereign", "Agentic", "Frontier", "Applied",
    "Trustworthy", "Military", "Defense", "Defence", "National", "Public", "Federal", "Open",
    "Enterprise", "Conversational", "Physical", "Ethical", "Safe", "Secure", "Human", "Signals",
    "Threat", "Business", "Market", "Government", "Central", "Joint", "Narrow", "General",
    "Gen"})
# The company a supply verb names as the supplier: 'awarded Acme a contract', 'Acme won'.
AWARDED_NAME = re.compile(
    rf"\b(?:awarded|selected|chose|picked|tapped|contracted|hired|engaged)\s+(?P<name>{_NAME})"
    rf"\s+(?:an?|the|to|for)\b")
# 'placed a contract with Harrowgate Intelligence'; not 'a deal with Trump-supporting company'
# nor 'a deal with Elon Musk's xAI' (the whole name, atomic: no shorter part of it)
CONTRACTED_WITH = re.compile(
    rf"\b(?:contract|agreement|deal|call-off|order)s?\s+with\s+(?P<name>(?>{_NAME}))"
    rf"(?<!['’]s)(?![\w’'-])(?!\s+(?:{COMPANY_NOUN})\b)")
NAME_WON = re.compile(
    rf"(?P<name>{_NAME})\s+(?:has\s+|have\s+|was\s+|were\s+)?(?:won|secured|landed|"
    rf"(?:been\s+)?awarded|(?:been\s+)?selected)\s+(?:an?|the|its|their)\b")
# 'its Keel model', 'its Skald translation model', 'its Banksia large language models'
_PRODUCT_AFTER_NAME = rf"\s+(?:(?:AI|GenAI|LLM|[a-z][\w-]*)\s+){{0,2}}(?:{PRODUCT_NOUN})\b"
ITS_PRODUCT = re.compile(
    rf"\b(?:its|their|the\s+(?:company|firm|startup|vendor|developer)['’]s)\s+"
    rf"(?P<name>{_NAME}){_PRODUCT_AFTER_NAME}")
CALLED_PRODUCT = re.compile(
    rf"\b(?:{PRODUCT_NOUN}|service|product|offering)\s*,?\s+(?:called|named|dubbed|known as|"
    rf"branded)\s+[“\"'‘]?(?P<name>{_NAME})")
VENDOR_OWNS_PRODUCT = re.compile(rf"['’]s\s+(?P<name>{_NAME}){_PRODUCT_AFTER_NAME}")
# A body's own-branded product, built on a vendor's model the sentence names: 'the Whitehall
# AI assistant, Humphrey, ...', "OpenAI is also behind the government's Consult tool".
APPOSITIVE_PRODUCT = re.compile(
    rf"(?:\b(?:AI|GenAI|generative AI|digital|virtual)|(?-i:\bThe)(?: new)?)\s+(?:{PRODUCT_NOUN})"
    rf"\s*,\s+[“\"'‘]?(?P<name>{_NAME})[”\"'’]?\s*"
    rf"(?=[,;(]|\.(?:\s|$)|\s+(?:which|that|built|developed)\b)")
# 'launched Boti, a chatbot built on OpenAI's GPT-4', 'rolled out Pair, an AI assistant powered
# by ...': the name right after a verb (not a place after 'in', nor a sentence's first word)
NAMED_BEFORE_PRODUCT = re.compile(
    rf"(?<=[a-z] )(?<!\b(?:in|at|on) )(?P<name>{_NAME}),\s+(?:an?|the|its)\s+(?:[\w-]+\s+){{0,5}}?"
    rf"(?:{PRODUCT_NOUN})\s+(?:built|powered|based|running|developed|trained)\s+(?:on|by|with)\b")
# 'Hanbit-Mil was developed by Seoul-based Sejong Intelligence': the maker named after.
MADE_BY_PRODUCT = re.compile(
    rf"(?P<name>{_NAME})\s+(?:was|is|were|are|has been)\s+(?:developed|built|made|created|"
    rf"designed|trained)\s+by\b")
# "Parallax Reasoning's Meridian-R reasoning model": an unknown owner of a model is its maker.
OWNER_OF_MODEL = re.compile(
    rf"(?<![\w’'&.+-])(?P<owner>{_NAME})['’]s\s+(?P<name>{_NAME})\s+(?:[a-z][\w-]*\s+)?"
    rf"(?:AI\s+)?(?:models?|LLMs?)\b")
BODY_OWNS_PRODUCT = re.compile(
    rf"\b(?i:government|department|ministry|agency|office|council|service)['’]s\s+"
    rf"(?P<name>{_NAME}){_PRODUCT_AFTER_NAME}")

# ------------------------------------------------------------------ government frames
NATIONAL_GOVERNMENT_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:national|federal|central|[Nn]ational|[Ff]ederal|[Cc]entral)\s+)?"
    r"[Gg]overnment\b(?!\s+(?:of|agenc|department|ministr|bod|official|spokes|"
    r"bond|debt|data|cloud|work|use|customers|clients|sector|market|business|account))")
# Characters before a country read for "Government of".
NATIONAL_GOVERNMENT_REACH = 40
NATIONAL_GOVERNMENT_BEFORE = re.compile(r"\b([Gg]overnment\s+of\s+(?:the\s+)?)$")
_PLACE = rf"{_TOKEN}(?:[ -]{_TOKEN}){{0,3}}"
SUBDIVISION_FRAME_BEFORE = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<frame>State|state|Province|province|Commonwealth|Government|"
    rf"government|Canton|canton|Prefecture|Region|Emirate|Land)\s+of\s+(?P<place>{_PLACE})")
SUBDIVISION_FRAME_AFTER = re.compile(
    rf"(?P<place>{_PLACE}?)\s+(?P<frame>State|state|Provincial|provincial|Prefectural|"
    rf"prefectural|Regional|regional|County|county)?\s*[Gg]overnment\b")
# Frame word -> the pycountry subdivision types it can name.
FRAME_TYPES = {
    "state": {"State", "Federal district", "Land"}, "province": {"Province"},
    "provincial": {"Province"}, "commonwealth": {"State"}, "canton": {"Canton"},
    "prefecture": {"Prefecture"}, "prefectural": {"Prefecture"}, "region": {"Region"},
    "regional": {"Region", "Autonomous region"}, "emirate": {"Emirate"}, "land": {"Land"},
    "county": {"County"}}
# Subdivision types that govern themselves (a 'Meta government' is not Colombia's Meta).
SELF_GOVERNING_TYPES = frozenset({
    "State", "Province", "Land", "Prefecture", "Canton", "Region", "Autonomous region",
    "Emirate", "Federal district", "Territory", "Union territory", "Autonomous community",
    "Autonomous republic", "Republic", "Metropolitan city", "Special city",
    "Special self-governing city", "Capital city", "Metropolitan region", "Country", "Nation"})
CITY_FRAME = re.compile(
    rf"\b(?P<frame>City|Town|Municipality|Village|Borough)\s+of\s+(?P<place>{_TOKEN}"
    rf"(?:\s{_TOKEN}){{0,2}})")
WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)\s+$")
PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|across|around|outside|inside)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class ArticleFacts:
    """What the gazetteer already established about the article, for deciding open names."""

    doc: str
    known: list[Mention]  # in order of start
    countries: Counter  # strong country mentions (and strong agencies' countries), counted
    lower_words: frozenset[str]  # words the article also writes in lower case
    starts: tuple[int, ...] = ()  # known[i].start, for bisection
    longest: int = 0  # the longest known mention

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """The article's sentences (start, end): every candidate name asks for the sentence
        around it."""
        return split_sentences(self.doc)

    def near(self, start: int, end: int) -> list[Mention]:
        """Known mentions that can overlap or touch [start, end], found by bisection: a page
        naming thousands of bodies must not compare each with every other name."""
        return self.known[bisect_left(self.starts, start - self.longest):
                          bisect_left(self.starts, end + 1)]

    @property
    def single_country(self) -> str | None:
        """The country an unqualified body belongs to: the one the article establishes, or the
        one it names far more often than any other (a British story that cites one US body)."""
        ranked = self.countries.most_common(2)
        if len(ranked) == 1:
            return ranked[0][0]
        if ranked and ranked[0][1] >= DOMINANT_RATIO * ranked[1][1]:
            return ranked[0][0]
        return None


def slug(text: str) -> str:
    """'Ministry of Education, Religious Affairs and Sports' -> 'ministry-of-education-...'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return found or unicode_slug(text)  # «ВолгаСофт»


def unicode_slug(text: str) -> str:
    """A slug keeping a script's letters and their marks ('उत्तर प्रदेश' is not 'उत-तर-प-रद-श')."""
    kept = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else "-"
                   for c in text.casefold())
    return re.sub(r"-+", "-", kept).strip("-")


def clean_name(surface: str) -> str:
    """The body as written, without a leading article, quotes, possessive or punctuation."""
    name = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", surface.strip())
    name = name.strip(" \t\n\"'“”‘’,.;:()")
    return POSSESSIVE.sub("", name) if name.endswith(("'s", "’s")) else name


BESIDE = re.compile(r"[\s«»\"“”'‘’()\[\]]*")  # what may stand between a name and its country
BESIDE_REACH = 4  # characters of it at most


def beside_company(text: str, country: Mention, mentions: list[Mention]) -> bool:
    """'«ميسترال» الفرنسية' (the French Mistral), 'Mistral AI (France)': a country written
    right beside a company's name says where the company is from; it is no buyer."""
    for m in mentions:
        if m.entity.kind not in ("vendor", "partner"):
            continue
        gap = (m.end, country.start) if m.end <= country.start else (country.end, m.start)
        if 0 <= gap[1] - gap[0] <= BESIDE_REACH and BESIDE.fullmatch(text, *gap):
            return True
    return False


def _facts(doc: str, known: list[Mention]) -> ArticleFacts:
    lower = frozenset(w for w in re.findall(r"\b[a-z][a-z-]+\b", doc))
    known = sorted(known, key=lambda m: m.start)
    facts = ArticleFacts(doc, known, Counter(), lower, tuple(m.start for m in known),
                         max((m.end - m.start for m in known), default=0))
    for m in known:  # the countries the article establishes, counted
        if m.weak or m.metonym:
            continue
        if m.entity.kind == "country" and not beside_company(
                doc, m, facts.near(m.start - BESIDE_REACH, m.end + BESIDE_REACH)):
            facts.countries[m.entity.id] += 1  # not a company's home ('Mistral AI (France)')
        elif m.entity.kind == "agency" and m.entity.country:
            facts.countries[m.entity.country] += 1
    return facts


# ------------------------------------------------------------------ overlap with the gazetteer
def _blocking(facts: ArticleFacts, start: int, end: int) -> bool:
    """Whether a gazetteer mention already names what this span names. A country inside the
    span is its qualifier; a weak alias of a country the article does not establish ('Ministry
    of Digital Affairs' for Taiwan in a Polish story) does not block."""
    for m in facts.near(start, end):
        if m.end <= start or m.start >= end:
            continue
        if m.entity.kind == "country":
            continue
        if m.weak and m.entity.country not in facts.countries:
            continue
        return True
    return False


def _country_at(facts: ArticleFacts, start: int, end: int) -> str | None:
    """The country a gazetteer country mention spanning exactly [start, end) names."""
    for m in facts.near(start, end):
        if m.entity.kind == "country" and m.start == start and m.end == end and not m.metonym:
            return m.entity.id
    return None


def _country_within(facts: ArticleFacts, start: int, end: int) -> bool:
    """Whether a country mention lies in [start, end) ("Singapore's")."""
    return any(m.entity.kind == "country" and start <= m.start and m.end <= end
               for m in facts.near(start, end))


def _country_before(facts: ArticleFacts, start: int) -> tuple[str, int] | None:
    """A country or demonym qualifying what starts at `start`: 'Estonian Ministry...',
    "Canada's Ministry...", 'U.S. Department...' -> (code, where the qualifier starts)."""
    for m in facts.near(start - QUALIFIER_GAP, start):
        if m.entity.kind != "country" or m.metonym or m.end > start:
            continue
        gap = facts.doc[m.end:start]
        if re.fullmatch(r"(?:['’]s)?\s+(?:[Tt]he\s+)?", gap):
            return m.entity.id, m.start
    return None


# ------------------------------------------------------------------ entities
def national_government(code: str) -> Entity | None:
    """The canonical agency for a country's government: agencies.yml's entry of kind
    government for that country, else the generated gov-<iso3>."""
    if code in NO_GENERIC_GOVERNMENT:
        return None
    gaz = gazetteer()
    return _listed_governments(gaz).get(code) or gaz.entity(
        "agency", GENERATED_GOVERNMENT_PREFIX + code.lower())


@lru_cache(maxsize=2)
def _listed_governments(gaz: Gazetteer) -> dict[str, Entity]:
    """Country -> its government's entry in agencies.yml (kind: government)."""
    found: dict[str, Entity] = {}
    for agency in gaz.by_kind("agency"):
        if agency.org_kind == "government" and agency.country and \
                not agency.id.startswith(GENERATED_GOVERNMENT_PREFIX):
            found.setdefault(agency.country, agency)
    return found


def open_agency(name: str, country: str | None, key: str | None = None) -> Entity:
    """An agency known only by the shape of its name; the id names its country too, since
    every country has its 'Ministry of Education'."""
    ident = OPEN_AGENCY_PREFIX + slug(f"{country or ''} {key or name}")
    return Entity("agency", ident, name, country=country, normalized=False)


# 'Ministry of Defence of the Republic of Kazakhstan', 'Ministerio de Defensa de Chile'
COUNTRY_AFTER_BODY = re.compile(
    r"[ \t]+(?:of|for|de|du|des|del|do|da|der|di)[ \t]+"
    r"(?:(?:the|la|l'|el|a|o|le)[ \t]*)?(?:(?:Republic|République|República|Repubblica)[ \t]+"
    r"(?:of|de|du|di)[ \t]+(?:(?:the|la|l')[ \t]*)?)?", re.IGNORECASE)
COUNTRY_BEFORE_BODY = re.compile(r"(?:'s)?[ \t]+(?:the[ \t]+)?$")  # "Kenya's Ministry of ...'


def requalified(doc: str, mentions: list[Mention]) -> list[Mention]:
    """A known body whose name other countries share ('Ministry of Defence' is the UK's in
    British news, 'Ministry of National Defense' South Korea's) belongs to the country its
    phrase names: 'the Ministry of Defence of Kazakhstan' is Kazakhstan's, an open body."""
    countries = {m.start: m for m in mentions if m.entity.kind == "country" and not m.metonym}
    ends = {m.end: m for m in countries.values()}
    # a country with a body of its own named in the story: its 'defence department' is that
    governed = {m.entity.country for m in mentions if m.entity.kind == "agency" and not m.weak}
    out = []
    bodies: dict[str, Entity] = {}  # the known body's id -> the body the article means
    for m in mentions:
        other = _qualifying_country(doc, m, countries, ends)
        if other is None or m.weak and other.entity.id in governed:
            out.append(m)
            continue
        start, end = (m.start, other.end) if other.start > m.start else \
            (other.start if m.weak else m.start, m.end)  # a bare 'Navy' keeps 'Colombian'
        name = doc[start:end]
        body = bodies.setdefault(m.entity.id, open_agency(name, other.entity.id))
        gazetteer().remember(body)
        out.append(Mention(body, start, end, name, False, False))
    # once the story says 'the Colombian Navy', its bare 'the Navy' is that navy
    return [Mention(bodies[m.entity.id], m.start, m.end, m.surface, False, False)
            if m.weak and m.entity.id in bodies else m for m in out]


def _qualifying_country(doc: str, m: Mention, countries: dict[int, Mention],
                        ends: dict[int, Mention]) -> Mention | None:
    """The other country a known national body's phrase names right after or before it; a
    weak alias too ('Colombian Navy' is no US Navy, however often the story names the US)."""
    if m.entity.kind != "agency" or not m.entity.country or m.metonym:
        return None
    after = COUNTRY_AFTER_BODY.match(doc, m.end)
    found = countries.get(after.end()) if after else None
    if found is None:
        before = COUNTRY_BEFORE_BODY.search(doc, max(0, m.start - 12), m.start)
        found = ends.get(before.start()) if before else None
    return found if found is not None and found.entity.id != m.entity.country else None


def open_vendor(name: str) -> Entity:
    return Entity("vendor", OPEN_VENDOR_PREFIX + slug(name), name, normalized=False)


def open_model(name: str, vendor_id: str) -> Entity:
    return Entity("model", OPEN_MODEL_PREFIX + slug(name), name, vendor_id=vendor_id,
                  normalized=False)


def _mention(entity: Entity, doc: str, start: int, end: int) -> Mention:
    return Mention(entity, start, end, doc[start:end], False, False)


# ------------------------------------------------------------------ national governments
def national_government_mentions(facts: ArticleFacts) -> list[Mention]:
    """'the Greek government', "Canada's government", 'Government of Greece', 'the
    government of Estonia' -> that country's government agency."""
    found = []
    for m in facts.known:
        if m.entity.kind != "country" or m.metonym:
            continue
        after = NATIONAL_GOVERNMENT_AFTER.match(facts.doc, m.end)
        before = NATIONAL_GOVERNMENT_BEFORE.search(
            facts.doc[max(0, m.start - NATIONAL_GOVERNMENT_REACH):m.start])
        government = national_government(m.entity.id) if after or before else None
        if government is None:
            continue
        if after:
            found.append(_mention(government, facts.doc, m.start, after.end()))
        elif before:
            found.append(_mention(government, facts.doc, m.start - len(before.group(1)), m.end))
    return found


# ------------------------------------------------------------------ sub-national governments
@dataclass(frozen=True)
class Subdivision:
    code: str  # ISO 3166-2, e.g. US-MD
    name: str
    country: str  # alpha-3
    type: str


@lru_cache(maxsize=1)
def subdivisions_by_name() -> dict[str, tuple[Subdivision, ...]]:
    """pycountry's ~5,000 subdivisions by name (also without accents): 'Maryland' -> US-MD
    and Liberia's Maryland county."""
    table: dict[str, list[Subdivision]] = {}
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        entry = Subdivision(sub.code, sub.name, country.alpha_3, sub.type)
        plain = unicodedata.normalize("NFKD", sub.name).encode("ascii", "ignore").decode()
        for key in {sub.name.casefold(), plain.casefold()}:
            table.setdefault(key, []).append(entry)
    return {key: tuple(value) for key, value in table.items()}


def pick_subdivision(name: str, frame: str | None, facts: ArticleFacts) -> Subdivision | None:
    """The subdivision a frame names: of the type the frame word says ('State of'), in a
    country the article establishes when the name is shared, else the only one."""
    candidates = subdivisions_by_name().get(name.casefold(), ())
    types = FRAME_TYPES.get((frame or "").lower())
    if types:
        candidates = tuple(c for c in candidates if c.type in types)
    else:
        candidates = tuple(c for c in candidates if c.type in SELF_GOVERNING_TYPES)
    local = tuple(c for c in candidates if c.country in facts.countries)
    if len(local) == 1:
        return local[0]
    return candidates[0] if len(candidates) == 1 else None


def _subdivision_entity(sub: Subdivision, surface: str) -> Entity:
    return open_agency(clean_name(surface), sub.country, key=sub.code)


def _place_variants(place: str, start: int, keep_start: bool) -> list[tuple[int, str]]:
    """Shorter readings of a capitalised run, longest first: its prefixes after 'State of'
    ('Maryland Governor' -> 'Maryland'), its suffixes before 'government' ('Yesterday
    Maryland' -> 'Maryland')."""
    parts = re.split(r"(?<=\S)(?=[ -])", place)
    variants = []
    for k in range(len(parts), 0, -1):
        if keep_start:
            variants.append((start, "".join(parts[:k]).strip(" -")))
        else:
            text = "".join(parts[len(parts) - k:])
            offset = len(place) - len(text)
            variants.append((start + offset + (len(text) - len(text.lstrip(" -"))),
                             text.strip(" -")))
    return variants


def _subdivision_at(facts: ArticleFacts, frame: str, variants: list[tuple[int, str]]
                    ) -> tuple[Subdivision, int, int] | None:
    for start, name in variants:
        if _country_at(facts, start, start + len(name)) and frame.lower() == "government":
            return None  # 'Government of Greece' is national
        sub = pick_subdivision(name, frame, facts)
        if sub is not None:
            return sub, start, start + len(name)
    return None


def subnational_mentions(facts: ArticleFacts) -> list[Mention]:
    """'State of Maryland', 'the state of Texas', 'Government of Telangana', 'Ontario
    provincial government', 'Maryland State Government' -> that subdivision's government."""
    found = []
    doc = facts.doc
    for match in SUBDIVISION_FRAME_BEFORE.finditer(doc):
        variants = _place_variants(match.group("place"), match.start("place"), keep_start=True)
        hit = _subdivision_at(facts, match.group("frame"), variants)
        if hit is not None:
            sub, _, end = hit
            start = match.start("frame")
            found.append(_mention(_subdivision_entity(sub, doc[start:end]), doc, start, end))
    for match in SUBDIVISION_FRAME_AFTER.finditer(doc):
        variants = _place_variants(match.group("place"), match.start("place"), keep_start=False)
        hit = _subdivision_at(facts, match.group("frame") or "government", variants)
        if hit is not None:
            sub, start, _ = hit
            end = match.end()
            found.append(_mention(_subdivision_entity(sub, doc[start:end]), doc, start, end))
    return found


def city_mentions(facts: ArticleFacts) -> list[Mention]:
    """'City of Springfield', 'Town of Kamiyama': a local government in the article's country."""
    found = []
    for match in CITY_FRAME.finditer(facts.doc):
        place = match.group("place")
        if place.split()[0] in COMMON_WORDS or _country_at(facts, *match.span("place")):
            continue
        before = WORD_BEFORE.search(facts.doc[max(0, match.start() - 30):match.start()])
        if before and _capitalised(before.group(1)) and before.group(1) not in COMMON_WORDS:
            continue  # 'Old City of Mosul', 'Vatican City': a place, not its government
        if PLACE_BEFORE.search(facts.doc[max(0, match.start() - 30):match.start()]):
            continue  # 'a location in the City of London': where, not who
        name = clean_name(match.group())
        entity = open_agency(name, facts.single_country)
        found.append(_mention(entity, facts.doc, match.start(), match.start() + len(name)))
    return found


# ------------------------------------------------------------------ public bodies by shape
@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def _words(doc: str, start: int, end: int) -> list[Word]:
    return [Word(m.group(), m.start(), m.end()) for m in NAME_WORD.finditer(doc, start, end)]


def _joined(doc: str, left: Word, right: Word) -> bool:
    """Two words of one name: only spaces between them (no comma, bracket or line break)."""
    return bool(re.fullmatch(r"[ \t]+", doc[left.end:right.start]))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _has_portfolio(text: str) -> bool:
    return bool(PORTFOLIO.search(text))


def _left_extent(facts: ArticleFacts, words: list[Word], head: int) -> int:
    """Index of the first word of the name that ends at words[head]: capitalised words (and
    'and'/'&' between them) joined by spaces, stopping at common words, titles, possessives,
    known names."""
    first = head
    i = head - 1
    while i >= 0 and _joined(facts.doc, words[i], words[i + 1]):
        word = words[i].text
        if word in ("and", "&") and i > 0 and _capitalised(words[i - 1].text):
            i -= 1
            continue
        if not _capitalised(word) or word in COMMON_WORDS or word in TITLE_WORDS:
            break
        if POSSESSIVE.search(word):  # "Abu Dhabi's Department of ...": its owner, not its name
            break
        if _blocking(facts, words[i].start, words[i].end) or \
                _country_within(facts, words[i].start, words[i].end):
            break
        first = i
        i -= 1
    if first < head and words[first].text in ("and", "&"):
        first += 1
    return first


def _another_body(word: str, previous: str) -> bool:
    """A head noun after 'and' or 'the' starts another body ('... of Singapore and the Agency
    for'); right after 'of' or a portfolio word it is part of this one's name ('Ministry of
    Government Administration', 'Department of Government Efficiency')."""
    return _is_head(word) and previous in LIST_WORDS


LIST_WORDS = frozenset({"and", "&", "the"})


def _complement_extent(facts: ArticleFacts, words: list[Word], head: int) -> int:
    """Index of the last word of 'of/for X' after a head: 'Ministry of Education, Religious
    Affairs and Sports' (a comma list continues only if it ends in 'and X')."""
    doc = facts.doc
    last = head
    i = head + 1
    if i >= len(words) or words[i].text not in COMPLEMENT_WORDS or \
            not _joined(doc, words[head], words[i]):
        return head
    while i + 1 < len(words):
        nxt = words[i + 1]
        gap = doc[words[i].end:nxt.start]
        if not re.fullmatch(r"[ \t]+|,[ \t]+", gap) or last - head >= MAX_NAME_TOKENS:
            break
        if gap.startswith(",") and not _list_continues(doc, nxt.start):
            break
        if _blocking(facts, nxt.start, nxt.end) or _another_body(nxt.text, words[i].text):
            break  # a known name or another body ('... of Singapore and the Agency for')
        if nxt.text == "the" and words[i].text not in COMPLEMENT_WORDS:
            break  # 'of the Interior' continues; 'Education and the University' does not
        if _capitalised(nxt.text) and nxt.text not in TITLE_WORDS:
            last = i + 1
            if _country_within(facts, nxt.start, nxt.end):
                break  # 'Monetary Authority of Singapore': a country ends the name
        elif nxt.text not in CONNECTORS:
            break
        i += 1
    return last


def _is_head(word: str) -> bool:
    return word in STRONG_HEADS or word in WEAK_HEADS


def _list_continues(doc: str, start: int) -> bool:
    """After a comma: 'Religious Affairs, and Sports' continues a portfolio list."""
    return bool(re.match(r"(?:[A-Z][\w’'-]*,?\s+){0,3}(?:and|&)\s+[A-Z]", doc[start:]))


def _end_without_possessive(word: Word) -> int:
    """End offset of a name's last word, without its "'s"."""
    return word.end - (2 if word.text.endswith(("'s", "’s")) else 0)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    head: str
    name: str
    country: str | None  # named in the phrase: 'Estonian ...', '... of Singapore'
    complement: str  # the words after 'of'/'for', '' for a head-final name


def _body_candidate(facts: ArticleFacts, words: list[Word], head: int) -> Candidate | None:
    first = _left_extent(facts, words, head)
    last = _complement_extent(facts, words, head)
    start, end = words[first].start, _end_without_possessive(words[last])
    complement = facts.doc[words[head].end:end].strip()
    complement = re.sub(r"^(?:of|for)\s+(?:the\s+)?", "", complement)
    country = None
    qualifier = _country_before(facts, start)
    if qualifier is not None:
        country = qualifier[0]
        # 'Canadian AI Safety Institute' is the body's own name; "Singapore's" is not part
        if not complement and not re.search(r"['’]", facts.doc[qualifier[1]:start]):
            start = qualifier[1]
    country = country or _complement_country(facts, end, complement)
    name = clean_name(facts.doc[start:end])
    if len(name.split()) < 2:
        return None
    head_word = POSSESSIVE.sub("", words[head].text)  # "Ministry's" -> 'Ministry'
    return Candidate(start, end, head_word, name, country, complement)


def _subdivision_country(facts: ArticleFacts, name: str) -> str | None:
    """'California Energy Commission', 'Cornwall ... Authority': a name that starts with a
    self-governing subdivision belongs to that subdivision's country."""
    words = name.split()
    for size in (3, 2, 1):
        if len(words) > size:
            sub = pick_subdivision(" ".join(words[:size]), None, facts)
            if sub is not None:
                return sub.country
    return None


def _complement_country(facts: ArticleFacts, end: int, complement: str) -> str | None:
    """'Monetary Authority of Singapore': the complement is a country."""
    if not complement:
        return None
    return _country_at(facts, end - len(complement), end)


def _is_public_body(candidate: Candidate, facts: ArticleFacts) -> bool:
    """A head noun is a public body when a qualifier says so: its level of government, a
    public portfolio, or its country. 'Ministry of Sound' and 'Department of Physics' are not;
    weak heads ('Group', 'Institute') need a level or a country, or a non-academic portfolio."""
    words = set(re.findall(r"[\w-]+", candidate.name))
    level = bool(words & LEVEL_WORDS)
    portfolio = _has_portfolio(candidate.name)
    if _academic(facts.doc, candidate):
        return False
    if candidate.head in STRONG_HEADS:
        ok = level or portfolio or candidate.country is not None
        if candidate.head == "Office":  # 'Box Office', 'Press Office': only where a country is
            ok = ok and (candidate.country or facts.single_country) is not None
        return ok
    if candidate.head == "Government":  # 'Seoul Metropolitan Government', not 'U.S. Government'
        levels = words & LEVEL_WORDS - {"Government"}
        return bool(levels) and candidate.name.split()[0] not in LEVEL_WORDS
    academic = candidate.complement.lower() in ACADEMIC_COMPLEMENTS
    return bool(words & WEAK_HEAD_LEVELS) or candidate.country is not None or (
        bool(candidate.complement) and portfolio and not academic)


def _academic(doc: str, candidate: Candidate) -> bool:
    """'Department of Physics at Harvard University', "the University's Department of
    Education": a university's department, not a government's."""
    if ACADEMIC_WORDS.search(candidate.name):
        return True
    before = doc[max(0, candidate.start - ACADEMIC_REACH_BEFORE):candidate.start]
    after = doc[candidate.end:candidate.end + ACADEMIC_REACH_AFTER]
    return bool(ACADEMIC_BEFORE.search(before) or ACADEMIC_AFTER.match(after))


PERSON_TITLE_BEFORE = re.compile(
    r"\b(?i:minister|secretary|director|head|chief|chair(?:man|woman|person)?|commissioner|"
    r"president|officer|deputy|governor)\b(?:\s+[\w-]+){0,2}?\s+(?:of|for)\s+(?:the\s+)?$")


def _in_person_title(doc: str, start: int) -> bool:
    """'Minister responsible for the X Agency', "OpenAI's Head of Education and Government":
    a body named inside a person's title is not named as an actor."""
    return bool(PERSON_TITLE_BEFORE.search(doc[max(0, start - 60):start]))


def _words_around(doc: str, start: int, end: int) -> tuple[list[Word], int | None]:
    """The words near a head noun (a name is at most MAX_NAME_TOKENS long) and the head's
    index among them (None inside a longer word: 'e-Government'); tokenizing only there
    keeps long articles cheap."""
    low = doc.rfind(" ", 0, max(0, start - NAME_WINDOW)) + 1
    high = doc.find(" ", min(len(doc), end + NAME_WINDOW))
    words = _words(doc, low, len(doc) if high < 0 else high)
    return words, next((i for i, w in enumerate(words) if w.start == start), None)


def public_body_mentions(facts: ArticleFacts) -> list[Mention]:
    """Ministries, departments, agencies, authorities, offices... named by their shape."""
    found = []
    for match in HEAD_WORD.finditer(facts.doc):
        words, index = _words_around(facts.doc, match.start(), match.end())
        if index is None:
            continue
        candidate = _body_candidate(facts, words, index)
        if candidate is None or _blocking(facts, candidate.start, candidate.end):
            continue
        if not _is_public_body(candidate, facts) or _in_person_title(facts.doc, candidate.start):
            continue
        country = candidate.country or _subdivision_country(facts, candidate.name) or \
            facts.single_country
        entity = open_agency(candidate.name, country)
        found.append(_mention(entity, facts.doc, candidate.start, candidate.end))
    return found


# ------------------------------------------------------------------ vendors and products
def _acceptable_product_name(name: str, facts: ArticleFacts, start: int) -> bool:
    """Conservative: capitalised, 1-4 words, not a common or generic word, not a title, not
    a sentence-initial word the article also writes in lower case."""
    tokens = name.split()
    if not tokens or len(tokens) > MAX_PRODUCT_TOKENS:
        return False
    if tokens[0] in COMMON_WORDS or tokens[0] in TITLE_WORDS:
        return False
    if all(t in GENERIC_PRODUCT_WORDS for t in tokens):
        return False
    if len(tokens) == 1 and tokens[0].lower() in facts.lower_words:
        return False
    if len(tokens) == 1 and _sentence_initial(facts.doc, start) and tokens[0].endswith("ly"):
        return False  # 'Separately, a Paris-based startup...'
    if any(t in STRONG_HEADS or t in WEAK_HEADS for t in tokens):
        return False
    return len(name) >= 2


def _sentence_initial(doc: str, start: int) -> bool:
    before = doc[max(0, start - 3):start].rstrip(" \t\"“‘'")
    return not before or before[-1] in ".!?\n:"


def _trim_name(facts: ArticleFacts, start: int, name: str) -> tuple[int, str]:
    """Drop leading common words and titles ('On Tuesday Acme' -> 'Acme')."""
    tokens = name.split()
    while tokens and (tokens[0] in COMMON_WORDS or tokens[0] in TITLE_WORDS):
        start = facts.doc.index(tokens[1], start) if len(tokens) > 1 else start
        tokens = tokens[1:]
    name = " ".join(tokens)
    if name.endswith(("'s", "’s")):
        name = name[:-2]
    return start, name


def _open_name_span(facts: ArticleFacts, start: int, name: str) -> tuple[int, int, str] | None:
    start, name = _trim_name(facts, start, name)
    end = start + len(name)
    if not name or facts.doc[start:end] != name:
        return None
    if _blocking(facts, start, end) or _country_at(facts, start, end):
        return None
    if any(m.entity.kind == "country" and m.start < end and start < m.end
           for m in facts.near(start, end)):
        return None
    if not _acceptable_product_name(name, facts, start):
        return None
    return start, end, name


def _company_roles(doc: str) -> list[tuple[int, str, str, str]]:
    """(name start, name, descriptor, noun) of 'Acme, a defence AI startup' and 'AI startup
    Acme'."""
    roles = []
    for match in APPOSITIVE_TAIL.finditer(doc):
        window_start = max(0, match.start() - 80)
        name = NAME_BEFORE_COMMA.search(doc[window_start:match.start()])
        if name is not None:
            roles.append((window_start + name.start(), name.group("name"), match.group("desc"),
                          match.group("noun")))
    for match in NOUN_THEN_NAME.finditer(doc):
        desc = DESCRIPTOR_WORDS.search(doc[max(0, match.start() - 60):match.start()]).group()
        roles.append((match.start("name"), match.group("name"), desc, match.group("noun")))
    return roles


def vendor_mentions(facts: ArticleFacts) -> list[Mention]:
    """'Acme, a defence AI startup', 'AI startup Acme', 'the software company Acme', 'Acme
    Labs', 'awarded Acme a contract': a company named in a supplier's role or by its name's
    shape. Company/firm need a tech word or a company's name; startups do not."""
    found = []
    for position, raw_name in _supplier_names(facts):
        span = _open_name_span(facts, position, raw_name)
        if span is not None and span[2].split()[0] not in GENERIC_LEADS:
            start, end, name = span
            found.append(_mention(open_vendor(name), facts.doc, start, end))
    return _one_company_per_name(found)


def _supplier_names(facts: ArticleFacts) -> list[tuple[int, str]]:
    """(start, name) of each phrase naming a company as one."""
    doc = facts.doc
    names = [(position, name) for position, name, desc, noun in _company_roles(doc)
             if noun.lower().startswith(("start", "scale")) or TECH_QUALIFIER.search(desc)
             or SUFFIXED_NAME.fullmatch(name)]
    names += [(m.start("name"), m.group("name")) for m in SUFFIXED_NAME.finditer(doc)
              if _proper_name(facts, m.start("name"), m.group("name"))]
    for pattern in (AWARDED_NAME, CONTRACTED_WITH, NAME_WON):
        names += [(m.start("name"), m.group("name")) for m in pattern.finditer(doc)]
    return [(start, name) for start, name in names if not _delivers(facts, start, name)]


def _delivers(facts: ArticleFacts, start: int, name: str) -> bool:
    """'Brightline Systems, a systems integrator', 'reseller Northwind AI', 'Anthropic, in
    partnership with Oracle and Tamber Analytics', 'awarded Helios a contract to integrate
    OpenAI's GPT-4o': a partner's name, not a supplier's."""
    doc = facts.doc
    if PARTNER_ROLE_AFTER.match(doc, start + len(name)) or \
            PARTNER_ROLE_BEFORE.search(doc, max(0, start - ROLE_REACH), start):
        return True
    first, last = _sentence_bounds(facts, start)
    listed = PARTNER_LIST.search(doc, max(first, start - ROLE_REACH), start)
    if listed and any(m.entity.kind == "vendor" and first <= m.start < start
                      for m in facts.known):
        return True
    integrates = INTEGRATES_AFTER.match(doc, start + len(name), last)
    return bool(integrates) and any(m.entity.kind in ("vendor", "model") and
                                    integrates.end() <= m.start < last for m in facts.known)


def _proper_name(facts: ArticleFacts, start: int, name: str) -> bool:
    """A company's name by its shape alone ('Quillon AI') only when its other words are no
    words of the text ('Leading AI', 'Advanced AI') nor a portfolio's, and it opens no sentence
    or headline ('Deploy Artificial Intelligence')."""
    words = name.split()[:-1]
    if any(w.lower() in facts.lower_words or w.lower().endswith(("ing", "ed")) for w in words):
        return False
    if _has_portfolio(" ".join(words)):  # 'Information Technology', 'Defense Intelligence'
        return False
    return not _sentence_initial(facts.doc, start) or facts.doc.count(name) > 1


def _sentence_bounds(facts: ArticleFacts, position: int) -> tuple[int, int]:
    spans = facts.sentences
    i = bisect_right(spans, (position, len(facts.doc))) - 1
    if i >= 0 and spans[i][0] <= position < spans[i][1]:
        return spans[i]
    return 0, len(facts.doc)


def _nearest_vendor(vendors: list[Mention], facts: ArticleFacts, position: int,
                    after_too: bool) -> Mention | None:
    """The supplier a product phrase belongs to: the closest vendor before it in the sentence
    (or after it, for 'a chatbot called X, built by Acme')."""
    start, end = _sentence_bounds(facts, position)
    before = [v for v in vendors if start <= v.start < position]
    if before:
        return max(before, key=lambda v: v.start)
    if after_too:
        later = [v for v in vendors if position < v.start < end]
        return min(later, key=lambda v: v.start) if later else None
    return None


def model_mentions(facts: ArticleFacts, vendors: list[Mention]) -> list[Mention]:
    """'its Foo assistant', 'a chatbot called Foo', "Acme's Foo model" -> a model of the
    vendor the clause names."""
    found = []
    vendor_only = [v for v in vendors if v.entity.kind == "vendor"]
    patterns = ((CALLED_PRODUCT, True), (APPOSITIVE_PRODUCT, True), (BODY_OWNS_PRODUCT, True),
                (NAMED_BEFORE_PRODUCT, True), (MADE_BY_PRODUCT, True))
    for pattern, after_too in patterns:
        for match in pattern.finditer(facts.doc):
            vendor = _nearest_vendor(vendor_only, facts, match.start(), after_too) or \
                _last_vendor_before(vendor_only, match.start())
            found += _model(facts, match, vendor)
    for match in ITS_PRODUCT.finditer(facts.doc):  # 'its' reaches back past the sentence
        found += _model(facts, match, _last_vendor_before(vendor_only, match.start()))
    for vendor in vendor_only:
        found += _model(facts, VENDOR_OWNS_PRODUCT.match(facts.doc, vendor.end), vendor)
    return found


def _last_vendor_before(vendors: list[Mention], position: int) -> Mention | None:
    """The vendor 'its' or 'the company's' refers to: the last one named before."""
    before = [v for v in vendors if v.end <= position and position - v.end <= ITS_REACH]
    return max(before, key=lambda v: v.start) if before else None


def owner_mentions(facts: ArticleFacts) -> list[Mention]:
    """"Parallax Reasoning's Meridian-R model": the unknown owner of a named model makes it."""
    found = []
    for match in OWNER_OF_MODEL.finditer(facts.doc):
        owner = _open_name_span(facts, match.start("owner"), match.group("owner"))
        if owner is None or owner[2].split()[0] in GENERIC_LEADS or \
                _sentence_initial(facts.doc, owner[0]) and " " not in owner[2]:
            continue
        found.append(_mention(open_vendor(owner[2]), facts.doc, owner[0], owner[1]))
    return found


def _model(facts: ArticleFacts, match: re.Match | None, vendor: Mention | None) -> list[Mention]:
    if vendor is None or match is None:
        return []
    span = _open_name_span(facts, match.start("name"), match.group("name"))
    if span is None:
        return []
    start, end, name = span
    if name.casefold() == vendor.entity.name.casefold():
        return []
    return [_mention(open_model(name, vendor.entity.id), facts.doc, start, end)]


# ------------------------------------------------------------------ assembling
def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Longest first, then earliest; a later mention overlapping a kept one is dropped."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return kept


def _consistent(mentions: list[Mention]) -> list[Mention]:
    """One entity per name in an article: 'Maryland state government' and 'State of
    Maryland' share the first one's entity (same id)."""
    by_id: dict[tuple[str, str], Entity] = {}
    out = []
    for m in sorted(mentions, key=lambda m: m.start):
        entity = by_id.setdefault((m.entity.kind, m.entity.id), m.entity)
        out.append(replace(m, entity=entity))
    return out


def _repeats(facts: ArticleFacts, found: list[Mention]) -> list[Mention]:
    """Other occurrences of an open vendor or product name ('Acme' again, without 'startup'),
    so that the supply clause that names it plainly still has its supplier."""
    names: dict[Entity, set[str]] = {}
    for m in found:
        if m.entity.kind in ("vendor", "model"):
            names.setdefault(m.entity, {m.entity.name}).add(facts.doc[m.start:m.end])
    extra = []
    for entity, written in names.items():
        for name in written:
            for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", facts.doc):
                start, end = match.span()
                if not _blocking(facts, start, end):
                    extra.append(_mention(entity, facts.doc, start, end))
    return extra


def _one_company_per_name(found: list[Mention]) -> list[Mention]:
    """'London AI lab Corvid' and 'Corvid Labs' in one article are one company, under its
    fuller name (the short one is then searched for as written, see _repeats)."""
    names = {m.entity.name for m in found}
    out = []
    for m in found:
        tokens = m.entity.name.split()
        fuller = max((n for n in names if len(n.split()) > len(tokens)
                      and n.split()[:len(tokens)] == tokens), key=len, default=None)
        out.append(replace(m, entity=open_vendor(fuller)) if fuller else m)
    return out


def find_open_mentions(doc: str, known: list[Mention],
                       language: str | None = None) -> list[Mention]:
    """Open-vocabulary mentions of the article, none overlapping the gazetteer's, sorted, with
    the bodies of the other languages (events/openbodies.py, which builds on this module; the
    article's `language`, detected if not given, says whose government frames apply)."""
    from tracker.events.openbodies import body_mentions

    facts = _facts(doc, known)
    bodies = national_government_mentions(facts) + subnational_mentions(facts) + \
        city_mentions(facts) + public_body_mentions(facts) + body_mentions(facts, language)
    vendors = _without_overlaps(vendor_mentions(facts) + owner_mentions(facts))
    vendors = _without_overlaps(vendors + _repeats(facts, vendors))
    products = model_mentions(facts, [m for m in known if m.entity.kind == "vendor"] + vendors)
    # a product before a company's name of the same span: 'Ustad AI, a tutoring assistant'
    found = _without_overlaps(bodies + products + vendors)
    found = _without_overlaps(found + _repeats(facts, found))
    found = [m for m in found if not _blocking(facts, m.start, m.end)]
    found = _consistent(found)
    for m in found:
        if not m.entity.normalized:
            gazetteer().remember(m.entity)
    return sorted(found, key=lambda m: (m.start, m.entity.kind))


def value_fields(entity: Entity) -> dict:
    """What the store needs to create a row for an entity no alias table holds."""
    if entity.normalized:
        return {"normalized": True}
    fields = {"normalized": False, "name": entity.name}
    if entity.kind == "agency":
        fields["country"] = entity.country
    if entity.kind == "model":
        fields["vendor_id"] = entity.vendor_id
    return fields
