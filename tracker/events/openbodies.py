"""Public bodies and governments named in the tracker's other languages, found by the shape of
the phrase that names them, as openvocab.py finds the English ones ('Ministry of X', 'State of
X'). The words are data: each language file (tracker/data/languages, keys documented in en.yml)
gives

- body_head / body_head_weak: head nouns that open a body's name and take its portfolio after
  them ('Ministério da Educação', 'Bộ Khoa học và Công nghệ', 'وزارة الداخلية'); a weak head
  ('Agência', 'Badan') is a public body only with a body_qualifier ('Nacional', 'Digital') or a
  country in its phrase ('Agência Brasil' is a news agency);
- body_name_word, body_connector, body_conjunction: how far a name runs (capitalised words and
  'de', 'da', 'và', 'dan' by default; lowercase genitives in Russian, 'ال' words in Arabic); a
  comma continues a name only in a list that a conjunction closes ('Ciência, Tecnologia e
  Inovação');
- government_frame / city_frame: the government of a state, province or country / of a town,
  named by the place after it ('Governo do Estado de São Paulo', 'Правительство Москвы', 'حكومة
  دبي' / 'Prefeitura de Campinas'), in an article written in that language ('Region Halle' in
  German is a place); a country there is the national government ('Gobierno de México');
  place_connector: words inside a place's name ('Rio de Janeiro');
- government_noun: the word for a government, which names the national one only right beside a
  country or demonym ('governo brasileiro', 'Chính phủ Việt Nam', '中国政府'); alone ('o
  governo') it names no one;
- body_final: whole names in scripts without spaces, or single compound words, ending in their
  head noun ('国家发展和改革委员会', '深圳市政府', '横浜市', '국방부', 'Finansdepartementet').
  In these fragments '{q}' stands for the language's body_qualifier words, '{U}' / '{L}' for
  an upper / lower case letter of any cased script.

A body's country is the one its phrase names ('... do Brasil', 'Bộ Công an Việt Nam'), else the
country of a subdivision its name holds ('... do Estado de São Paulo', 'Governo de Seul',
'上海市...'), else the article's own country (ArticleFacts.single_country), else the seat of
government or the states and provinces the article names ('Brasília', 'Paraná'), else the home
government of the body's language (cues.LANGUAGE_HOME).
"""

from __future__ import annotations

import gettext
import re
import re._parser as sre_parse  # the regex parser (sre_parse, deprecated under that name)
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

import ahocorasick
import pycountry
from babel.languages import get_official_languages

from tracker.events import cues
from tracker.events.aliases import Entity, Mention
from tracker.events.openvocab import (
    OPEN_AGENCY_PREFIX,
    SELF_GOVERNING_TYPES,
    ArticleFacts,
    Subdivision,
    national_government,
    open_agency,
    slug,
    subdivisions_by_name,
    unicode_slug,
)
from tracker.extract.language import detect_language

BODY_KEYS = ("government_frame", "city_frame", "government_noun", "body_final", "body_head",
             "body_head_weak")
MAX_NAME_WORDS = 10  # 'Ministério da Ciência, Tecnologia e Inovação do Estado de São Paulo'
MAX_PLACE_WORDS = 4  # 'Ciudad Autónoma de Buenos Aires'
GAP = re.compile(r"[ \t]+|[,،][ \t]+")
SPACES = re.compile(r"[ \t]*")
DEFAULT_NAME_WORD = r"{U}[\w'’-]*(?:\.\w+)*"
CASELESS_WORD = re.compile(r"[^\W\d_]+")
WORD_END = r")(?:(?<=['’])|(?![\w'’]))"  # a connector ends a word, or in an apostrophe (l’)


def _letter_class(test) -> str:
    """A character class of the letters below U+2000 (Latin, Greek, Cyrillic, Vietnamese...)
    that pass `test`."""
    chars = [chr(i) for i in range(0x41, 0x2000) if test(chr(i))]
    return "[" + "".join(re.escape(c) for c in chars) + "]"


@lru_cache(maxsize=1)
def _placeholders() -> dict[str, str]:
    return {"{U}": _letter_class(str.isupper), "{L}": _letter_class(str.islower)}


def _expand(fragment: str, qualifier: str) -> str:
    for key, value in _placeholders().items():
        fragment = fragment.replace(key, value)
    return fragment.replace("{q}", f"(?:{qualifier})")


