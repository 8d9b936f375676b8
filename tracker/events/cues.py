"""Cue lexicons as compiled patterns: what a sentence says happened. The words are data, one
file per language in tracker/data/languages (what belongs to no language in _common.yml), so
that adding a language is a data change."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pycountry
import yaml

from tracker.events.aliases import DATA_DIR
from tracker.events.literals import (
    QUANTIFIERS,
    SCOPED,
    Needles,
    group_end,
    required_literals,
    top_level_parts,
)

IGNORECASE = re.IGNORECASE


LATIN_END = "\u0250"  # Latin-1 and Latin Extended end here; Greek, Cyrillic, CJK... above


class Cue:
    """A cue pattern, its twins for ASCII and for Latin-script text, and its branches'
    literals. A fragment that begins with a letter no character of a range matches (Cyrillic,
    CJK, Arabic; 'é' for ASCII) cannot match text of that range, and the twin without those
    fragments reads a clause several times faster. Better still, a fragment none of whose
    literals is in a clause cannot match it (events/literals.py): the clause is read with the
    few fragments that can, or not at all. Same matches on any text."""

    __slots__ = ("full", "latin", "ascii", "branches", "needles", "_fragments")

    def __init__(self, full: re.Pattern, latin: re.Pattern, ascii: re.Pattern,
                 branches: tuple[str, ...] = (), needles: Needles | None = None):
        self.full, self.latin, self.ascii = full, latin, ascii
        self.branches, self.needles = branches, needles  # see _as_read
        self._fragments: dict[int, re.Pattern] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cue) and \
            (self.full, self.latin, self.ascii) == (other.full, other.latin, other.ascii)

    def __hash__(self) -> int:
        return hash(self.full)

    def _for(self, text: str) -> re.Pattern:
        if text.isascii():
            return self.ascii
        return self.latin if max(text) < LATIN_END else self.full

    def _possible(self, text: str, bounds: tuple[int, ...]) -> frozenset[int] | None:
        """The branches that can match the text; None when it is not looked up. Only whole
        clauses are: a bounded search is a window of a longer text, and in a whole article
        most literals occur."""
        if self.needles is None or bounds or len(text) > MAX_INDEXED:
            return None
        return self.needles.possible(text)

    def _matches(self, text: str, possible: frozenset[int]):
        """What finditer over the whole alternation finds, from the branches that can match:
        at each place the leftmost match, of the earliest branch (the alternation's order);
        the next one from where it ends. A branch's match is never empty (it holds a
        literal)."""
        patterns = [self._fragment(i) for i in sorted(possible)]
        pending = [pattern.search(text) for pattern in patterns]
        position = 0
        while True:
            best = None
            for k, match in enumerate(pending):
                if match is not None and match.start() < position:
                    match = pending[k] = patterns[k].search(text, position)
                if match is not None and (best is None or match.start() < best.start()):
                    best = match
            if best is None:
                return
            yield best
            position = best.end()

    def _fragment(self, index: int) -> re.Pattern:
        pattern = self._fragments.get(index)
        if pattern is None:
            pattern = self._fragments[index] = re.compile(self.branches[index], self.full.flags)
        return pattern

    def search(self, text: str, *bounds: int):
        possible = self._possible(text, bounds)
        if possible is None:
            return self._for(text).search(text, *bounds)
        if len(possible) == 1:
            return self._fragment(next(iter(possible))).search(text)
        return next(self._matches(text, possible), None) if possible else None

    def findall(self, text: str, *bounds: int):
        possible = self._possible(text, bounds)
        if possible is None:
            return self._for(text).findall(text, *bounds)
        return [match.group() for match in self._matches(text, possible)]

    def finditer(self, text: str, *bounds: int):
        possible = self._possible(text, bounds)
        if possible is None:
            return self._for(text).finditer(text, *bounds)
        return self._matches(text, possible)


MAX_INDEXED = 600  # characters: a clause, not an article


def _needs_beyond(fragment: str, flags: int, end: int) -> bool:
    """Whether a fragment's first character is a literal that matches no character below
    `end` (under IGNORECASE some do: the Kelvin sign matches 'k'); for a fragment opening with
    a group, '(?:служащ|учител)...', whether every alternative of the group does."""
    body = fragment[2:] if fragment.startswith(r"\b") else fragment
    scoped = SCOPED.match(body)  # '(?-i:...)': as its content
    if scoped and not body.startswith("(?:"):
        close = group_end(body)
        if close is None or body[close + 1:close + 2] in QUANTIFIERS:
            return False
        return all(_needs_beyond(alternative, flags, end)
                   for alternative in top_level_parts(body[scoped.end():close]))
    choice = _leading_choice(body)  # '(?:служащ|учител)...', '[Ττ]εχνητ': every alternative
    if choice is not None:
        return all(_needs_beyond(alternative, flags, end) for alternative in choice[0])
    first, after = body[:1], body[1:2]
    if not first or ord(first) < end or first in "\\[(.^$" or after in ("?", "*", "{"):
        return False
    letter = re.compile(re.escape(first), flags)
    return not any(letter.fullmatch(chr(code)) for code in range(end))


def _rx(*parts: str, flags: int = IGNORECASE) -> re.Pattern | Cue:
    """One alternation, with its twins (see Cue) when some branches need other scripts and
    its literals when every branch has some."""
    full = _alternation(parts, flags)
    latin = [p for p in parts if not _needs_beyond(p, flags, ord(LATIN_END))]
    ascii_only = [p for p in latin if not _needs_beyond(p, flags, 128)]
    branches = _as_read(parts)
    needles = _needles(branches)
    if len(ascii_only) == len(parts):
        return full if needles is None else Cue(full, full, full, branches, needles)
    return Cue(full, _alternation(latin or [NEVER], flags),
               _alternation(ascii_only or [NEVER], flags), branches, needles)


def _needles(parts: tuple[str, ...]) -> Needles | None:
    """The literals of each branch, when each has some; none for a pattern anchored at the
    start of its text (the engine tries one place only)."""
    if any(part.startswith("^") for part in parts):
        return None
    literals = [required_literals(part) for part in parts]
    return None if None in literals else Needles(literals)


def fast_alternation(parts: list[str], flags: int = IGNORECASE) -> re.Pattern | Cue:
    """Fragments as one pattern built like the cues' (shared leading \\b, grouped by first
    letter, script twins): for other data-driven lexicons (events/deal.py)."""
    return _rx(*(parts or [NEVER]), flags=flags)


def grouped_alternation(parts: list[str], flags: int = IGNORECASE) -> str:
    """Fragments as the inside of one group, grouped by first letter as the cues' are: the
    same matches, in the same order of preference, several times faster than a plain
    alternation of many words (events/dates.py: the month names of every language)."""
    return _by_first_letter(parts, flags) if parts else NEVER


def _alternation(parts, flags: int) -> re.Pattern:
    """Branches that start at a word boundary share a single leading \\b, which makes matching
    about four times faster than testing \\b in every branch, and are grouped by their first
    letter, which makes it about 1.6 times faster again; so do the case-sensitive ones
    ('(?-i:\\bwould\\b)'), under one '(?-i:\\b'. The other branches (CJK, Arabic,
    punctuation) are grouped by their first character too."""
    cased = [p[len(CASED_WORD):-1] for p in parts if _is_cased_word(p)]
    bounded = [p[2:] for p in parts if p.startswith(r"\b")]
    others = [p for p in parts if not p.startswith(r"\b") and not _is_cased_word(p)]
    branches = [r"\b(?:" + _by_first_letter(bounded, flags) + ")"] if bounded else []
    if cased:
        branches.append(CASED_WORD + "(?:" + _by_first_letter(cased, flags & ~IGNORECASE) + "))")
    branches += [_by_first_letter(others, flags)] if others else []
    return re.compile("|".join(branches), flags)


CASED_WORD = r"(?-i:\b"


def _as_read(parts) -> tuple[str, ...]:
    """Each fragment as _alternation reads it (one opening with \\b shares that \\b with all
    its branches: '\\bfoo|bar' is '\\b(?:foo|bar)'), in the order it prefers them."""
    return (*(r"\b(?:" + p[2:] + ")" for p in parts if p.startswith(r"\b")),
            *(p for p in parts if _is_cased_word(p)),
            *(p for p in parts if not p.startswith(r"\b") and not _is_cased_word(p)))


def _is_cased_word(fragment: str) -> bool:
    """A whole fragment in one case-sensitive group opening at a word boundary."""
    return fragment.startswith(CASED_WORD) and group_end(fragment) == len(fragment) - 1


LITERAL_PUNCTUATION = ",;:'’\"«»“”-–—/&"  # first characters that stand for themselves


def _by_first_letter(parts: list[str], flags: int) -> str:
    """'contract|award|accord' as 'c(?:ontract)|a(?:ward|ccord)': the same matches in the same
    order of preference (branches with different first letters cannot match at the same place;
    a branch that does not start with a plain letter keeps its position between runs). Letters
    of any script group alike: 'контракт|договор' too."""
    segments: list[str] = []
    run: dict[str, list[str]] = {}
    for part in dict.fromkeys(p for given in parts for p in _spelled_out(given, flags)):
        first = part[:1]
        if (first.isalnum() or first in LITERAL_PUNCTUATION) and len(first.lower()) == 1 \
                and part[1:2] not in ("?", "*", "+", "{") and not _top_level_bar(part):
            run.setdefault(first.lower() if flags & IGNORECASE else first, []).append(part[1:])
            continue
        segments += [f"{c}(?:{'|'.join(f'(?:{r})' for r in rest)})" for c, rest in run.items()]
        segments.append(f"(?:{part})")
        run = {}
    segments += [f"{c}(?:{'|'.join(f'(?:{r})' for r in rest)})" for c, rest in run.items()]
    return "|".join(segments)


MAX_SPELLED_OUT = 16


def _spelled_out(part: str, flags: int) -> list[str]:
    """A fragment opening with a choice, as one fragment a choice, so that each can join its
    first letter's group: '[Kk]unstmatig' as 'Kunstmatig', 'kunstmatig' (one under
    IGNORECASE); '(?:value|cost) of' as 'value of', 'cost of'. The same matches: alternatives
    with different first letters cannot match at the same place."""
    choice = _leading_choice(part)
    if choice is None:
        return [part]
    choices, rest = choice
    if part.startswith("["):
        choices = list(dict.fromkeys(m.lower() if flags & IGNORECASE else m for m in choices))
    if len(choices) > MAX_SPELLED_OUT or not all(choices):
        return [part]
    return [spelled for choice in choices for spelled in _spelled_out(choice + rest, flags)]



def _leading_choice(part: str) -> tuple[list[str], str] | None:
    """The alternatives a fragment opens with, and what follows them: '[Kk]unst' as
    (['K', 'k'], 'unst'), '(?:value|cost) of' as (['value', 'cost'], ' of'); None when it
    opens with neither a class of letters nor a group, or repeats the choice."""
    if part.startswith("["):
        close = part.find("]")
        if close < 0 or not part[1:close].isalnum():
            return None
        choices, rest = list(part[1:close]), part[close + 1:]
    elif part.startswith("(?:"):
        close = group_end(part)
        if close is None:
            return None
        choices, rest = top_level_parts(part[3:close]), part[close + 1:]
    else:
        return None
    return None if rest[:1] in QUANTIFIERS else (choices, rest)


def _top_level_bar(pattern: str) -> bool:
    """Whether the pattern is itself an alternation ('a|b'), outside groups and classes."""
    return len(top_level_parts(pattern)) > 1


class LanguageFileError(ValueError):
    """A language file is malformed; the message names the file and the entry."""


TYPES = ("contract", "authorization", "pilot", "deployment", "access", "partnership")
DEAL_KEYS = ("value_ceiling_before", "value_ceiling_after", "value_obligated",
             "value_nominal_after", "value_not_deal", "value_free", "value_undisclosed",
             "stage_cancelled", "stage_retired", "stage_continues")
# The keys of a language file that hold regex fragments; all compile ignoring case but those
# whose case carries meaning (a name's capital, a cue written in capitals).
CASED_KEYS = frozenset({"ai", "clause_split", "body_head", "body_head_weak", "body_name_word",
                        "body_final"})
FRAGMENT_KEYS: dict[str, int] = {key: 0 if key in CASED_KEYS else IGNORECASE for key in (
    *TYPES, "ai", "clause_split", "not_a_supply", "government", "partner", "background",
    "country_context", "country_qualifier_after", "agency_context_after",
    "agency_context_before", "demonym_qualifier", "demonym_recipient", "furniture", "caption",
    "hosting_after", "cloud_name", "announce", "listing", "memorandum", "pilot_stated",
    "staff_use",
    # partner roles (events/partners.py): lists of delivery partners, investors, the supply
    # referred back to, a company named as a product's maker
    "partner_list", "investor", "supply_anaphora", "supplied_by", "demonym_recipient_before",
    # the model a product is built on: lends its maker to the supply clause before (derive.py)
    "product_basis",
    # unknown companies by the noun before their name: an integrator's, a reseller's...; any
    # company's where the clause speaks of integrating or hosting (events/partners.py)
    "partner_noun", "company_noun", "delivery",
    # a body whose name makes it a watchdog: it comments, audits or reviews, it does not buy
    "watchdog",
    # public bodies by the shape of their names (events/openbodies.py)
    "body_head", "body_head_weak", "body_qualifier", "body_name_word", "body_connector",
    "body_conjunction", "place_connector", "government_frame", "city_frame", "government_noun",
    "body_final",
    # deal facts (events/deal.py): what kind of number an amount is, by the words right
    # before or after it; a deal free or its terms undisclosed; a deal ended
    *DEAL_KEYS)}
# Placeholders body fragments may hold (openbodies.py expands them): a letter of either case,
# the language's body_qualifier words.
PLACEHOLDERS = re.compile(r"\{[ULq]\}")
# The other keys: the type of their value and whether they belong in _common.yml.
OTHER_KEYS: dict[str, tuple[type, bool]] = {
    "demonym_endings": (list, False), "home_country": (str, False),
    "country_locale": (str, False), "home_markers": (dict, False), "order": (list, True),
    "demonym_from_name": (dict, False), "months": (dict, False), "weekdays": (dict, False),
    "days_before": (dict, False),
    "language_home": (dict, True), "language_alias": (dict, True),
    "country_name_stop": (list, True)}
COMMON = "_common"
LANGUAGES_DIR = DATA_DIR / "languages"
NEVER = r"(?!)"


def _read_language_file(path: Path) -> dict:
    """One file, checked entry by entry: a typo must fail at import, naming the file and the
    entry, rather than leave a cue that silently never matches."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    except yaml.YAMLError as error:
        raise LanguageFileError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise LanguageFileError(f"{path}: expected a mapping of keys to lists")
    for key, value in data.items():
        _check_key(path, key, value)
    return data


