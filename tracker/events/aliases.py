"""Alias tables (YAML under tracker/data) compiled into one Aho-Corasick gazetteer."""

from __future__ import annotations

import gettext
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
import pycountry
import yaml

DATA_DIR = Path(os.environ.get("TRACKER_DATA_DIR")
                or Path(__file__).resolve().parent.parent / "data")
KINDS = ("vendor", "model", "partner", "agency", "country")


class AliasTableError(ValueError):
    """An alias table is malformed (duplicate alias, missing id, unknown country)."""


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str
    name: str
    country: str | None = None  # agencies: ISO alpha-3; models: None
    vendor_id: str | None = None  # models: owning vendor
    org_kind: str | None = None  # agencies: ministry, military, international...
    wikidata: str | None = None
    platform: bool = False  # models: a hosting platform (watsonx, Bedrock), not a model
    normalized: bool = True  # False: found by the shape of its phrase, in no alias table


@dataclass(frozen=True)
class Alias:
    entity: Entity
    surface: str
    case_sensitive: bool
    weak: bool = False
    metonym: bool = False


@dataclass(frozen=True)
class Mention:
    entity: Entity
    start: int
    end: int
    surface: str
    weak: bool
    metonym: bool


def is_cjk(text: str) -> bool:
    """True when the alias contains Han, Kana, Hangul or Thai (scripts written without spaces
    between words): no word boundaries are checked then."""
    return any(unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL",
                                                    "THAI"))
               for ch in text)


def needs_case(surface: str) -> bool:
    """Acronyms and short names ('AWS', 'DoD', 'EU', 'US') only match with their exact case."""
    letters = [c for c in surface if c.isalpha()]
    if is_cjk(surface):
        return False
    upper = sum(c.isupper() for c in letters)
    return len(letters) <= 4 or upper >= max(2, len(letters) // 2)


def _read(name: str, key: str) -> list[dict]:
    path = DATA_DIR / name
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    entries = data.get(key)
    if not isinstance(entries, list):
        raise AliasTableError(f"{path}: expected a top-level '{key}:' list")
    return entries


class AliasTable:
    """All aliases of one file; a surface that repeats (casefolded) within a file is an error."""

    def __init__(self, filename: str):
        self.filename = filename
        self.aliases: list[Alias] = []
        self._seen: dict[str, str] = {}

    def add(self, entity: Entity, surface: str, *, case_sensitive: bool | None = None,
            weak: bool = False, metonym: bool = False) -> None:
        surface = str(surface).strip()
        if not surface:
            return
        folded = surface.casefold()
        owner = self._seen.get(folded)
        if owner is not None and owner != f"{entity.kind}:{entity.id}":
            raise AliasTableError(
                f"{self.filename}: alias {surface!r} of {entity.id} already belongs to {owner}")
        if owner is not None:
            return
        self._seen[folded] = f"{entity.kind}:{entity.id}"
        sensitive = needs_case(surface) if case_sensitive is None else case_sensitive
        self.aliases.append(Alias(entity, surface, sensitive, weak, metonym))


def _require(entry: dict, field: str, filename: str) -> str:
    value = entry.get(field)
    if not value or not isinstance(value, str):
        raise AliasTableError(f"{filename}: entry {entry!r:.80} has no {field}")
    return value


def _add_named(table: AliasTable, entity: Entity, entry: dict) -> None:
    sensitive = True if entry.get("case_sensitive") else None
    table.add(entity, entity.name, case_sensitive=sensitive)
    for alias in entry.get("aliases") or []:
        table.add(entity, alias, case_sensitive=sensitive)
    for alias in entry.get("weak_aliases") or []:
        table.add(entity, alias, weak=True)
    for alias in entry.get("metonyms") or []:
        table.add(entity, alias, metonym=True, case_sensitive=True)


def load_vendors() -> AliasTable:
    table = AliasTable("vendors.yml")
    for entry in _read("vendors.yml", "vendors"):
        vendor = Entity("vendor", _require(entry, "id", table.filename),
                        _require(entry, "name", table.filename), wikidata=entry.get("wikidata"))
        _add_named(table, vendor, entry)
        for model_entry in entry.get("models") or []:
            model = Entity("model", _require(model_entry, "id", table.filename),
                           _require(model_entry, "name", table.filename), vendor_id=vendor.id,
                           wikidata=model_entry.get("wikidata"),
                           platform=bool(model_entry.get("platform")))
            _add_named(table, model, model_entry)
    return table


def load_partners() -> AliasTable:
    table = AliasTable("partners.yml")
    for entry in _read("partners.yml", "partners"):
        partner = Entity("partner", _require(entry, "id", table.filename),
                         _require(entry, "name", table.filename), wikidata=entry.get("wikidata"))
        _add_named(table, partner, entry)
    return table


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise AliasTableError(f"unknown ISO 3166-1 alpha-3 code {code!r}")
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def country_name_forms() -> frozenset[str]:
    """Every way pycountry names a country ('Japan', 'Iran', 'Korea', 'Taiwan', 'Brasil'),
    translations included: not demonyms."""
    return frozenset(_english_country_forms()) | frozenset(translated_country_names())


def _english_country_forms() -> dict[str, str]:
    """pycountry's names of each country, also cut before a comma ('Korea'), form -> code."""
    forms = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                forms.setdefault(value, country.alpha_3)
                forms.setdefault(value.split(",")[0].strip(), country.alpha_3)
    return forms


ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670]")  # vowel signs, shadda, sukun