def _alternation(fragments: list[str], qualifier: str = cues.NEVER) -> str:
    return "|".join(f"(?:{_expand(f, qualifier)})" for f in fragments) or cues.NEVER


SYNTAX = re.compile(r"\\u[0-9a-fA-F]{4}|\\.|\(\?<?[=!:]|\{[ULq]\}")


# Scripts other than Latin that body names are written in, and the letters that show a text
# holds one: most articles hold none, and their languages' rules are not tried on them.
SCRIPTS = {"CYRILLIC": "\u0400-\u04ff", "ARABIC": "\u0600-\u06ff", "GREEK": "\u0370-\u03ff",
           "HANGUL": "\u1100-\u11ff\uac00-\ud7af", "HIRAGANA": "\u3040-\u309f",
           "KATAKANA": "\u30a0-\u30ff", "CJK": "\u3400-\u4dbf\u4e00-\u9fff",
           "DEVANAGARI": "\u0900-\u097f", "THAI": "\u0e00-\u0e7f", "HEBREW": "\u0590-\u05ff"}
SCRIPT_PROBES = {name: re.compile(f"[{chars}]") for name, chars in SCRIPTS.items()}


def _scripts(fragments: list[str]) -> frozenset[str]:
    """The non-Latin scripts of the letters that fragments name ('[\\u4e00-\\u9fff]' too); none
    for a language written in Latin script (Vietnamese included)."""
    letters = {c for fragment in fragments for c in SYNTAX.sub("", fragment) if c.isalpha()}
    letters |= {chr(int(code, 16)) for fragment in fragments
                for code in re.findall(r"\\u([0-9a-fA-F]{4})", fragment)}
    if any(c < cues.LATIN_END for c in letters):
        return frozenset()
    return frozenset(name for name in SCRIPTS
                     if any(SCRIPT_PROBES[name].match(c) for c in letters))


@dataclass(frozen=True)
class Language:
    """One language's compiled body rules."""

    code: str
    kinds: dict[str, re.Pattern]  # BODY_KEYS -> its fragments, tried with .match
    name_word: re.Pattern
    connector: re.Pattern
    conjunction: re.Pattern
    qualifier: re.Pattern | None
    fragments: tuple[tuple[str, str], ...]  # (key, expanded fragment): where bodies start
    scripts: frozenset[str]  # the scripts besides Latin its names are written in
    place_connector: re.Pattern  # inside a place's name ('Rio de Janeiro')
    home: str | None  # the government the language mostly means (cues.LANGUAGE_HOME)
    locale: str | None  # pycountry's locale for its names of places


def _language(code: str, table: dict, home: str | None) -> Language | None:
    if not any(table.get(key) for key in BODY_KEYS):
        return None
    qualifier = _alternation(table.get("body_qualifier", []))
    kinds = {key: re.compile(_alternation(table[key], qualifier), cues.FRAGMENT_KEYS[key])
             for key in BODY_KEYS if table.get(key)}
    words = table.get("body_name_word") or [DEFAULT_NAME_WORD]
    conjunctions = table.get("body_conjunction", [])
    return Language(
        code, kinds,
        re.compile(r"(?:" + _alternation(words, qualifier) + r")(?![\w'’-])"),
        re.compile(r"(?:" + _alternation(table.get("body_connector", []) + conjunctions)
                   + WORD_END, re.I),
        re.compile(r"(?:" + _alternation(conjunctions) + WORD_END, re.I),
        re.compile(qualifier, re.I) if table.get("body_qualifier") else None,
        tuple((key, _expand(f, qualifier)) for key in BODY_KEYS for f in table.get(key, [])),
        _scripts([f for key in BODY_KEYS for f in table.get(key, [])]),
        re.compile(r"(?:" + _alternation(table.get("place_connector", [])) + WORD_END, re.I),
        home, table.get("country_locale", code))


# ------------------------------------------------------------------ where bodies may start
MAX_STARTS = 64  # readings of a fragment's start ('(?:Bundes|Landes)?[Mm]inisterium': 8)
MIN_PREFIX = 2


def _prefixes(fragment: str, flags: int) -> set[str] | None:
    """The literal texts (lowercased) one of which every match of the fragment starts with
    ('bundesmin', 'landesmin', 'min' for '(?:Bundes|Landes)?[Mm]in'), or None when its start is
    not literal (a CJK place before 市): the fragment is then searched as a pattern."""
    try:
        items = list(sre_parse.parse(fragment, flags))
    except re.error:  # pragma: no cover - fragments are checked when the files load
        return None
    found = _sequence_prefixes(items)
    if found is None or not found or min(map(len, found)) < MIN_PREFIX:
        return None
    return found