def _check_key(path: Path, key: object, value: object) -> None:
    if key in FRAGMENT_KEYS:
        _check_fragments(path, key, value)
    elif key in OTHER_KEYS:
        _check_other(path, key, value)
    else:
        raise LanguageFileError(f"{path}: unknown key {key!r}")


def _check_fragments(path: Path, key: str, value: object) -> None:
    _check_strings(path, key, value)
    for index, fragment in enumerate(value):
        try:
            re.compile(PLACEHOLDERS.sub("x", fragment), FRAGMENT_KEYS[key])
        except re.error as error:
            raise LanguageFileError(
                f"{path}: {key}[{index}] {fragment!r} does not compile: {error}") from error


def _check_other(path: Path, key: str, value: object) -> None:
    kind, common_only = OTHER_KEYS[key]
    if common_only != (path.stem == COMMON):
        where = "only in" if common_only else "not in"
        raise LanguageFileError(f"{path}: key {key!r} belongs {where} {COMMON}.yml")
    if key == "country_locale" and value is None:  # no catalogue of country names
        return
    if not isinstance(value, kind):
        raise LanguageFileError(f"{path}: {key} must be a {kind.__name__}, not {value!r:.80}")
    if kind is list:
        _check_strings(path, key, value)
    if key in ("home_country", "language_home", "language_alias"):
        _check_languages(path, key, value)
    if key in DATE_WORD_RANGES:
        _check_date_words(path, key, value)
    if key == "home_markers":
        for code in value:
            _check_codes(path, key, {path.stem: code})
        for markers in value.values():
            _check_strings(path, key, markers)


