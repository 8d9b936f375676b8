"""StorePipeline: writes article, events and links in one transaction per article."""

from __future__ import annotations

import sqlite3

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from db.store import Store, describe_store_error
from tracker.crawling.counts import HEALTH_STATS, Counts
from tracker.decisions import Grouping, load_decisions
from tracker.items import DiscoveryItem, RecordItem
from tracker.timeline import article_id_for, open_timeline

STORE_FAILED = "store error"


class StorePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.db_path = db_path
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("TRACKER_DB_PATH"))

    def open_spider(self, spider=None):
        # the reviewers' merge/split decisions, as `tracker reprocess` applies them
        decisions = load_decisions(self.crawler.settings.get("TRACKER_DECISIONS"))
        self.store = open_timeline(self.db_path, Grouping(decisions, article_id_for))

    def close_spider(self, spider=None):
        if self.store is not None:
            self.store.close()

    def process_item(self, item):
        """Store the item; a write SQLite refuses (disk full, locked, a value it cannot bind)
        fails the article and its source, so a crawl that lost articles never reads as ok."""
        adapter = ItemAdapter(item)
        try:
            self._save(item, adapter)
        except sqlite3.Error as exc:
            reason = describe_store_error(exc)
            self._count_failure(adapter.get("source"), reason,
                                adapter.get("url") or adapter.get("link"))
            raise DropItem(f"{STORE_FAILED}: {reason}") from exc
        return item

    def _save(self, item, adapter: ItemAdapter) -> None:
        if isinstance(item, RecordItem):  # an official record: its own table, no article
            self._save_record(item)
            return
        if isinstance(item, DiscoveryItem):  # a listed item kept without an article
            self.store.save_discovered(adapter.asdict())
            self.counts.inc(item.source, f"tracker/discovered/{item.status}")
            return
        result = self.store.save_article(adapter["article"], adapter["source"], adapter["events"],
                                         adapter["unmatched"])
        if adapter.get("discovery"):
            self.store.save_discovered(
                {"source": adapter["source"], **adapter["discovery"]}, result.article_id)
        source = adapter["source"]
        if result.kept:  # the URL holds another source's article: left as it is
            self.counts.inc(source, "tracker/article_kept/other_source")
            return
        if result.article_id != article_id_for(adapter["article"]["url"]):
            self.counts.inc(source, "tracker/canonical_not_used")
        if adapter.get("contracts"):
            self.store.save_contracts(result.article_id, adapter["contracts"])
            self.counts.inc(source, "tracker/contract_notices", len(adapter["contracts"]))
        self.counts.inc(source, HEALTH_STATS["events"], len(adapter["events"]))
        self.counts.inc(source, HEALTH_STATS["new_articles"] if result.new_article
                        else "tracker/articles_updated")

    def _save_record(self, item: RecordItem) -> None:
        outcome = self.store.save_record(item.record, item.source)
        self.counts.inc(item.source, f"tracker/records/{outcome}")

    def _count_failure(self, source: str, reason: str, url: str | None) -> None:
        """Counted per article; the source fails once, with the first cause (not stored: the
        next run fetches the article again)."""
        self.counts.inc(source, f"tracker/store_error/{reason.split(':')[0]}")
        self.counts.inc(source, HEALTH_STATS["article_errors"])
        if not any(r.startswith(STORE_FAILED) for r in self.counts.reasons(source)):
            self.counts.fail(source, "store", f"{STORE_FAILED}: {reason} ({url})")