def _sequence_prefixes(items: list) -> set[str] | None:
    readings = [("", items)]
    done: set[str] = set()
    while readings:
        if len(readings) + len(done) > MAX_STARTS:
            return None
        text, rest = readings.pop()
        if not rest:
            done.add(text)
            continue
        (op, arg), tail = rest[0], rest[1:]
        more = _step(op, arg, text, tail)
        if more is None:
            done.add(text)
        else:
            readings += more
    return {text.lower() for text in done}


def _step(op, arg, text: str, tail: list) -> list | None:
    """The readings after one item of a parsed fragment, or None where literal text ends."""
    name = str(op)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero-width: \b, lookarounds
        return [(text, tail)]
    if name == "LITERAL":
        return [(text + chr(arg), tail)]
    if name == "IN" and all(str(o) == "LITERAL" for o, _ in arg) and len(arg) <= 16:
        return [(text + chr(a), tail) for _, a in arg]
    if name == "SUBPATTERN":
        return [(text, list(arg[-1]) + tail)]
    if name == "BRANCH":
        return [(text, list(branch) + tail) for branch in arg[1]]
    if name == "MAX_REPEAT" and arg[0] == 0 and arg[1] == 1:
        return [(text, tail), (text, list(arg[2]) + tail)]
    return None


@dataclass(frozen=True)
class Starts:
    """Where a set of languages' bodies may start in a text: literal starts found in one
    Aho-Corasick pass over the lowercased text, the other fragments as patterns."""

    automaton: ahocorasick.Automaton | None  # lowercase prefix -> (length, ((lang, key), ...))
    # the other fragments, each searched only when the text holds a literal it needs
    patterns: tuple[tuple[re.Pattern, frozenset[str] | None, tuple[int, str]], ...]
    nouns: re.Pattern  # any government_noun, for the one right after a country

    def find(self, text: str) -> dict[int, set[tuple[int, str]]]:
        """Start offset -> the (language index, key) whose fragment may match there."""
        found: dict[int, set[tuple[int, str]]] = {}
        lowered = text.lower()
        if len(lowered) != len(text):  # 'İ' lowercases to two characters
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        if self.automaton is not None:
            for end, (length, keys) in self.automaton.iter(lowered):
                found.setdefault(end - length + 1, set()).update(keys)
        for pattern, needs, key in self.patterns:
            if needs is None or any(literal in lowered for literal in needs):
                for match in pattern.finditer(text):
                    found.setdefault(match.start(), set()).add(key)
        return found


def _needed(fragment: str, flags: int) -> frozenset[str] | None:
    """Literal texts (lowercased) one of which every match of the fragment contains, read from
    its first required item that starts with one ('(?:departementet|verket)' in
    '[A-ZÅÄÖ][a-zåäö]+(?:departementet|verket)'), or None."""
    items = list(sre_parse.parse(fragment, flags))
    for index, (op, arg) in enumerate(items):
        if str(op) in ("AT", "ASSERT", "ASSERT_NOT") or \
                str(op) in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] == 0:
            continue  # zero-width or optional: not required
        found = _sequence_prefixes(items[index:])
        if found and min(map(len, found)) >= 1:
            return frozenset(found)
    return None


def _starts(languages: tuple[Language, ...]) -> Starts:
    literal: dict[str, set[tuple[int, str]]] = {}
    patterns = []
    for index, lang in enumerate(languages):
        for key, fragment in lang.fragments:
            prefixes = _prefixes(fragment, cues.FRAGMENT_KEYS[key])
            if prefixes is None:
                flags = cues.FRAGMENT_KEYS[key]
                patterns.append((re.compile(fragment, flags), _needed(fragment, flags),
                                 (index, key)))
            for prefix in prefixes or ():
                literal.setdefault(prefix, set()).add((index, key))
    automaton = None
    if literal:
        automaton = ahocorasick.Automaton()
        for prefix, keys in literal.items():
            automaton.add_word(prefix, (len(prefix), tuple(sorted(keys))))
        automaton.make_automaton()
    nouns = [f for lang in languages for key, f in lang.fragments if key == "government_noun"]
    return Starts(automaton, tuple(patterns),
                  re.compile("|".join(f"(?:{f})" for f in nouns) or cues.NEVER, re.I))


