"""StorePipeline: writes article, events and links in one transaction per article."""

from __future__ import annotations

import sqlite3

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from db.store import Store, describe_store_error
from tracker.decisions import Grouping, load_decisions
from tracker.items import DiscoveryItem, RecordItem
from tracker.timeline import MergeRules, article_id_for, open_timeline

STORE_FAILED = "store error"


class StorePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("TRACKER_DB_PATH"))

    def open_spider(self, spider=None):
        self.store = Store.shared(self.db_path, open_timeline)
        # the reviewers' merge/split decisions, as `tracker reprocess` applies them
        decisions = load_decisions(self.crawler.settings.get("TRACKER_DECISIONS"))
        self.store.rules = MergeRules(Grouping(decisions, article_id_for))

    def close_spider(self, spider=None):
        if self.store is not None:
            self.store.release()

    def process_item(self, item):
        """Store the item; a write SQLite refuses (disk full, locked, a value it cannot bind)
        fails the article and its source, so a crawl that lost articles never reads as ok."""
        adapter = ItemAdapter(item)
        try:
            self._save(item, adapter)
        except sqlite3.Error as exc:
            reason = describe_store_error(exc)
            self._count_failure(reason, adapter.get("url") or adapter.get("link"))
            raise DropItem(f"{STORE_FAILED}: {reason}") from exc
        return item

    def _save(self, item, adapter: ItemAdapter) -> None:
        if isinstance(item, RecordItem):  # an official record: its own table, no article
            self._save_record(item)
            return
        if isinstance(item, DiscoveryItem):  # a listed item kept without an article
            self.store.save_discovered(adapter.asdict())
            self.crawler.stats.inc_value(f"tracker/discovered/{item.status}")
            return
        result = self.store.save_article(adapter["article"], adapter["source"], adapter["events"],
                                         adapter["unmatched"])
        if adapter.get("discovery"):
            self.store.save_discovered(
                {"source": adapter["source"], **adapter["discovery"]}, result.article_id)
        if result.kept:  # the URL holds another source's article: left as it is
            self.crawler.stats.inc_value("tracker/article_kept/other_source")
            return
        if result.article_id != article_id_for(adapter["article"]["url"]):
            self.crawler.stats.inc_value("tracker/canonical_not_used")
        if adapter.get("contracts"):
            self.store.save_contracts(result.article_id, adapter["contracts"])
            self.crawler.stats.inc_value("tracker/contract_notices", len(adapter["contracts"]))
        health = getattr(self.crawler.spider, "health", None)
        if health is not None:
            health.new_articles += int(result.new_article)
            health.events += len(adapter["events"])
        self.crawler.stats.inc_value("tracker/articles_new" if result.new_article
                                     else "tracker/articles_updated")

    def _save_record(self, item: RecordItem) -> None:
        outcome = self.store.save_record(item.record, item.source)
        self.crawler.stats.inc_value(f"tracker/records/{outcome}")
        health = getattr(self.crawler.spider, "health", None)
        if health is not None and outcome == "new":
            health.new_records += 1

    def _count_failure(self, reason: str, url: str | None) -> None:
        """Counted per article; the source fails once, with the first cause (not stored: the
        next run fetches the article again)."""
        self.crawler.stats.inc_value(f"tracker/store_error/{reason.split(':')[0]}")
        health = getattr(self.crawler.spider, "health", None)
        if health is None:
            return
        health.article_errors += 1
        if not any(r.startswith(STORE_FAILED) for r in health.reasons):
            health.fail("store", f"{STORE_FAILED}: {reason} ({url})")