def _translated_forms(locale: str) -> list[tuple[str, str]]:
    """(form, code) for the names pycountry's catalogue of one locale translates; Arabic ones
    also without the vowel marks that news text leaves out ('السّعوديّة' -> 'السعودية')."""
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale],
                                    fallback=True)
    found = []
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            form = catalogue.gettext(value) if value else value
            if form and form != value and "," not in form and "(" not in form:
                found += [(f, country.alpha_3) for f in {form, ARABIC_MARKS.sub("", form)}]
    return found


def _taken_country_forms() -> dict[str, set[str]]:
    """Casefolded English names and countries.yml aliases and metonyms -> their countries."""
    taken: dict[str, set[str]] = {}
    for form, code in _english_country_forms().items():
        taken.setdefault(form.casefold(), set()).add(code)
    for entry in _read("countries.yml", "countries"):
        for alias in (entry.get("aliases") or []) + (entry.get("metonyms") or []):
            taken.setdefault(str(alias).strip().casefold(), set()).add(entry.get("code"))
    return taken


@lru_cache(maxsize=1)
def translated_country_names() -> dict[str, str]:
    """Country names in the languages of tracker/data/languages (pycountry's gettext
    catalogues), form -> code. A form is kept when it names one country only, nobody else owns
    it, it is long enough to be a name (CJK: 2 characters, else 3) and it is not an ordinary word
    (_common.yml's country_name_stop): 'Вьетнам', 'Việt Nam', 'Brasil', '新加坡'."""
    from tracker.events.cues import COMMON, load_languages  # cues imports DATA_DIR from here

    languages = load_languages()
    stop = {word.casefold() for word in languages[COMMON].get("country_name_stop", [])}
    taken = _taken_country_forms()
    owners: dict[str, set[str]] = {}
    for code, table in languages.items():
        locale = table.get("country_locale", code)  # the file's own name unless it says; null
        if code == COMMON or not locale:
            continue
        for form, country in _translated_forms(locale):
            for name in {form} | _adjectives(form, table.get("demonym_from_name")):
                owners.setdefault(name, set()).add(country)
    return {form: next(iter(codes)) for form, codes in owners.items()
            if len(codes) == 1 and taken.get(form.casefold(), codes) == codes
            and len(form) >= (2 if is_cjk(form) else 3) and form.casefold() not in stop}


def _adjectives(name: str, rule: dict | None) -> set[str]:
    """The adjectives a language makes from a one-word country name by rule (Arabic: 'مصر' ->
    'مصري', 'المصرية'; 'ألمانيا' -> 'الألماني'), as the language file's demonym_from_name says."""
    if not rule or " " in name:
        return set()
    stem = name
    for prefix in rule.get("strip_prefixes", []):
        stem = stem.removeprefix(prefix)
    suffix = next((x for x in rule.get("strip_suffixes", []) if stem.endswith(x)), "")
    stem = stem[:len(stem) - len(suffix)]
    return {f"{prefix}{stem}{ending}" for prefix in rule.get("prefixes", [""])
            for ending in rule["endings"]}