# weekdays: Monday is 0; days_before: days before the publication day ('yesterday': 1)
DATE_WORD_RANGES = {"months": range(1, 13), "weekdays": range(7), "days_before": range(1, 3)}


def _check_date_words(path: Path, key: str, words: dict) -> None:
    for word, number in words.items():
        if not isinstance(word, str) or word != word.lower() or number not in DATE_WORD_RANGES[key]:
            raise LanguageFileError(
                f"{path}: {key} {word!r}: {number!r} (lower-case words, numbers in "
                f"{DATE_WORD_RANGES[key].start}-{DATE_WORD_RANGES[key].stop - 1})")


def date_words(languages: dict[str, dict], key: str) -> dict[str, int]:
    """One date-word table over all languages; a word two languages read differently is an
    error, since dates are found without knowing the language."""
    merged: dict[str, int] = {}
    for code, table in languages.items():
        for word, number in table.get(key, {}).items():
            if merged.setdefault(word, number) != number:
                raise LanguageFileError(f"{code}.yml: {key} {word!r} is {merged[word]} elsewhere")
    return merged


def _check_strings(path: Path, key: str, value: object) -> None:
    if not isinstance(value, list):
        raise LanguageFileError(f"{path}: {key} must be a list, not {value!r:.80}")
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not entry:
            raise LanguageFileError(f"{path}: {key}[{index}] {entry!r}: not a non-empty string")


