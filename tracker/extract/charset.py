"""Second opinion on a page's charset when the one Scrapy resolved is evidently wrong.

Two failure modes seen on real sites (anchors-reliability.md, B4):
* bytes in one charset declared as UTF-8 (cp1252 sent as `charset=utf-8`): strict UTF-8 fails
  and `errors="replace"` would store U+FFFD in place of every accented letter;
* no declaration at all: Scrapy falls back to cp1252, which turns Windows-1251 Cyrillic (or
  KOI8-R, ISO-8859-x) into Latin-1 mojibake without a single replacement character.
Only then is charset-normalizer asked; correctly labelled pages are decoded as declared.

UTF-16 is told by its bytes, whatever the label says: a byte-order mark, or NUL in every other
byte (ASCII markup in UTF-16). Decoded as UTF-8 such a page is valid text with a NUL between
every two letters, not a single U+FFFD, and was stored as that.
"""

from __future__ import annotations

import codecs
import unicodedata

REPLACEMENT_SHARE = 0.005   # more U+FFFD than this (of all characters): the label is wrong
LATIN_FALLBACKS = {"cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1"}
MOJIBAKE_SHARE = 0.3        # share of letters in U+00C0-U+00FF: French/German text is < 0.1
SNIFF = 200_000


def _latin1_supplement_share(text: str) -> float:
    letters = [c for c in text[:SNIFF] if c.isalpha()]
    if len(letters) < 50:
        return 0.0
    high = sum(1 for c in letters if "\u00c0" <= c <= "\u00ff")
    return high / len(letters)


UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
NUL_SAMPLE = 4096
NUL_SHARE = 0.3  # of the even (or odd) bytes; ASCII text in UTF-16 has NUL in all of them


def utf16_encoding(body: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes are evidently UTF-16, else None."""
    for bom, name in UTF16_BOMS.items():
        if body.startswith(bom):
            return name
    sample = body[:NUL_SAMPLE]
    half = len(sample) // 2
    if half < 32:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > NUL_SHARE * half and even == 0:
        return "utf-16-le"
    if even > NUL_SHARE * half and odd == 0:
        return "utf-16-be"
    return None


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:SNIFF]).best()
    return best.encoding if best is not None else None


def decode_html(body: bytes, encoding: str | None) -> tuple[str, str]:
    """(text, encoding used): the declared/resolved encoding unless it is evidently wrong."""
    label = (encoding or "utf-8").lower()
    try:
        text = body.decode(label, errors="replace")
    except LookupError:
        label = "utf-8"
        text = body.decode(label, errors="replace")
    wide = utf16_encoding(body)
    if wide:
        return body.decode(wide, errors="replace").removeprefix("\ufeff"), wide
    suspicious = text.count("\ufffd") > REPLACEMENT_SHARE * max(len(text), 1)
    if not suspicious and label in LATIN_FALLBACKS:
        suspicious = _latin1_supplement_share(text) > MOJIBAKE_SHARE
    if not suspicious:
        return text, label
    if label not in LATIN_FALLBACKS:
        # The usual mislabel: Windows-1252 sent as UTF-8. Accept it when it decodes cleanly and
        # does not itself look like mojibake; otherwise ask the detector.
        try:
            latin = body.decode("cp1252")
        except UnicodeDecodeError:
            latin = None
        if latin is not None and _latin1_supplement_share(latin) <= MOJIBAKE_SHARE:
            return latin, "cp1252"
    guess = _detect(body)
    if not guess or guess.lower() == label:
        return text, label
    better = body.decode(guess, errors="replace")
    if better.count("\ufffd") <= text.count("\ufffd"):
        return unicodedata.normalize("NFC", better), guess
    return text, label