def load_agencies() -> AliasTable:
    table = AliasTable("agencies.yml")
    for entry in _read("agencies.yml", "agencies"):
        code = entry.get("country")
        if code:
            country_name(code)
        agency = Entity("agency", _require(entry, "id", table.filename),
                        _require(entry, "name", table.filename), country=code or None,
                        org_kind=entry.get("kind"), wikidata=entry.get("wikidata"))
        _add_named(table, agency, entry)
    return table


def load_countries() -> AliasTable:
    """pycountry's names, the YAML's aliases, demonyms and metonyms ('Whitehall'), then the
    names in the tracker's languages ('Вьетнам', 'Việt Nam')."""
    table = AliasTable("countries.yml")
    extra = {entry["code"]: entry for entry in _read("countries.yml", "countries")}
    for country in pycountry.countries:
        code = country.alpha_3
        entity = Entity("country", code, country_name(code))
        names = {country.name, getattr(country, "common_name", country.name)}
        for name in sorted(names):
            if "," not in name and "(" not in name:
                table.add(entity, name, case_sensitive=True)
        entry = extra.pop(code, {})
        for alias in entry.get("aliases") or []:
            table.add(entity, alias, case_sensitive=not is_cjk(alias))
        for alias in entry.get("metonyms") or []:
            table.add(entity, alias, metonym=True, case_sensitive=True)
    if extra:
        raise AliasTableError(f"countries.yml: unknown codes {sorted(extra)}")
    for form, code in translated_country_names().items():  # nobody else's: no duplicate error
        table.add(Entity("country", code, country_name(code)), form,
                  case_sensitive=not is_cjk(form))
    return table


WORD_CHAR = re.compile(r"\w")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def _surface_variants(alias: Alias) -> list[str]:
    """Exact-case acronyms also match their common house styles: 'NATO'/'Nato', 'MoD'/'MOD'."""
    surface = alias.surface.translate(APOSTROPHES)
    variants = [surface]
    if alias.case_sensitive and len(surface) >= 3 and surface.isalpha() and not is_cjk(surface):
        for variant in (surface.upper(), surface[0] + surface[1:].lower()):
            if variant not in variants and variant[0].isupper():
                variants.append(variant)
    return variants


def _joins(ch: str) -> bool:
    """A neighbouring character that would make a Latin alias part of a longer word."""
    return bool(WORD_CHAR.match(ch)) and not is_cjk(ch)


ARABIC_PROCLITICS = "وفبلك"  # and, so, with, for, like: written joined to the next word
MAX_PROCLITICS = 2            # 'ولمايكروسوفت' (and for Microsoft)
CYRILLIC_ENDING = re.compile(r"[а-яёәғқңөұүһі]{1,3}(?!\w)")  # 'Палантира', 'Майкрософтпен'


def _in_script(ch: str, script: str) -> bool:
    return unicodedata.name(ch, "").startswith(script)


def _open_before(text: str, start: int, surface: str) -> bool:
    """Nothing is glued before the alias, or only Arabic proclitics before an Arabic name
    ('وجوجل', and Google)."""
    position = start
    if _in_script(surface[0], "ARABIC"):
        while (start - position < MAX_PROCLITICS and position > 0
               and text[position - 1] in ARABIC_PROCLITICS):
            position -= 1
        if position < start and position > 0 and _joins(text[position - 1]):
            position = start  # the letters belong to a longer word
    return position == 0 or not _joins(text[position - 1])


def _open_after(text: str, end: int, surface: str) -> bool:
    """Nothing is glued after the alias, or only a Russian or Kazakh case ending after a
    Cyrillic name ('Палантира', 'Майкрософтпен')."""
    if end >= len(text) or not _joins(text[end]):
        return True
    return _in_script(surface[-1], "CYRILLIC") and bool(CYRILLIC_ENDING.match(text, end))


def _dual_roles(buckets) -> dict[str, str]:
    """Vendor id -> partner id of the companies that are both: they share a surface
    ('Microsoft', 'AWS')."""
    by_surface: dict[str, list[Alias]] = {}
    for aliases in buckets:
        for alias in aliases:
            by_surface.setdefault(alias.surface.casefold(), []).append(alias)
    pairs: dict[str, str] = {}
    for aliases in by_surface.values():
        vendors = [a.entity.id for a in aliases if a.entity.kind == "vendor"]
        partners = [a.entity.id for a in aliases if a.entity.kind == "partner"]
        if vendors and partners:
            pairs.setdefault(vendors[0], partners[0])
    return pairs


