"""Language identification of article text (py3langid, offline, ~1 ms)."""

from __future__ import annotations

import py3langid

MIN_CHARS = 40


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of the text, or None when the text is too short to tell."""
    if not text or len(text.strip()) < MIN_CHARS:
        return None
    lang, _score = py3langid.classify(text[:5000])
    return lang
