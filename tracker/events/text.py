"""Sentence splitting that survives 'U.S. Army', 'Sept. 27', Japanese '。' and the Devanagari
danda '।'."""

from __future__ import annotations

import re
from functools import lru_cache

ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "corp", "co", "ltd",
    "gen", "lt", "col", "maj", "capt", "adm", "sgt", "sen", "rep", "gov", "dept", "no", "vs",
    "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "est", "mme", "m", "bzw", "ca", "nr", "z.b", "sra",
    "mio", "mrd",  # German amounts: "200 Mio. Euro"
}
BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+|[。！？।॥]+\s*|\n+")
LAST_TOKEN = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*\s*$")
TOKEN_TAIL = 64  # the last word is looked for in this many characters, not the whole sentence


@lru_cache(maxsize=8)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of sentences; abbreviations and initials do not end a sentence.
    Remembered for the last few texts: the open-vocabulary finders and the clause splitter
    both split the same article."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        end = match.end()
        if "\n" not in match.group() and match.group()[0] == ".":
            token = LAST_TOKEN.search(_last_word(text, start, match.start() + 1))
            word = token.group(1).lower().rstrip(".") if token else ""
            following = text[end:end + 1]
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or \
                    (word.isdigit() and len(word) <= 2) or \
                    (following and following.islower()):
                continue
        if text[start:match.end()].strip():
            spans.append((start, match.end()))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


def _last_word(text: str, start: int, end: int) -> str:
    """The text's last whitespace-free run before `end`, in at most TOKEN_TAIL characters: the
    only place LAST_TOKEN can match, and searching only there is linear rather than quadratic
    in the window."""
    return text[max(start, end - TOKEN_TAIL):end].rsplit(None, 1)[-1]
