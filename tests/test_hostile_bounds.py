"""Issue 13, part A: bounds on what one hostile input can make the crawl hold or store.

Review rows (unmatched_mentions) per article are capped; robots.txt is read up to RFC 9309's
500 KiB minimum and no further.
"""

from __future__ import annotations

from tracker.events.derive import MAX_REVIEW_ROWS, derive_events


def test_review_rows_per_article_are_capped():
    lead = "OpenAI signed a contract with the Department of Defense for ChatGPT. "
    names = " ".join(f"Alpha{i} Beta{i} Systems and Gamma{i} Delta{i} Holdings joined OpenAI "
                     "for the ChatGPT contract with the Department of Defense." for i in range(300))
    result = derive_events(lead + names, title="OpenAI deal", published="2025-01-01")
    assert result.events
    assert len(result.unmatched) == MAX_REVIEW_ROWS < 600
    texts = [u["text"] for u in result.unmatched]
    assert len(set(texts)) == len(texts) and texts[0] == "Alpha0 Beta0 Systems"


def test_a_few_unknown_names_are_all_kept():
    text = ("OpenAI signed a contract with the Department of Defense for ChatGPT with Acme "
            "Widget Systems and Borealis Data Holdings.")
    result = derive_events(text, title="OpenAI deal", published="2025-01-01")
    assert [u["text"] for u in result.unmatched] == ["Acme Widget Systems",
                                                     "Borealis Data Holdings"]