@dataclass
class BodyRules:
    languages: tuple[Language, ...]
    _starts: dict[tuple[str, ...], Starts] = field(default_factory=dict)

    def for_text(self, text: str) -> tuple[tuple[Language, ...], Starts]:
        """The languages (and where their bodies may start) worth trying on a text: those in
        Latin script, and those whose script the text holds (most articles hold none)."""
        present = frozenset() if text.isascii() else frozenset(
            name for name, probe in SCRIPT_PROBES.items() if probe.search(text))
        chosen = tuple(lang for lang in self.languages
                       if not lang.scripts or lang.scripts & present)
        codes = tuple(lang.code for lang in chosen)
        if codes not in self._starts:
            self._starts[codes] = _starts(chosen)
        return chosen, self._starts[codes]


def compile_bodies(languages: dict[str, dict]) -> BodyRules:
    """Every language's body rules; where any of them may start is found in one pass over the
    article, and the languages' own patterns then decide at those places."""
    homes = cues.language_home(languages)
    return BodyRules(tuple(lang for lang in (_language(code, table, homes.get(code))
                                             for code, table in languages.items()
                                             if code != cues.COMMON) if lang))


RULES = compile_bodies(cues.LANGUAGES)


@cache
def language_governments(code: str) -> frozenset[str]:
    """The countries (ISO alpha-3) whose national government uses this language officially,
    from CLDR's territory data (babel): a body named in Dutch is Dutch, Belgian or Surinamese."""
    return frozenset(c.alpha_3 for c in pycountry.countries
                     if any(lang.split("_")[0] == code
                            for lang in get_official_languages(c.alpha_2, de_facto=True)))


def governed_in(country: str, governments: frozenset[str]) -> bool:
    """Whether a body in the language may be this country's: any country when CLDR names no
    government for the language."""
    return not governments or country in governments


# ------------------------------------------------------------------ the article
@dataclass
class Article:
    """The article's facts, indexed for the lookups a name's extent makes at every word."""

    facts: ArticleFacts
    language: str | None
    languages: tuple  # the languages whose rules are tried (see BodyRules.for_text)
    countries: dict[int, Mention] = field(default_factory=dict)  # by first character
    seats: dict[int, Mention] = field(default_factory=dict)  # metonyms: 'Brasília'
    others: set[int] = field(default_factory=set)  # where a vendor, partner, body... starts
    _language: list = field(default_factory=list)
    _places: list = field(default_factory=list)
    _homes: dict = field(default_factory=dict)  # language -> the government its variety marks

    def __post_init__(self) -> None:
        for m in self.facts.known:
            if m.entity.kind != "country":
                self.others.add(m.start)
            elif m.metonym:
                self.seats.setdefault(m.start, m)
            else:
                self.countries.setdefault(m.start, m)

    def fallback_country(self, lang: Language) -> str | None:
        """The country of a body whose phrase names none: the article's, that of the seat of
        government or of the states and provinces it names ('Curitiba, no Paraná': Brazil, not
        Portugal, whose language it is), else the government the text's variety of the
        language marks, or the language's home. A 'Ministério da Saúde' is a government's
        whose language is Portuguese: never the vendor's home or a venue's country."""
        governments = language_governments(lang.code)
        for country in (self.facts.single_country, self._seat_country(governments),
                        self._named_country(governments), self._subdivisions_country()):
            if country and governed_in(country, governments):
                return country
        return self._home(lang) or lang.home

    def _named_country(self, governments: frozenset[str]) -> str | None:
        """The country of the language's governments the article names most, if one does."""
        ranked = [(n, c) for c, n in self.facts.countries.most_common() if c in governments]
        if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            return ranked[0][1]
        return None

    def _home(self, lang: Language) -> str | None:
        """Read the article's words once per language, not once per body."""
        if lang.code not in self._homes:
            self._homes[lang.code] = cues.home_country(lang.code, self.facts.doc)
        return self._homes[lang.code]

    def _subdivisions_country(self) -> str | None:
        if not self._places:
            self._places.append(_named_subdivisions_country(self.facts))
        return self._places[0]

    def _seat_country(self, governments: frozenset[str]) -> str | None:
        """The one seat of government the article names, of a government of the language."""
        seats = {m.entity.id for m in self.seats.values()
                 if governed_in(m.entity.id, governments)}
        return next(iter(seats)) if len(seats) == 1 else None

    def written_in(self, lang: Language) -> bool:
        """Whether the article is in this language (detected only when a frame needs it):
        'Region Halle' or 'Stadt X' in an English or German text names a place, not a body."""
        if not self._language:
            self._language.append(
                cues.language_file(self.language or detect_language(self.facts.doc)))
        return self._language[0] in (None, lang.code)


