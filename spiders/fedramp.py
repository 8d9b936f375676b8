"""The FedRAMP Marketplace data file: products, their status and impact level, and the
marketplace's latest status changes, as official records.

Options: `match` (a regex over provider, offering and description, case-insensitive: the
products to keep, e.g. AI offerings; default all). The file is fetched with conditional GET, so
an unchanged file costs one 304.
"""

from tracker.crawling.records import RecordSpider
from tracker.extract import fedramp


class FedrampSpider(RecordSpider):
    name = "fedramp"

    def parse(self, response):
        found = self.read_listing(
            response, lambda body: fedramp.parse_marketplace(body, self.option("match")))
        if found is None:
            return
        self.crawler.stats.inc_value("tracker/fedramp/not_matching", found.skipped)
        yield from self.records(found.records)
