"""The literals a cue's branches require, and the cue that reads only the branches whose
literals a clause holds: it must find exactly what the whole alternation finds."""

import json
import re
from pathlib import Path

import pytest

from tracker.events import cues, openvocab, partners
from tracker.events.cues import Cue, _rx
from tracker.events.literals import fold, required_literals
from tracker.events.text import split_sentences

PROBES = Path(__file__).resolve().parent.parent / "bench" / "probe"


@pytest.mark.parametrize("fragment, literals", [
    (r"\bcontracts?\b", {"contract"}),  # an optional last letter is left out
    (r"\b(?:onder)?teken(?:t|en|de)\b", {"tekent", "tekenen", "tekende"}),  # optional: skipped
    (r"\b[Mm]inistère\b", {"Ministère", "ministère"}),  # a class of letters spells out
    (r"\bgo(?:es)? live\b", {" live"}),  # 'go' is in every clause: the longer one serves
    (r"\bIL[2456]\b", {"IL2", "IL4", "IL5", "IL6"}),  # read on through a class of letters
    (r"\bus(?:es|ed|ing)\s+tools", {"uses", "used", "using"}),  # ... and through a group
    (r",?\s+\bbut\b\s+", {"but"}),
    (r"^\W*(?:total\s+)?(?:contract\s+)?ceiling\b", {"ceiling"}),
    (r"\b\d\d? cents\b", {" cents"}),
    (r"(?<!not )(?-i:\bWould\b)", {"Would"}),  # look-arounds and scoped flags are read past
    (r"ab+cdef", {"cdef"}),  # 'abb...' is not 'abcdef': the run ends at the '+'
    (r"ab+c", {"ab"}),
    (r"\bU\.S\. Army|Pentagon", {"U.S. Army", "Pentagon"}),  # one per top-level branch
    (r"(?:x|y)+zzzz", {"zzzz"}),
    (r"契約", {"契約"}),
])
def test_required_literals(fragment, literals):
    assert required_literals(fragment) == literals


@pytest.mark.parametrize("fragment", [r"(?!)", r"\w+", r"\bfoo|\d+", r"(?i)x", r"\1",
                                      r"[a-z]{3,}", r"(?:foo)?\s*$"])
def test_a_fragment_with_a_branch_of_no_literal_has_none(fragment):
    assert required_literals(fragment) is None


def _needles(pattern):
    return pattern.needles if isinstance(pattern, Cue) else None


def test_a_cue_needs_literals_in_every_branch_and_no_anchor():
    assert _needles(_rx(r"\bcontract", r"\b\w+\b")) is None
    assert _needles(_rx(r"\bcontract", r"\w+ed\b")) is not None  # 'ed' is in every match
    assert _needles(_rx(r"^\W*ceiling", r"\bcap\b")) is None  # tried at one place anyway
    assert _needles(_rx(r"\bcontract", r"\baward")) is not None


def _cased_characters() -> set[str]:
    """Every cased character of every cue's literals, and the ones the engine folds oddly."""
    found = set("İıiIſsSKkΣσςßẞµΜμ")
    for cue in _all_cues():
        for branch in cue.branches:
            found.update(c for c in "".join(required_literals(branch) or ()) if
                         c.lower() != c or c.upper() != c)
    return found


def _all_cues() -> list[Cue]:
    modules = (cues, partners, openvocab)
    found = [value for module in modules for value in vars(module).values()
             if isinstance(value, Cue) and value.needles is not None]
    found += [value for value in cues._CUES.values()
              if isinstance(value, Cue) and value.needles is not None]
    return list({id(cue): cue for cue in found}.values())


def test_folding_agrees_with_the_engine_on_every_cased_character():
    """Whatever the engine matches with a literal's character under IGNORECASE folds to the
    same string: a clause holding a match holds the folded literal."""
    plane = "".join(map(chr, range(0x10000)))
    for char in sorted(_cased_characters()):
        for other in re.compile(re.escape(char), re.IGNORECASE).findall(plane):
            assert fold(other) == fold(char), (char, other)


def _probe_clauses() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(PROBES.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    extra = ["Turkish: İSTANBUL'da SÖZLEŞME imzalandı; ıspanak", "ΣΥΜΒΑΣΗ υπεγράφη, σύμβασης",
             "Straße und STRASSE, ſigned", "\u212aelvin CONTRACT awarded; IL6 and il6"]
    return [text[start:end] for text in texts + extra
            for start, end in split_sentences(text)] + extra


def test_cues_read_by_their_literals_find_what_the_whole_alternation_finds():
    """Every cue with literals, on every clause of the probe sets: the same matches, spans
    and first match as the alternation of all its branches."""
    clauses = _probe_clauses()
    assert len(clauses) > 1000
    checked = 0
    for cue in _all_cues():
        for clause in clauses:
            expected = [m.span() for m in cue.full.finditer(clause)]
            assert [m.span() for m in cue.finditer(clause)] == expected, (cue.full.pattern[:60],
                                                                          clause)
            first = cue.search(clause)
            assert (first.span() if first else None) == (expected[0] if expected else None)
            assert len(cue.findall(clause)) == len(expected)
            checked += bool(expected)
    assert checked > 500  # the clauses exercise the cues, not only their absence


def test_a_text_read_before_a_new_cue_is_read_again_for_its_literals():
    """The look-up of a text is kept for every cue asked of it; a cue built later has
    literals the kept look-up did not know, and must still find them."""
    text = "The zyxwvut programme was signed."
    assert _rx(r"\bprogramme\b").search(text)
    late = _rx(r"\bzyxwvut\b", r"\bqqqqq")
    assert late.search(text) and late.search(text).group() == "zyxwvut"


def test_a_bounded_search_reads_the_whole_alternation():
    cue = _rx(r"\bcontract\b", r"\baward\b")
    text = "award, then a contract"
    assert cue.search(text, 5).group() == "contract"
    assert [m.group() for m in cue.finditer(text, 0, 6)] == ["award"]