PLACE_RUN = re.compile(_expand(r"{U}[\w’'-]+(?: (?:d[aeo]s? |del |de la )?{U}[\w’'-]+){0,2}",
                               cues.NEVER))


def _named_subdivisions_country(facts: ArticleFacts) -> str | None:
    """The one country whose self-governing subdivisions the article names by their names
    ('São Paulo', 'Minas Gerais', 'Jalisco'), if it names any."""
    table = subdivisions_by_name()
    countries = set()
    for match in PLACE_RUN.finditer(facts.doc):
        parts = match.group().split()
        for i in range(len(parts)):
            for j in range(i + 1, min(i + 4, len(parts)) + 1):
                countries |= {sub.country for sub in table.get(" ".join(parts[i:j]).casefold(), ())
                              if sub.type in SELF_GOVERNING_TYPES}
    return next(iter(countries)) if len(countries) == 1 else None


def _overlaps_known(facts: ArticleFacts, start: int, end: int) -> bool:
    """A gazetteer name other than a country overlaps the span: the alias table wins (a weak
    alias only where its country is the article's)."""
    return any(m.start < end and start < m.end and m.entity.kind != "country"
               and not (m.weak and m.entity.country not in facts.countries)
               for m in facts.known)


# ------------------------------------------------------------------ how far a name runs
@dataclass
class Name:
    end: int  # end of the last name word
    words: int
    country: str | None = None  # a country named right after the name ('... do Brasil')


@dataclass
class _Scan:
    pos: int
    name: Name
    list_start: Name | None = None  # the name before a comma, until a conjunction closes
    country: str | None = None  # a country or demonym in or right after the name
    country_at: int = -1  # where it was found
    country_end: int = -1  # where it ends, when read as one of the name's words
    before_country: Name | None = None  # the name before it, if it turns out to be the last


def _extend(article: Article, lang: Language, start: int, max_words: int,
            place: bool = False) -> Name:
    """Name words and connectors from `start`, as far as the language lets a name run. It
    stops at a known name, another body's head or frame, or a word that is not a name word. A
    country ends the name as its qualifier ('Bộ Công an Việt Nam', '... do Brasil') unless the
    name goes on after it ('Agência Brasileira de Inteligência'). A place (after a government
    frame) may start with a word of a script without case ('حكومة دبي')."""
    doc = article.facts.doc
    scan = _Scan(start, Name(start, 0))
    while scan.name.words < max_words:
        nxt = _next_word(doc, scan)
        if nxt is None or nxt in article.others or _body_starts(article, lang, nxt):
            break
        country = article.countries.get(nxt)
        if country is not None:
            scan.country, scan.country_at, scan.country_end = country.entity.id, nxt, country.end
            scan.before_country = scan.name
            scan.pos, scan.name = country.end, Name(country.end, scan.name.words + 1)
            continue
        connector = (lang.place_connector if place else lang.connector).match(doc, nxt)
        if connector is not None:
            if not scan.name.words and lang.conjunction.match(doc, nxt):
                break  # no name starts with 'and'
            if scan.list_start is not None and lang.conjunction.match(doc, nxt):
                scan.list_start = None  # 'Ciência, Tecnologia e Inovação': the list closes
            after = _connected_country(article, lang, connector.end())
            if after is not None:
                scan.country, scan.country_at = after, nxt
                break
            scan.pos = connector.end()
            continue
        word = lang.name_word.match(doc, nxt)
        if word is None and place and scan.name.words == 0:
            word = _caseless_word(doc, nxt)
        if word is None:
            break
        scan.pos, scan.name = word.end(), Name(word.end(), scan.name.words + 1)
    return _closed(scan)


GLUE = frozenset(".-'’")


def _next_word(doc: str, scan: _Scan) -> int | None:
    """Where the next word starts: after spaces, after a comma (which opens a list), or right
    after an apostrophe or a dot ('de l’Intérieur', 'UBND TP.HCM')."""
    gap = GAP.match(doc, scan.pos)
    if gap is None:
        glued = doc[scan.pos - 1:scan.pos] in GLUE and doc[scan.pos:scan.pos + 1].isalpha()
        return scan.pos if glued else None
    if gap.group()[0] in ",،":
        if scan.list_start is not None:
            return None
        scan.list_start = scan.name
    return gap.end()


