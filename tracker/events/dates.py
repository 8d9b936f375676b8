"""Event dates in article text: full dates, day-month without year, weekdays, in the tracker's
languages (their words are data: tracker/data/languages)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from tracker.events.aliases import is_cjk
from tracker.events.cues import LANGUAGES, date_words, grouped_alternation, language_file

# Month names and weekdays of every language (tracker/data/languages: months, weekdays), the
# longest first, grouped by their first letters: each pattern below tries them at every word.
MONTHS = date_words(LANGUAGES, "months")
WEEKDAYS = date_words(LANGUAGES, "weekdays")
MONTH_RE = grouped_alternation(sorted(map(re.escape, MONTHS), key=len, reverse=True))
WEEKDAY_RE = grouped_alternation(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))


def _fold(word: str) -> str:
    """A date word as the tables below key it. Ignoring case, the patterns match i, ı and İ
    alike ('MAYIS', 'NİSAN', 'Mayis' for 'mayıs', 'nisan'), which lower() alone does not
    undo ('nisan' in 'NİSAN'.lower() has a combining dot)."""
    return word.lower().replace("i\u0307", "i").replace("ı", "i")


MONTH_NUMBER = {_fold(word): number for word, number in MONTHS.items()}
WEEKDAY_NUMBER = {_fold(word): number for word, number in WEEKDAYS.items()}

PATTERNS = [
    # November 4, 2024 / Nov. 4 / Sept. 27, 2025
    ("mdy", re.compile(rf"\b({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b",
                       re.I)),
    # 4 November 2024 / 5 novembre 2024 / 4. November 2024 / 5 de noviembre de 2024 / le 1er mars
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:er|\.|º)?\s+(?:de\s+)?({MONTH_RE})\.?"
                       rf"(?:\s+(?:de\s+)?(\d{{4}}))?\b", re.I)),
    # 2025年10月2日 / 10月2日
    ("ja", re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    # 2025년 10월 2일 / 10월 2일
    ("ko", re.compile(r"(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일")),
    # ngày 9 tháng 3 năm 2026 / ngày 9/3/2026 (Vietnamese: day first)
    ("vi", re.compile(r"\bngày\s+(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})(?:(?:,?\s+năm\s+|/)(\d{4}))?",
                      re.I)),
    # 2025-10-02
    ("iso", re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")),
]
MONTH_YEAR = re.compile(rf"\b(?:in\s+|en\s+|im\s+)?({MONTH_RE})\.?\s+(?:de\s+)?((?:19|20)\d\d)\b",
                        re.I)
MONTH_YEAR_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?!\s*\d)")
WEEKDAY_PATTERN = re.compile(rf"\b(?:on|last|this|ce|le|am|el|este)?\s*({WEEKDAY_RE})\b", re.I)
JA_WEEKDAY = re.compile(r"(?<![年月\d])([月火水木金土日])曜")
JA_WEEKDAYS = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}
KO_WEEKDAY = re.compile(r"([월화수목금토일])요일")
KO_WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
ZH_WEEKDAY = re.compile(r"(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])")
ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_PATTERNS = ((WEEKDAY_PATTERN, WEEKDAY_NUMBER, 1), (JA_WEEKDAY, JA_WEEKDAYS, 0),
                    (KO_WEEKDAY, KO_WEEKDAYS, 0), (ZH_WEEKDAY, ZH_WEEKDAYS, 0))


# A date that ends a term or sets a deadline is not when anything was announced: 'runs through
# March 2027', 'until', 'by 2027', 'jusqu'au', 'bis', 'hasta', 'до', 'hingga', 'حتى', 'indtil',
# 'până la', 'עד', 'hadi', 'expires'; nor one that starts a period or dates what came before
# ('since March 2024', 'after the attack on Oct. 7').
TERM_BEFORE = re.compile(
    r"(?:\bthrough|\bthru|\buntil|\btill|\bby|\bbefore|\bexpir\w*|\bends?|\bending|"
    r"\bsince|\bafter\b[^,.;]{0,60}?|"
    r"\bdeadline|\bcompletion date[\w\s]*?|\bvalid|\bjusqu['’]\s*(?:au|en|à)?|\bd['’]ici|"
    r"\bbis(?:\s+(?:zum|Ende))?|\bhasta|\bfino a|\bentro|\baté|\btot|"
    r"\bдо|\bdo|\bhingga|\bsehingga|\bsampai|\bđến|حتى|\bfram till|\bέως|\bμέχρι|"
    r"\bindtil|\binntil|\bfrem til|\bp[âa]n[ăa](?:\s+(?:la|[îi]n|pe))?|(?<![\u05d0-\u05ea])עד|"
    r"\bhadi(?:\s+tarehe)?|\bmpaka(?:\s+tarehe)?)"
    r"(?:\s+(?:the\s+)?end\s+of)?\s*(?:(?:on|in|le|el|am|im|de|del)\s+)?$", re.I)

# The page's own date line ('date 2026-01-12', 'Published on', 'Publié le', 'Aktualisiert am')
# dates the page, not the announcement.
PAGE_DATE_BEFORE = re.compile(
    r"(?:\bdate|\bdated|\bpublished|\bposted|\bupdated|\blast modified|\bpubli[ée]e?|"
    r"\bmis à jour|\bver[öo]ffentlicht|\baktualisiert|\bpublicado|\bactualizado|\bpubblicato|"
    r"\bgepubliceerd|\bpublikowano|\bpublicerad|\bpubliceret|\bpublisert|\bopdateret|"
    r"\boppdatert|\bjulkaistu|\bpäivitetty|\byayın(?:lanma)? tarihi|\bgüncelle(?:n)?me|"
    r"\bditerbitkan|\bdikemas kini)\s*(?:on|le|am|el|il|op|:)?\s*:?\s*$", re.I)


@dataclass(frozen=True)
class DateMention:
    value: date
    precision: str  # day | month
    start: int
    explicit_year: bool
    relative: str = ""  # resolved against the publication day: 'weekday', 'day_word'


def _make(year: int | None, month: int, day: int,
          reference: date | None) -> tuple[date, bool] | None:
    explicit = year is not None
    if year is None:
        if reference is None:
            return None
        year = reference.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate > reference + timedelta(days=2):  # 'Dec. 30' in a January article
            year -= 1
    try:
        return date(year, month, day), explicit
    except ValueError:
        return None


def _ymd(style: str, m: re.Match) -> tuple[str | None, int, int] | None:
    """(year or None, month, day) of one full or day-month date match."""
    if style == "mdy":
        if m.group(1).lower() == "may" and not m.group(3):
            return None  # 'may 4' is usually the verb
        return m.group(3), MONTH_NUMBER[_fold(m.group(1))], int(m.group(2))
    if style == "dmy":
        return m.group(3), MONTH_NUMBER[_fold(m.group(2))], int(m.group(1))
    if style == "vi":
        return m.group(3), int(m.group(2)), int(m.group(1))
    return m.group(1), int(m.group(2)), int(m.group(3))


def _day_dates(text: str, reference: date | None) -> list[DateMention]:
    found = []
    for style, pattern in PATTERNS:
        for m in pattern.finditer(text):
            parts = _ymd(style, m)
            made = parts and _make(int(parts[0]) if parts[0] else None, parts[1], parts[2],
                                   reference)
            if made:
                found.append(DateMention(made[0], "day", m.start(), made[1]))
    return found


def _month_dates(text: str, day_starts: set[int]) -> list[DateMention]:
    """'March 2025', '2025年3月': month precision, unless part of a full date."""
    found = []
    for pattern in (MONTH_YEAR, MONTH_YEAR_CJK):
        for m in pattern.finditer(text):
            if pattern is MONTH_YEAR:
                month, year = MONTH_NUMBER[_fold(m.group(1))], int(m.group(2))
            else:
                year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12 and not any(abs(m.start() - s) < 12 for s in day_starts):
                found.append(DateMention(date(year, month, 1), "month", m.start(), True))
    return found


def _weekday_dates(text: str, reference: date) -> list[DateMention]:
    """'on Tuesday', '火曜', '월요일', '周一': the last such day up to the reference (publication)
    day."""
    found = []
    for pattern, days, group in WEEKDAY_PATTERNS:
        for m in pattern.finditer(text):
            delta = (reference.weekday() - days[_fold(m.group(1))]) % 7
            found.append(DateMention(reference - timedelta(days=delta), "day", m.start(group),
                                     False, relative="weekday"))
    return found


@cache
def _day_words(language: str | None) -> tuple[re.Pattern | None, dict[str, int]]:
    """The article language's words for a day just before publication ('yesterday', 'hier',
    'dün', '昨日'), as a pattern, and the days each goes back. Only the article's own language:
    'hier' is 'yesterday' in French and 'here' in German."""
    table = LANGUAGES.get(language_file(language) or "", {}).get("days_before", {})
    if not table:
        return None, {}
    words = sorted(table, key=len, reverse=True)
    pattern = "|".join(re.escape(w) if is_cjk(w[0]) else rf"(?<!\w){re.escape(w)}(?!\w)"
                       for w in words)
    return re.compile(pattern, re.I), {_fold(w): n for w, n in table.items()}


def _day_word_dates(text: str, reference: date, language: str | None) -> list[DateMention]:
    pattern, days = _day_words(language)
    if pattern is None:
        return []
    return [DateMention(reference - timedelta(days=days[_fold(m.group())]), "day", m.start(),
                        False, relative="day_word") for m in pattern.finditer(text)]


def _is_announcement_date(text: str, mention: DateMention) -> bool:
    """Not a term's end ('through March 2027') and not the page's own date line."""
    return not TERM_BEFORE.search(text[max(0, mention.start - 40):mention.start]) and \
        not PAGE_DATE_BEFORE.search(text[max(0, mention.start - 25):mention.start])


def find_dates(text: str, reference: date | None = None,
               language: str | None = None) -> list[DateMention]:
    """Dates written in the text; a year-less date takes the reference (publication) year, a
    weekday or (in the article's language) 'yesterday' goes back from it."""
    found = _day_dates(text, reference)
    found += _month_dates(text, {d.start for d in found})
    if reference is not None:
        found += _weekday_dates(text, reference) + _day_word_dates(text, reference, language)
    found = [d for d in found if _is_announcement_date(text, d)]
    found.sort(key=lambda d: d.start)
    return found
