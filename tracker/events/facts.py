"""Deal facts stated in a supply clause: amounts of money, normalized so outlets agree.

'$200 million', '$200M' and 'US$200m' are one amount; '$1' and '$0.50' are others. Two reports
stating different amounts describe different deals, which is what the merge needs to know.
"""

from __future__ import annotations

import re

CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP",
                  "GBP": "GBP", "¥": "JPY", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                  "pounds": "GBP", "dólares": "USD", "dolares": "USD", "dollari": "USD",
                  "d'euros": "EUR", "de dólares": "USD", "de euros": "EUR"}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
          "mio": 1e6, "millones": 1e6, "milioni": 1e6, "billion": 1e9, "billions": 1e9,
          "bn": 1e9, "b": 1e9, "milliards": 1e9, "milliard": 1e9, "mrd": 1e9, "trillion": 1e12}

_NUMBER = r"(\d{1,3}(?:[,\s]\d{3})+|\d+(?:[.,]\d+)?)"
_SCALE = r"(?:\s?(thousand|million|millions|billion|billions|trillion|milliards?|millones|" \
         r"milioni|mio|mrd|mn|bn|[kmb])\b\.?)?"
SIGN_FIRST = re.compile(
    r"(US\$|C\$|CA\$|A\$|AU\$|\$|€|£|¥|\bUSD\s?|\bEUR\s?|\bGBP\s?)" + _NUMBER + _SCALE, re.I)
WORD_AFTER = re.compile(
    _NUMBER + r"\s?(million|millions|billion|billions|milliards?|millones|milioni|Mio\.?|Mrd\.?)?"
    r"\s+(de dólares|de euros|d'euros|dollars?|euros?|pounds|dólares|dolares|dollari)\b", re.I)


def _number(text: str) -> float:
    """'1,500' and '1 500' are thousands; '1,5' (European) and '1.5' are decimals."""
    if re.fullmatch(r"\d{1,3}(?:[,\s]\d{3})+", text):
        return float(re.sub(r"[,\s]", "", text))
    return float(text.replace(",", "."))


def _normalized(currency: str, number: str, scale: str | None) -> str:
    factor = SCALES.get((scale or "").lower().rstrip("."), 1.0)
    value = round(_number(number) * factor, 2)
    return f"{currency}:{value:g}"


def amounts(text: str) -> set[str]:
    """Every amount of money a text states, as 'USD:2e+08'-style keys."""
    found = set()
    for m in SIGN_FIRST.finditer(text):
        currency = CURRENCY_SIGNS[m.group(1).strip().upper() if m.group(1).strip().isalpha()
                                  else m.group(1).strip()]
        found.add(_normalized(currency, m.group(2), m.group(3)))
    for m in WORD_AFTER.finditer(text):
        found.add(_normalized(CURRENCY_WORDS[m.group(3).lower()], m.group(1), m.group(2)))
    return found