def _closed(scan: _Scan) -> Name:
    """The name as it stands, or as it was before a comma no conjunction closed; a country
    that came last qualifies the name and is left out of it."""
    name = scan.list_start if scan.list_start is not None else scan.name
    country = scan.country
    if scan.list_start is not None and scan.country_at >= name.end:
        country = None  # 'Ministério da Saúde, Brasil...': after the comma, not its country
    if scan.before_country is not None and scan.country_end == name.end:
        name = scan.before_country
    return Name(name.end, name.words, country)


def _caseless_word(doc: str, pos: int) -> re.Match | None:
    word = CASELESS_WORD.match(doc, pos)
    if word is None or any(c.isupper() or c.islower() for c in word.group()):
        return None
    return word


def _connected_country(article: Article, lang: Language, pos: int) -> str | None:
    """'... do Brasil', '... de la Argentina': a country after a connector qualifies the name."""
    doc = article.facts.doc
    gap = GAP.match(doc, pos)
    if gap is None or gap.group()[0] in ",،":
        return None
    m = article.countries.get(gap.end())
    if m is None:
        second = lang.connector.match(doc, gap.end())  # 'de la', 'de l’'
        after = GAP.match(doc, second.end()) if second is not None else None
        m = article.countries.get(after.end()) if after is not None else None
    return m.entity.id if m is not None else None


NEXT_BODY_KEYS = ("body_head", "body_head_weak", "government_frame", "city_frame",
                  "government_noun")


def _body_starts(article: Article, lang: Language, pos: int) -> bool:
    """Another body starts here: 'Secretaria X do Ministério Y', 'Governo de A e Governo de B'
    name two; but 'Secretaría de Gobierno Digital' names one ('Gobierno' names no body)."""
    doc = article.facts.doc
    for key in NEXT_BODY_KEYS:
        pattern = lang.kinds.get(key)
        match = pattern.match(doc, pos) if pattern is not None else None
        if match is not None and match.end() > pos and _found(article, lang, key, match):
            return True
    return False


# ------------------------------------------------------------------ entities
def _subdivision(name: str, facts: ArticleFacts, lang: Language) -> Subdivision | None:
    """The subdivision a name holds ('... do Estado de São Paulo', 'Sở Y tế Hà Nội', 'Stadt
    Wien', 'Pemprov Jawa Timur'), by its own name or as the body's language writes it
    (pycountry's catalogues), the longest first; one in a country the article names wins a
    shared name."""
    words = name.split()[1:]  # not the head
    native = subdivisions_by_name()
    translated = translated_subdivisions(lang.locale)
    governments = language_governments(lang.code)
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            place = " ".join(words[i:i + size])
            if place[0].islower():  # 'ministerie van Justitie': a connector, not Van (Turkey)
                continue
            found = [sub for sub in native.get(place.casefold()) or translated.get(place, ())
                     if governed_in(sub.country, governments)]
            local = [sub for sub in found if sub.country in facts.countries]
            if len({sub.country for sub in found}) == 1 or len(local) == 1:
                return (local or list(found))[0]
    return None


def _subdivision_country(name: str, facts: ArticleFacts, lang: Language) -> str | None:
    sub = _subdivision(name, facts, lang)
    return sub.country if sub is not None else None


@lru_cache(maxsize=32)
def translated_subdivisions(locale: str | None) -> dict[str, tuple[Subdivision, ...]]:
    """Subdivisions by their names in one locale's pycountry catalogue ('上海市', '東京', '서울',
    'Сеул'); built when a body of that language first needs it."""
    if not locale:
        return {}
    catalogue = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale],
                                    fallback=True)
    found: dict[str, list[Subdivision]] = {}
    for sub in pycountry.subdivisions:
        form = catalogue.gettext(sub.name)
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if form != sub.name and len(form) >= 2 and country is not None:
            found.setdefault(form, []).append(
                Subdivision(sub.code, sub.name, country.alpha_3, sub.type))
    return {form: tuple(subs) for form, subs in found.items()}


