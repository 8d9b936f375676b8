"""EventsPipeline: derives adoption events (with evidence) from the extracted article."""

from __future__ import annotations

from itemadapter import ItemAdapter

from tracker.crawling.counts import Counts
from tracker.decisions import apply_decisions, load_decisions
from tracker.events.derive import derive_events, rule_firings
from tracker.items import ArticleItem


class EventsPipeline:
    def __init__(self, crawler, decisions):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.decisions = decisions

    @classmethod
    def from_crawler(cls, crawler):
        """Reviewers' decisions (TRACKER_DECISIONS, else tracker/data/decisions.yml) apply to
        every derived event, as in `tracker reprocess`; the CLI has checked the file."""
        return cls(crawler, load_decisions(crawler.settings.get("TRACKER_DECISIONS")))

    def process_item(self, item):
        if not isinstance(item, ArticleItem):  # DiscoveryItem: listing metadata only
            return item
        adapter = ItemAdapter(item)
        article = adapter["article"]
        result = derive_events(article["text"], title=article["title"],
                               published=article["published"], language=article["language"],
                               url=article["url"])
        decided = apply_decisions(self.decisions, article["url"], result.events,
                                  result.unmatched)
        adapter["events"] = decided.events
        adapter["unmatched"] = decided.unmatched
        counts, source = self.counts, adapter["source"]
        counts.inc(source, "tracker/events", len(decided.events))
        for decision_id in decided.used:
            counts.inc(source, f"tracker/decisions/{decision_id}")
        for rule, count in rule_firings(decided.events).items():
            counts.inc(source, f"tracker/rules/{rule}", count)
        return item
