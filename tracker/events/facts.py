"""Deal facts stated in a supply clause: amounts of money, normalized so outlets agree.

'$200 million', '$200M' and 'US$200m' are one amount; '$1' and '$0.50' are others. Two reports
stating different amounts describe different deals, which is what the merge needs to know.
What kind of number an amount is (a ceiling, a nominal price...) is events/deal.py's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP",
                  "GBP": "GBP", "¥": "JPY", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD",
                  "₹": "INR", "INR": "INR", "₩": "KRW", "KRW": "KRW", "JPY": "JPY"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                  "pounds": "GBP", "dólares": "USD", "dolares": "USD", "dollari": "USD",
                  "d'euros": "EUR", "de dólares": "USD", "de euros": "EUR", "yen": "JPY",
                  "rupees": "INR"}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
          "mio": 1e6, "millones": 1e6, "milioni": 1e6, "billion": 1e9, "billions": 1e9,
          "bn": 1e9, "b": 1e9, "milliards": 1e9, "milliard": 1e9, "mrd": 1e9, "trillion": 1e12,
          "crore": 1e7, "lakh": 1e5}

_NUMBER = r"(\d{1,3}(?:[,\s]\d{3})+|\d+(?:[.,]\d+)?)"
_SCALE = r"(?:\s?(thousand|million|millions|billion|billions|trillion|milliards?|millones|" \
         r"milioni|mio|mrd|mn|bn|crore|lakh|[kmb])\b\.?)?"
SIGN_FIRST = re.compile(
    r"(US\$|C\$|CA\$|A\$|AU\$|\$|€|£|¥|₹|₩|\b(?:USD|EUR|GBP|INR|KRW|JPY)\s?)" + _NUMBER
    + _SCALE, re.I)
WORD_AFTER = re.compile(
    _NUMBER + r"\s?(million|millions|billion|billions|milliards?|millones|milioni|Mio\.?|Mrd\.?)?"
    r"\s+(de dólares|de euros|d'euros|dollars?|euros?|pounds|dólares|dolares|dollari|yen|rupees)\b",
    re.I)
# Japanese and Korean write the scale and the currency after the number: '1億円', '100억 원'.
CJK_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?(万|億|兆|만|억|조)?\s?(円|원)")
CJK_SCALES = {"万": 1e4, "億": 1e8, "兆": 1e12, "만": 1e4, "억": 1e8, "조": 1e12}
CJK_CURRENCIES = {"円": "JPY", "원": "KRW"}
# Something every amount above writes: a sign, a code, a currency word or a CJK currency.
CURRENCY_HINT = re.compile(r"[$€£¥₹₩¢円원]|\b(?:USD|EUR|GBP|INR|KRW|JPY)|dollar|dólar|euro|pound|"
                           r"yen|rupee|cent", re.I)
CENTS = re.compile(r"\b(\d{1,2}(?:\.\d+)?)\s?(?:cents?|¢)(?!\w)", re.I)  # '42 cents' per agency


def _number(text: str) -> float:
    """'1,500' and '1 500' are thousands; '1,5' (European) and '1.5' are decimals."""
    if re.fullmatch(r"\d{1,3}(?:[,\s]\d{3})+", text):
        return float(re.sub(r"[,\s]", "", text))
    return float(text.replace(",", "."))


@dataclass(frozen=True)
class Money:
    """One amount of money as a text writes it: where, in which currency, how much."""

    currency: str
    value: float
    start: int
    end: int
    scaled: bool  # written with a scale word ('million', 'bn'): a deal's size, never a price

    @property
    def key(self) -> str:
        """'USD:2e+08': the form reports compare (events/merge.py)."""
        return f"{self.currency}:{self.value:g}"


def _value(number: str, scale: str | None) -> float:
    factor = SCALES.get((scale or "").lower().rstrip("."), 1.0)
    return round(_number(number) * factor, 2)


@lru_cache(maxsize=4096)
def money(text: str) -> tuple[Money, ...]:
    """Every amount of money a text states, in the order written. Remembered: the merge
    identity, the deal values and their kinds read the same clauses again."""
    if not CURRENCY_HINT.search(text):  # most clauses name no currency: one quick search
        return ()
    found = []
    for m in SIGN_FIRST.finditer(text):
        currency = CURRENCY_SIGNS[m.group(1).strip().upper() if m.group(1).strip().isalpha()
                                  else m.group(1).strip()]
        found.append(Money(currency, _value(m.group(2), m.group(3)), m.start(), m.end(),
                           bool(m.group(3))))
    for m in WORD_AFTER.finditer(text):
        found.append(Money(CURRENCY_WORDS[m.group(3).lower()], _value(m.group(1), m.group(2)),
                           m.start(), m.end(), bool(m.group(2))))
    for m in CJK_AMOUNT.finditer(text):
        value = float(m.group(1).replace(",", "")) * CJK_SCALES.get(m.group(2) or "", 1.0)
        found.append(Money(CJK_CURRENCIES[m.group(3)], round(value, 2), m.start(), m.end(),
                           bool(m.group(2))))
    for m in CENTS.finditer(text):
        found.append(Money("USD", round(_number(m.group(1)) / 100, 2), m.start(), m.end(), False))
    return tuple(sorted(found, key=lambda x: x.start))


def amounts(text: str) -> set[str]:
    """Every amount of money a text states, as 'USD:2e+08'-style keys."""
    return {m.key for m in money(text)}