def _translated_place(name: str, lang: Language) -> str | None:
    """The country of the subdivision a name without spaces starts with: '上海市...' China,
    '東京都' Japan, '서울시' Korea."""
    table = translated_subdivisions(lang.locale)
    governments = language_governments(lang.code)
    for size in range(min(len(name) - 1, 8), 1, -1):
        countries = {sub.country for sub in table.get(name[:size], ())
                     if governed_in(sub.country, governments)}
        if len(countries) == 1:
            return next(iter(countries))
    return None


def _entity(name: str, country: str | None) -> Entity:
    return Entity("agency", OPEN_AGENCY_PREFIX + _slug(f"{country or ''} {name}"), name,
                  country=country, normalized=False)


def _slug(text: str) -> str:
    """slug() for Latin script ('Bộ Công an' -> 'bo-cong-an'); other scripts keep their letters
    ('وزارة الداخلية', '深圳市政府')."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if sum(c.isalpha() for c in plain) >= 0.8 * sum(c.isalpha() for c in text):
        return slug(text)
    return unicode_slug(text)


def _mention(entity: Entity, doc: str, start: int, end: int) -> Mention:
    return Mention(entity, start, end, doc[start:end], False, False)


def _national(article: Article, start: int, country: Mention, end: int) -> Mention | None:
    government = national_government(country.entity.id)
    if government is None:
        return None
    return _mention(government, article.facts.doc, start, end)


# ------------------------------------------------------------------ the constructions
def _head_body(article: Article, lang: Language, match: re.Match, weak: bool) -> Mention | None:
    """'Ministério da Educação', 'Agência Nacional de Águas', 'Kementerian Komunikasi dan
    Digital': a head and at least one name word; a weak head needs a qualifier or a country."""
    name = _extend(article, lang, match.end(), MAX_NAME_WORDS)
    if name.words == 0:
        return None
    doc = article.facts.doc
    if weak and name.country is None and not (
            lang.qualifier and lang.qualifier.search(doc, match.end(), name.end)):
        return None
    text = doc[match.start():name.end]
    country = name.country or _subdivision_country(text, article.facts, lang) or \
        article.fallback_country(lang)
    return _mention(_entity(text, country), doc, match.start(), name.end)


def _frame_body(article: Article, lang: Language, match: re.Match,
                city: bool) -> Mention | None:
    """'Governo do Estado de São Paulo', 'Prefeitura de Campinas', 'حكومة دبي': a government
    named by its place; a country there is the national government ('Gobierno de México'). A
    state's or province's government is one entity however the article names it ('Pemprov Jawa
    Timur', 'Pemerintah Provinsi Jawa Timur', 'East Java provincial government'); a town's is
    its name."""
    doc = article.facts.doc
    if not article.written_in(lang):
        return None
    place = SPACES.match(doc, match.end()).end()
    country = article.countries.get(place)
    if country is not None:  # 'Gobierno de México'; a 'Prefeitura do Brasil' is no one
        noun = lang.kinds.get("government_noun")
        national = noun is not None and noun.match(doc, match.start())
        return _national(article, match.start(), country, country.end) if national else None
    name = _extend(article, lang, match.end(), MAX_PLACE_WORDS, place=True)
    if name.words == 0:
        return None
    text = doc[match.start():name.end]
    sub = _subdivision(text, article.facts, lang)
    seat = article.seats.get(place)  # 'Gobierno de la Ciudad de Buenos Aires'
    code = (sub.country if sub else None) or (seat.entity.id if seat else None) or \
        name.country or article.fallback_country(lang)
    entity = open_agency(text, code, key=sub.code) if sub and not city else _entity(text, code)
    return _mention(entity, doc, match.start(), name.end)


def _noun_body(article: Article, match: re.Match) -> Mention | None:
    """'governo brasileiro', 'Chính phủ Việt Nam': the national government, a country after
    the noun; 'o governo' alone names no one."""
    country = article.countries.get(SPACES.match(article.facts.doc, match.end()).end())
    return _national(article, match.start(), country, country.end) if country else None


def _final_body(article: Article, lang: Language, match: re.Match) -> Mention | None:
    """'国家发展和改革委员会', '深圳市政府', '横浜市', '국방부': the name is the whole match; a
    province or prefecture it starts with gives its country ('上海市经济和信息化委员会')."""
    text = match.group()
    country = _subdivision_country(text, article.facts, lang) or _translated_place(text, lang) \
        or article.fallback_country(lang)
    return _mention(_entity(text, country), article.facts.doc, match.start(), match.end())