def _check_codes(path: Path, key: str, homes: dict) -> None:
    """Home governments are ISO alpha-3 codes of languages named by a string (YAML reads an
    unquoted `no:` as false): a slip would point weak aliases nowhere."""
    for language, code in homes.items():
        if not isinstance(language, str):
            raise LanguageFileError(f"{path}: {key}: {language!r} is not a language code; quote it")
        if not isinstance(code, str) or pycountry.countries.get(alpha_3=code) is None:
            raise LanguageFileError(
                f"{path}: {key} {code!r} ({language}) is not an ISO 3166-1 alpha-3 code")


def _check_languages(path: Path, key: str, value: object) -> None:
    """Home governments by language, or the language files codes read: codes and file names
    are quoted strings (YAML reads an unquoted `no:` as false)."""
    if key != "language_alias":
        _check_codes(path, key, value if key == "language_home" else {path.stem: value})
        return
    for code, file in value.items():
        if not isinstance(code, str) or not isinstance(file, str):
            raise LanguageFileError(
                f"{path}: language_alias: {code!r}: {file!r} is not a code and a file name; "
                "quote them")


@cache
def load_languages(directory: Path = LANGUAGES_DIR) -> dict[str, dict]:
    """Every file of the directory by name: _common first, then the languages in merge order
    (_common's `order`, then the others alphabetically)."""
    files = {path.stem: _read_language_file(path) for path in sorted(directory.glob("*.yml"))}
    if not files:
        raise LanguageFileError(f"{directory}: no language files")
    common = files.pop(COMMON, {})
    first = [code for code in common.get("order", []) if code in files]
    return {COMMON: common, **{code: files[code] for code in first},
            **{code: table for code, table in files.items() if code not in first}}


