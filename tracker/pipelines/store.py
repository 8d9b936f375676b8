"""StorePipeline: writes article, events and links in one transaction per article."""

from __future__ import annotations

from itemadapter import ItemAdapter

from db.store import Store, article_id_for
from tracker.decisions import Grouping, load_decisions
from tracker.items import DiscoveryItem


class StorePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("TRACKER_DB_PATH"))

    def open_spider(self, spider=None):
        self.store = Store.shared(self.db_path)
        # the reviewers' merge/split decisions, as `tracker reprocess` applies them
        decisions = load_decisions(self.crawler.settings.get("TRACKER_DECISIONS"))
        self.store.grouping = Grouping(decisions, article_id_for)

    def close_spider(self, spider=None):
        if self.store is not None:
            self.store.release()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, DiscoveryItem):  # a listed item kept without an article
            self.store.save_discovered(adapter.asdict())
            self.crawler.stats.inc_value(f"tracker/discovered/{item.status}")
            return item
        result = self.store.save_article(adapter["article"], adapter["source"], adapter["events"],
                                         adapter["unmatched"])
        if adapter.get("discovery"):
            self.store.save_discovered(
                {"source": adapter["source"], **adapter["discovery"]}, result.article_id)
        if result.kept:  # the URL holds another source's article: left as it is
            self.crawler.stats.inc_value("tracker/article_kept/other_source")
            return item
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
        return item