class Gazetteer:
    """Finds every alias in a text in one pass; keeps the longest match at each position."""

    def __init__(self, tables: list[AliasTable]):
        self.entities: dict[tuple[str, str], Entity] = {}
        self.open_entities: dict[tuple[str, str], Entity] = {}
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        buckets: dict[tuple[bool, str], list[Alias]] = {}
        for table in tables:
            for alias in table.aliases:
                self.entities[(alias.entity.kind, alias.entity.id)] = alias.entity
                for surface in _surface_variants(alias):
                    key = surface if alias.case_sensitive else surface.casefold()
                    buckets.setdefault((alias.case_sensitive, key), []).append(alias)
        self.vendor_as_partner = _dual_roles(buckets.values())
        self.partner_as_vendor = {partner: vendor
                                  for vendor, partner in self.vendor_as_partner.items()}
        for (sensitive, key), aliases in buckets.items():
            (self._exact if sensitive else self._folded).add_word(key, (len(key), tuple(aliases)))
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()

    def entity(self, kind: str, entity_id: str) -> Entity | None:
        found = self.entities.get((kind, entity_id))
        return found if found is not None else self.open_entities.get((kind, entity_id))

    def remember(self, entity: Entity) -> None:
        """Keep an open-vocabulary entity (events/openvocab.py) so that code asking for an id
        finds it; ids are derived from names, so the memo is idempotent and only bounded."""
        if len(self.open_entities) >= MAX_OPEN_ENTITIES:
            self.open_entities.pop(next(iter(self.open_entities)))
        self.open_entities[(entity.kind, entity.id)] = entity

    def add_entities(self, entities: list[Entity]) -> None:
        """Entities without aliases of their own (generated national governments)."""
        for entity in entities:
            self.entities.setdefault((entity.kind, entity.id), entity)

    def by_kind(self, kind: str) -> list[Entity]:
        return [e for (k, _), e in self.entities.items() if k == kind]

    @staticmethod
    def _bounded(text: str, start: int, end: int, surface: str) -> bool:
        if is_cjk(surface):
            return True
        return _open_before(text, start, surface) and _open_after(text, end, surface)

    def find(self, text: str) -> list[Mention]:
        """All mentions, longest-leftmost; overlapping shorter matches are dropped."""
        text = text.translate(APOSTROPHES)  # same length: offsets stay valid
        folded = text.casefold() if len(text.casefold()) == len(text) else None
        hits: list[tuple[int, int, tuple[Alias, ...]]] = []
        sources = [(self._exact, text)]
        if folded is not None:
            sources.append((self._folded, folded))
        else:  # casefold changed lengths (e.g. 'ß'): fall back to lower(), same length
            sources.append((self._folded, text.lower()))
        for automaton, haystack in sources:
            if not len(automaton):
                continue
            for end_index, (length, aliases) in automaton.iter(haystack):
                start, end = end_index - length + 1, end_index + 1
                if self._bounded(text, start, end, aliases[0].surface):
                    hits.append((start, end, aliases))
        mentions: list[Mention] = []
        for start, end, aliases in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if any(m.start < end and start < m.end and (m.start, m.end) != (start, end)
                   for m in mentions):
                continue
            for alias in aliases:
                mentions.append(Mention(alias.entity, start, end, text[start:end], alias.weak,
                                        alias.metonym))
        mentions.sort(key=lambda m: (m.start, m.entity.kind))
        return mentions


GENERATED_GOVERNMENT_PREFIX = "gov-"
MAX_OPEN_ENTITIES = 50_000


def generated_governments(agencies: list[Entity]) -> list[Entity]:
    """'Government of Greece' for every country whose government agencies.yml does not list:
    a canonical id (gov-grc) for the national government an article names by its shape."""
    listed = {a.country for a in agencies if a.org_kind == "government"}
    return [Entity("agency", GENERATED_GOVERNMENT_PREFIX + c.alpha_3.lower(),
                   f"Government of {country_name(c.alpha_3)}", country=c.alpha_3,
                   org_kind="government")
            for c in pycountry.countries if c.alpha_3 not in listed]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built once, ~0.3 s)."""
    gaz = Gazetteer([load_vendors(), load_partners(), load_agencies(), load_countries()])
    gaz.add_entities(generated_governments(gaz.by_kind("agency")))
    return gaz