def fragments(languages: dict[str, dict], key: str) -> list[str]:
    """One key's entries over all languages, in merge order, each once."""
    return list(dict.fromkeys(entry for table in languages.values()
                              for entry in table.get(key, [])))


def _cue(languages: dict[str, dict], key: str) -> re.Pattern:
    """All languages' fragments of a cue as one pattern (an article's language is not always
    detected correctly)."""
    return _rx(*(fragments(languages, key) or [NEVER]), flags=FRAGMENT_KEYS[key])


def _words(languages: dict[str, dict], *keys: str) -> str:
    """The entries of some keys as the inside of one group, for a pattern with a fixed frame."""
    entries = [entry for key in keys for entry in fragments(languages, key)]
    return "|".join(f"(?:{entry})" for entry in dict.fromkeys(entries)) or NEVER


def language_home(languages: dict[str, dict]) -> dict[str, str]:
    """Language -> the government it mostly means, where one dominates."""
    home = dict(languages.get(COMMON, {}).get("language_home", {}))
    home.update((code, table["home_country"]) for code, table in languages.items()
                if table.get("home_country"))
    return home


def language_aliases(languages: dict[str, dict]) -> dict[str, str]:
    """Code as identified -> the language file that reads it ('no' and 'nn' -> 'nb')."""
    return dict(languages.get(COMMON, {}).get("language_alias", {}))


def home_markers(languages: dict[str, dict]) -> dict[str, list[tuple[str, re.Pattern]]]:
    """Language -> (government, pattern of the words that mark its variety): where a
    language has two governments (Brazil and Portugal), which one a text means."""
    return {code: [(home, re.compile("|".join(f"(?:{m})" for m in markers), IGNORECASE))
                   for home, markers in table["home_markers"].items()]
            for code, table in languages.items() if table.get("home_markers")}