def _found(article: Article, lang: Language, key: str, match: re.Match) -> Mention | None:
    """The body that a match of one of a language's keys begins, if it names one."""
    if key == "body_final":
        return _final_body(article, lang, match)
    if key in ("government_frame", "city_frame"):
        return _frame_body(article, lang, match, city=key == "city_frame")
    if key == "government_noun":
        return _noun_body(article, match)
    return _head_body(article, lang, match, weak=key == "body_head_weak")


def _body_at(article: Article, pos: int, keys: set[tuple[int, str]]) -> Mention | None:
    """The body named at `pos` by the first of the languages (in merge order, then key order)
    whose fragments may start there."""
    doc = article.facts.doc
    for index, key in sorted(keys, key=lambda k: (k[0], BODY_KEYS.index(k[1]))):
        lang = article.languages[index]
        match = lang.kinds[key].match(doc, pos)
        if match is not None and match.end() > pos:
            found = _found(article, lang, key, match)
            if found is not None:
                return found
    return None


def _government_after(article: Article, nouns: re.Pattern, country: Mention) -> Mention | None:
    """'中国政府', '한국 정부', 'deutsche Regierung': a government noun right after a country."""
    doc = article.facts.doc
    hit = nouns.match(doc, SPACES.match(doc, country.end).end())
    return _national(article, country.start, country, hit.end()) if hit is not None else None


def body_mentions(facts: ArticleFacts, language: str | None = None) -> list[Mention]:
    """Bodies and governments of the tracker's other languages named in the article, none
    overlapping a gazetteer name other than a country."""
    languages, starts = RULES.for_text(facts.doc)
    article = Article(facts, language, languages)
    found = []
    pos = 0
    for start, keys in sorted(starts.find(facts.doc).items()):
        if start < pos:
            continue
        mention = _body_at(article, start, keys)
        if mention is not None:
            found.append(mention)
            pos = mention.end
    for country in article.countries.values():
        government = _government_after(article, starts.nouns, country)
        if government is not None:
            found.append(government)
    return _one_entity_per_body([m for m in found if not _overlaps_known(facts, m.start, m.end)])


def _fullness(name: str) -> tuple[int, bool]:
    """The longer name, and of two as long the capitalised one: 'Υπουργείο Ψηφιακής
    Διακυβέρνησης' in the text over 'υπουργείο ...' as a headline in the press writes it."""
    return len(name), name[:1].isupper()


def _continues(short: str, name: str) -> bool:
    """Whether a name continues a shorter one: after its end ('Министерство цифрового
    развития, связи ...'), or, where the head noun comes last in lowercase, after its portfolio
    with a list ('Цифрлық даму министрлігі' in 'Цифрлық даму, инновациялар және аэроғарыш
    өнеркәсібі министрлігі')."""
    if re.match(re.escape(short) + r"(?!\w)", name):
        return True
    portfolio, _, head = short.rpartition(" ")
    return bool(portfolio) and head[:1].islower() and name.endswith(" " + head) and \
        re.match(re.escape(portfolio) + r"(?:,|\s+(?:" + _CONJUNCTIONS + r")\s)", name) is not None


_CONJUNCTIONS = "|".join(f"(?:{f})" for f in cues.fragments(cues.LANGUAGES, "body_conjunction")) \
    or cues.NEVER


def _one_entity_per_body(found: list[Mention]) -> list[Mention]:
    """One entity, under its fullest name, per body of the article: a name that another one
    continues is the same body named short (the headline's 'Министерство цифрового развития'
    is the text's 'Министерство цифрового развития, связи и массовых коммуникаций'), and one
    state's government named two ways keeps the longer name ('Governo de São Paulo', 'Governo
    do Estado de São Paulo')."""
    fullest: dict[str, Entity] = {}
    for m in found:
        if not m.entity.normalized and _fullness(m.entity.name) > _fullness(fullest.get(
                m.entity.id, m.entity).name) or m.entity.id not in fullest:
            fullest[m.entity.id] = m.entity
    bodies = [e for e in fullest.values() if not e.normalized]
    out = []
    for m in found:
        entity = fullest[m.entity.id]
        longer = [e for e in bodies if e.country == entity.country and len(e.name) >
                  len(entity.name) and _continues(entity.name, e.name)]
        if longer and not entity.normalized:
            entity = max(longer, key=lambda e: len(e.name))
        out.append(Mention(entity, m.start, m.end, m.surface, m.weak, m.metonym))
    return out
