"""EventsPipeline: derives adoption events (with evidence) from the extracted article."""

from __future__ import annotations

from itemadapter import ItemAdapter

from tracker.events.derive import derive_events, rule_firings
from tracker.items import ArticleItem


class EventsPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if not isinstance(item, ArticleItem):  # DiscoveryItem: listing metadata only
            return item
        adapter = ItemAdapter(item)
        article = adapter["article"]
        result = derive_events(article["text"], title=article["title"],
                               published=article["published"], language=article["language"])
        adapter["events"] = result.events
        adapter["unmatched"] = result.unmatched
        self.crawler.stats.inc_value("tracker/events", len(result.events))
        for rule, count in rule_firings(result.events).items():
            self.crawler.stats.inc_value(f"tracker/rules/{rule}", count)
        return item
