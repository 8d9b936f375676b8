"""The structure of a cue fragment (its top-level alternatives, its groups) and the literal
text every match of it must contain. A fragment none of whose literals a clause contains
cannot match it, and looking the clause's four-character pieces up in a table of all cues'
literals is many times cheaper than running a cue's alternation of several hundred fragments
over the clause, which most clauses fail anyway."""

from __future__ import annotations

import re
from functools import lru_cache

SCOPED = re.compile(r"\(\?[a-zA-Z]*-?[a-zA-Z]*:")  # '(?-i:', '(?i:'
QUANTIFIERS = ("?", "*", "+", "{")
QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d*)(?:,\d*)?\})\??")
ZERO_WIDTH = re.compile(r"\\[bBAZ]|[\^$]")
LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
NAMED_GROUP = re.compile(r"\(\?P<\w+>")
CHARACTER_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
# One character of no single known value: a class escape, a character given by its code
# (read as unknown, for simplicity), any character.
ONE_CHARACTER = re.compile(
    r"\\[dDwWsSafnrtv]|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\.")
META = frozenset(".^$*+?{}[]()|\\")
# Texts are compared folded: a character the regular expression engine matches with another
# one under IGNORECASE folds to the same string. casefold() does this for all but the Turkish
# dotted and dotless i, which the engine matches with 'i'. (tests/test_literals.py checks the
# whole Basic Multilingual Plane against the engine.)
FOLD_FIRST = str.maketrans({"İ": "i", "ı": "i"})
PIECE = 4  # the length of the pieces a clause is indexed by
MAX_LITERAL = 24  # a longer literal selects no better and costs a longer comparison
MAX_OPENINGS = 64  # more ways than this through a pattern's opening: read only its first run


def fold(text: str) -> str:
    """The text as literals are compared with it (see FOLD_FIRST)."""
    return text.translate(FOLD_FIRST).casefold()