def compile_cues(languages: dict[str, dict]) -> dict[str, re.Pattern]:
    """Every cue pattern, by the name this module exports it under (TYPE_CUES by type)."""
    return {
        **{t: _cue(languages, t) for t in TYPES},
        "ANY_TYPE": _rx(*([f for t in TYPES for f in fragments(languages, t)] or [NEVER])),
        "AI_CUE": _cue(languages, "ai"),
        "CLAUSE_SPLIT": _cue(languages, "clause_split"),
        "NOT_A_SUPPLY": _cue(languages, "not_a_supply"),
        "COUNTRY_CONTEXT": _cue(languages, "country_context"),
        "AGENCY_CONTEXT_AFTER": _rx(
            r"^\W{0,3}(?:['’]s\s+)?(?:favou?rite\s+)?(?:"
            + _words(languages, "agency_context_after") + r")\b"),
        "AGENCY_CONTEXT_BEFORE": _rx(
            r"\b(?:" + _words(languages, "agency_context_before") + r")\s*$"),
        "GOVERNMENT_WORDS": _cue(languages, "government"),
        "PARTNER_CUES": _cue(languages, "partner"),
        "COUNTRY_QUALIFIER_AFTER": _rx(
            r"^\W{0,2}(?:[\w-]+\s+)?(?:" + _words(languages, "country_qualifier_after") + r")\b"),
        "DEMONYM_RECIPIENT": _rx(
            r"^\W{0,3}(?:(?:" + _words(languages, "demonym_qualifier") + r")\s+)?(?:"
            + _words(languages, "demonym_recipient") + r")\b"),
        "DEMONYM_RECIPIENT_BEFORE": _rx(
            r"\b(?:" + _words(languages, "demonym_recipient_before") + r")\s+$"),
        "BACKGROUND": _cue(languages, "background"),
        "WATCHDOG": _cue(languages, "watchdog"),
        "FURNITURE": re.compile(
            r"^\W*(?:" + _words(languages, "furniture", "caption") + r")s?\b|\((?:"
            + _words(languages, "caption") + r")s?\b", IGNORECASE),
        "CLOUD_NAME": _cue(languages, "cloud_name"),
        "HOSTING_AFTER": re.compile(
            r"^[^.;]{0,40}?\b(?:" + _words(languages, "hosting_after") + r")\b", IGNORECASE),
        "ANNOUNCE_CUE": _cue(languages, "announce"),
        "LISTING_CUE": _cue(languages, "listing"),
        "MEMORANDUM_CUE": _cue(languages, "memorandum"),
        "PILOT_STATED": _cue(languages, "pilot_stated"),
        "STAFF_USE": _cue(languages, "staff_use"),
        "PRODUCT_BASIS": _cue(languages, "product_basis"),
        **{key.upper(): _cue(languages, key) for key in DEAL_KEYS},
    }


LANGUAGES = load_languages()
_CUES = compile_cues(LANGUAGES)

# Event types, strongest evidence first. Each pattern marks a supply reported as fact.
TYPE_CUES: dict[str, re.Pattern] = {t: _CUES[t] for t in TYPES}
# Any type cue at all: whether a clause reports a supply, in one pass.
ANY_TYPE = _CUES["ANY_TYPE"]
TYPE_PRIORITY = ["contract", "authorization", "pilot", "deployment", "partnership", "access"]
# In a headline 'partners with X to deploy' is a partnership whose content is a deployment.
TITLE_TYPE_PRIORITY = ["contract", "authorization", "pilot", "partnership", "deployment", "access"]

