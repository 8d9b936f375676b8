"""Receivers found in non-English articles, against their labels: a quick look at the public
bodies of events/openbodies.py, which the dev set (mostly English) exercises little.

usage (from the project root): .venv/bin/python -m bench.regional_check [--devset PATH] [-v]

For each text (the cases of tests/test_regional.py, then the dev set's documents whose
`language` is not English) it derives the events and prints, per language, the agencies and
countries found against the gold ones (agencies as alias lists, compared case- and
punctuation-folded as the evaluator does), with the open-vocabulary agencies marked '*'.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from tracker.events.aliases import gazetteer
from tracker.events.derive import derive_events

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset" / "devset.jsonl"


def fold(text: str) -> str:
    text = re.sub(r"[^\w]+", " ", text.lower().replace("&", " and "))
    return re.sub(r"\s+", " ", text).strip()


def found(text: str, title: str | None, published: str | None, language: str | None):
    """(agency names, open ones, countries) over all events of one text."""
    names, open_names, countries = set(), set(), set()
    for event in derive_events(text, title=title, published=published, language=language).events:
        for value in event["agencies"]:
            entity = gazetteer().entity("agency", value["id"])
            name = value.get("name") or (entity.name if entity else value["id"])
            names.add(name)
            if value.get("normalized") is False:
                open_names.add(name)
        countries |= {value["id"] for value in event["countries"]}
    return names, open_names, countries


def agency_hits(names: set[str], gold: list) -> tuple[int, int, int]:
    """tp, fp, fn of agency names against gold alias lists (a name matching any alias)."""
    golds = [{fold(a) for a in (g if isinstance(g, list) else [g])} for g in gold]
    matched = {i for name in names for i, g in enumerate(golds) if fold(name) in g}
    fp = sum(1 for name in names if not any(fold(name) in g for g in golds))
    return len(matched), fp, len(golds) - len(matched)


def test_cases() -> list[dict]:
    sys.path.insert(0, str(ROOT / "tests"))
    import test_regional as cases

    docs = [{"id": f"test-{lang}", "language": lang, "title": title, "text": text,
             "published": cases.PUBLISHED,
             "gold": {"agencies": [[body]], "countries": [country]}}
            for lang, (title, text, _, body, country) in cases.EVENTS.items()]
    docs += [{"id": f"frame-{lang}", "language": lang, "title": None, "text": text,
              "published": cases.PUBLISHED, "gold": {"agencies": [[body]], "countries": [country]}}
             for lang, (text, body, country) in cases.FRAMES.items()]
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", default=str(DEVSET))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every document")
    args = parser.parse_args()
    with open(args.devset, encoding="utf-8") as devset:
        docs = test_cases() + [d for d in map(json.loads, devset)
                               if d.get("language") not in (None, "en") and d.get("relevant")]
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    for doc in docs:
        gold = doc.get("gold") or {}
        names, open_names, countries = found(doc["text"], doc.get("title"),
                                             doc.get("published"), doc.get("language"))
        tp, fp, fn = agency_hits(names, gold.get("agencies") or [])
        gold_countries = set(gold.get("countries") or [])
        row = totals[doc["language"]]
        for i, n in enumerate((tp, fp, fn, len(countries & gold_countries),
                               len(countries - gold_countries), len(gold_countries - countries),
                               len(open_names))):
            row[i] += n
        if args.verbose or fp or fn or countries != gold_countries:
            shown = sorted(f"{n}*" if n in open_names else n for n in names)
            wanted = [g[0] if isinstance(g, list) else g for g in gold.get("agencies") or []]
            print(f"{doc['id']:12} {doc['language']}  agencies {shown} / gold {wanted}  "
                  f"countries {sorted(countries)} / gold {sorted(gold_countries)}")
    print(f"\n{'lang':5} {'agencies tp/fp/fn':18} {'countries tp/fp/fn':19} open")
    for language, (tp, fp, fn, ctp, cfp, cfn, opened) in sorted(totals.items()):
        print(f"{language:5} {tp:>4}/{fp}/{fn:<12} {ctp:>4}/{cfp}/{cfn:<13} {opened}")


if __name__ == "__main__":
    main()