def top_level_parts(pattern: str) -> list[str]:
    """'a|b(?:c|d)' as ['a', 'b(?:c|d)']: split at the bars outside groups and classes."""
    cuts = [index for index, char, depth in _depths(pattern) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[a + 1:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def group_end(pattern: str) -> int | None:
    """Index of the parenthesis closing the group the pattern opens with."""
    return next((index for index, char, depth in _depths(pattern)
                 if char == ")" and depth == 1), None)


def _depths(pattern: str):
    """(index, character, group depth before it) of the pattern's characters that are neither
    escaped nor inside a character class."""
    depth, escaped, in_class = 0, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            yield index, char, depth
            depth += (char == "(") - (char == ")")


def required_literals(fragment: str) -> frozenset[str] | None:
    """Literal strings one of which every match of the fragment contains, or None when the
    fragment has a branch without any (then nothing can be ruled out by its literals). Each
    way through the fragment gives its first literal of PIECE characters or more, else its
    longest: 'contracts? (?:with|for)' gives {'contract'}; '(?:onder)?teken' gives {'teken'};
    '\\bgo(?:es)? live' gives {' live'}; '[Mm]inistère' gives {'Ministère', 'ministère'}."""
    literals = _union(_literals(branch) for branch in top_level_parts(fragment))
    return None if literals is None else frozenset(literal[:MAX_LITERAL] for literal in literals)


@lru_cache(maxsize=4096)
def _literals(pattern: str) -> frozenset[str] | None:
    """The literals of every way through the pattern, one per way, or None when some way
    holds none this reader can see. (Remembered: groups in a row ask again of their rest.)"""
    if not pattern:
        return None
    skipped = _zero_width(pattern)
    if skipped is not None:
        return _literals(pattern[skipped:])
    if pattern[0] == "(":
        return _group_literals(pattern)
    if pattern[0] == "[":
        return _class_literals(pattern)
    atom = ONE_CHARACTER.match(pattern)
    if atom:
        return _literals(_after_quantifier(pattern, atom.end()))
    literal, end = _literal_run(pattern)
    if literal:
        found = frozenset(literal + more for more in _openings(pattern[end:]) or {""})
        return _longer(found, lambda: _literals(_after_quantifier(pattern, end)))
    width = _literal_width(pattern)  # a first character made optional: 's?', '\\-?'
    return None if width is None else _literals(_after_quantifier(pattern, width))


def _longer(found: frozenset[str], later) -> frozenset[str] | None:
    """The literals found, or those later in the pattern when they are all longer: a short
    literal ('go', ',') is in nearly every clause and rules out none."""
    shortest = min(map(len, found))
    if shortest >= PIECE:
        return found
    other = later()
    return other if other is not None and min(map(len, other)) > shortest else found


def _zero_width(pattern: str) -> int | None:
    """Where the pattern goes on after an assertion it opens with (\\b, ^, a look-around)."""
    anchor = ZERO_WIDTH.match(pattern)
    if anchor:
        return anchor.end()
    if pattern.startswith(LOOKAROUNDS):
        close = group_end(pattern)
        return None if close is None else close + 1
    return None


def _group_opening(pattern: str) -> int | None:
    """Where the content of the group the pattern opens with begins; None for a kind of group
    this reader does not know ('(?i)', '(?#...)')."""
    scoped = SCOPED.match(pattern) or NAMED_GROUP.match(pattern)
    return scoped.end() if scoped else 3 if pattern.startswith("(?:") else \
        1 if not pattern.startswith("(?") else None


def _group_literals(pattern: str) -> frozenset[str] | None:
    close = group_end(pattern)
    opening = _group_opening(pattern)
    if close is None or opening is None:
        return None
    inside, rest = pattern[opening:close], pattern[close + 1:]
    quantifier = QUANTIFIER.match(rest)
    if quantifier is None:
        return _union(_literals(part + rest) for part in top_level_parts(inside))
    after = rest[quantifier.end():]
    if _may_repeat_zero(quantifier):
        return _literals(after)  # the group may be absent
    # present at least once, and what follows it may be its own repetition
    inner = _union(_literals(part) for part in top_level_parts(inside))
    return _literals(after) if inner is None else _longer(inner, lambda: _literals(after))


def _class_literals(pattern: str) -> frozenset[str] | None:
    """'[Mm]inist' as {'Minist', 'minist'}; any other class is one character of no known
    value, and the literal that follows it is the one required."""
    match = CHARACTER_CLASS.match(pattern)
    if match is None:
        return None
    members, rest = _letter_class(pattern)
    if members is not None:
        return _union(_literals(member + rest) for member in members)
    return _literals(_after_quantifier(pattern, match.end()))


def _letter_class(pattern: str) -> tuple[set[str] | None, str]:
    """The members of a class of letters or digits the pattern opens with ('[Mm]', not
    '[a-z]' nor '[Mm]+'), and what follows the class."""
    match = CHARACTER_CLASS.match(pattern)
    if match is None:
        return None, pattern
    members, rest = match.group()[1:-1], pattern[match.end():]
    return (set(members) if members.isalnum() and not QUANTIFIER.match(rest) else None), rest


def _literal_run(pattern: str) -> tuple[str, int]:
    """The literal characters the pattern opens with, and where the pattern goes on after
    them; a character a quantifier makes optional is left out, one repeated ('+') ends the
    run."""
    literal, index = [], 0
    while index < len(pattern):
        width = _literal_width(pattern[index:index + 2])
        if width is None:
            break
        after = pattern[index + width:index + width + 1]
        if after in ("?", "*", "{"):
            break
        literal.append(pattern[index + width - 1])
        index += width
        if after == "+":
            break  # ends the run, the quantifier left for the caller to see
    return "".join(literal), index


@lru_cache(maxsize=4096)
def _openings(pattern: str) -> frozenset[str] | None:
    """The literal text each way through the pattern opens with, read on through groups and
    classes of letters: 'us(?:es|ed|ing)' as {'uses', 'used', 'using'}, 'IL[2456]' as
    {'IL2', 'IL4', 'IL5', 'IL6'}; None when some way opens with no literal."""
    if pattern[:1] == "(":
        close = group_end(pattern)
        opening = _group_opening(pattern)
        if close is None or opening is None or QUANTIFIER.match(pattern, close + 1):
            return None
        rest = pattern[close + 1:]
        found = _union(_openings(part + rest) for part in top_level_parts(pattern[opening:close]))
    elif pattern[:1] == "[":
        members, rest = _letter_class(pattern)
        found = None if members is None else _union(_openings(m + rest) for m in members)
    else:
        literal, end = _literal_run(pattern)
        more = _openings(pattern[end:]) if literal else None
        found = frozenset(literal + m for m in more) if more else \
            frozenset({literal}) if literal else None
    return found if found is None or len(found) <= MAX_OPENINGS else None


def _literal_width(pattern: str) -> int | None:
    """How many characters spell the pattern's first character as a literal: 1, or 2 for an
    escaped one ('\\.'); None for an operator or an escape this reader does not know ('\\1')."""
    if pattern[:1] == "\\":
        return 2 if pattern[1:2] and not pattern[1:2].isalnum() else None
    return None if not pattern or pattern[0] in META else 1


def _after_quantifier(pattern: str, end: int) -> str:
    quantifier = QUANTIFIER.match(pattern, end)
    return pattern[quantifier.end() if quantifier else end:]


def _may_repeat_zero(quantifier: re.Match) -> bool:
    text = quantifier.group()
    return text[0] in "?*" or (text[0] == "{" and quantifier.group(1) in ("", "0"))


def _union(sets) -> frozenset[str] | None:
    found: set[str] = set()
    for literals in sets:
        if literals is None:
            return None
        found |= literals
    return frozenset(found)


class Needles:
    """Which branches of a cue can match a text: each branch's literals, by their numbers in
    the table of all cues' literals."""

    __slots__ = ("owners", "numbers")

    def __init__(self, literals_by_branch: list[frozenset[str]]):
        owners: dict[int, set[int]] = {}
        for branch, literals in enumerate(literals_by_branch):
            for literal in literals:
                owners.setdefault(_number(fold(literal)), set()).add(branch)
        self.owners = {number: frozenset(branches) for number, branches in owners.items()}
        self.numbers = frozenset(self.owners)

    def possible(self, text: str) -> frozenset[int]:
        """The branches one of whose literals occurs in the text: no other can match it."""
        found = _present(text) & self.numbers
        if not found:
            return found
        if len(found) == 1:
            return self.owners[next(iter(found))]
        return frozenset().union(*(self.owners[number] for number in found))


# All cues' literals, folded, numbered, and indexed by their first PIECE characters (by their
# first character when shorter): a text is looked up once for all cues asked of it.
_NUMBERS: dict[str, int] = {}
_BY_PIECE: dict[str, list[tuple[str, int]]] = {}
_BY_FIRST: dict[str, list[tuple[str, int]]] = {}
_PIECES: set[str] = set()
_FIRSTS: set[str] = set()


def _number(literal: str) -> int:
    number = _NUMBERS.get(literal)
    if number is None:
        number = _NUMBERS[literal] = len(_NUMBERS)
        index, key = (_BY_PIECE, literal[:PIECE]) if len(literal) >= PIECE else \
            (_BY_FIRST, literal[:1])
        index.setdefault(key, []).append((literal, number))
        (_PIECES if index is _BY_PIECE else _FIRSTS).add(key)
        _present.cache_clear()  # texts looked up before knew fewer literals
    return number


@lru_cache(maxsize=512)
def _present(text: str) -> frozenset[int]:
    """The numbers of the literals that occur in the text."""
    folded = fold(text)
    pieces = {folded[i:i + PIECE] for i in range(len(folded) - PIECE + 1)}
    found = [number for piece in pieces.intersection(_PIECES)
             for literal, number in _BY_PIECE[piece]
             if len(literal) == PIECE or literal in folded]
    found += [number for first in _FIRSTS.intersection(folded)
              for literal, number in _BY_FIRST[first] if literal in folded]
    return frozenset(found)