AI_CUE = _CUES["AI_CUE"]
# Clause boundaries: a negative clause ('guidelines forbid X') must not veto its sibling
# ('but it is making an exception for US agencies').
CLAUSE_SPLIT = _CUES["CLAUSE_SPLIT"]
# Sentences that must not count as a supply: unauthorized use, intentions, regulation, money.
NOT_A_SUPPLY = _CUES["NOT_A_SUPPLY"]
# Words that make a country mention a mere context, not a recipient.
COUNTRY_CONTEXT = _CUES["COUNTRY_CONTEXT"]
# An agency named as someone's customer in general, or through its officials, is not a recipient
# of this supply: 'a major Pentagon contractor', 'Army CIO said', 'the Pentagon's budget'.
AGENCY_CONTEXT_AFTER = _CUES["AGENCY_CONTEXT_AFTER"]
AGENCY_CONTEXT_BEFORE = _CUES["AGENCY_CONTEXT_BEFORE"]
GOVERNMENT_WORDS = _CUES["GOVERNMENT_WORDS"]
PARTNER_CUES = _CUES["PARTNER_CUES"]
# '-based', 'allies', 'rivals' right after a country: it qualifies someone else.
COUNTRY_QUALIFIER_AFTER = _CUES["COUNTRY_QUALIFIER_AFTER"]
DEMONYM_RECIPIENT = _CUES["DEMONYM_RECIPIENT"]
# 'governo brasileiro', 'gobierno mexicano': a government noun right before a demonym.
DEMONYM_RECIPIENT_BEFORE = _CUES["DEMONYM_RECIPIENT_BEFORE"]
# A supply stated as earlier background ('This follows GSA's decision...', 'previously supplied
# the US Army', 'the March 2024 award for TITAN'): a separate, earlier event.
BACKGROUND = _CUES["BACKGROUND"]
# A watchdog's name: data protection, ombudsman, audit (derive._is_watchdog).
WATCHDOG = _CUES["WATCHDOG"]
# Page furniture that trafilatura may keep: teasers of other stories, captions, credits.
FURNITURE = _CUES["FURNITURE"]
# A company named by its cloud ('AWS', 'Microsoft Azure', 'Google Cloud') is hosting.
CLOUD_NAME = _CUES["CLOUD_NAME"]
# '... AWS and Microsoft host the models', '... provide the infrastructure'.
HOSTING_AFTER = _CUES["HOSTING_AFTER"]
# An announcement: a date written beside it is the event's date.
ANNOUNCE_CUE = _CUES["ANNOUNCE_CUE"]
# A listing that lets others buy (a schedule, OneGov, FedRAMP, a nominal per-agency price):
# with no buyer of its own, the supply is an authorization.
LISTING_CUE = _CUES["LISTING_CUE"]
# A memorandum of understanding or letter of intent: a partnership unless a purchase is stated.
MEMORANDUM_CUE = _CUES["MEMORANDUM_CUE"]
# The supply is called a pilot, trial or proof of concept: a pilot, whatever the deal behind it.
PILOT_STATED = _CUES["PILOT_STATED"]
# The receiver's own people get access to the AI or use it: a deployment.
STAFF_USE = _CUES["STAFF_USE"]
# 'The assistant is built on OpenAI's GPT-4o': the maker of what a supply clause supplies.
PRODUCT_BASIS = _CUES["PRODUCT_BASIS"]
# Deal facts (events/deal.py) by key: DEAL_CUES["value_ceiling_before"] finds "up to" ($X).
DEAL_CUES = {key: _CUES[key.upper()] for key in DEAL_KEYS}
# 'German', 'française', 'estadounidense' qualify a noun.
DEMONYM_ENDINGS = tuple(fragments(LANGUAGES, "demonym_endings"))
# Where a language is spoken by one government above all, its weak aliases ('Ministerio de
# Defensa', 'ministère des Armées') point there when no other country is named.
LANGUAGE_HOME = language_home(LANGUAGES)
HOME_MARKERS = home_markers(LANGUAGES)
LANGUAGE_ALIAS = language_aliases(LANGUAGES)


def language_file(language: str | None) -> str | None:
    """The language file a text's code reads: the code without its region ('pt-BR', 'nb_NO'),
    lower case, under its alias ('no' and 'nn' read nb.yml)."""
    code = (language or "").lower().replace("_", "-").split("-")[0]
    return LANGUAGE_ALIAS.get(code, code) or None


def home_country(language: str | None, text: str) -> str | None:
    """The government a text in this language most likely means: the variety its words mark
    (R$ and 'equipe' for Brazil, € and 'equipa' for Portugal), else the language's home."""
    language = language_file(language) or ""
    counts = [(len(pattern.findall(text)), home)
              for home, pattern in HOME_MARKERS.get(language, [])]
    best = max(counts, default=(0, None))
    ties = sum(1 for count, _ in counts if count == best[0])
    return best[1] if best[0] and ties == 1 else LANGUAGE_HOME.get(language)
