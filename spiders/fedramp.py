"""The FedRAMP Marketplace data file: products, their status and impact level, and the
marketplace's latest status changes, as official records.

Options: `match` (a regex over provider, offering and description, case-insensitive: the
products to keep, e.g. AI offerings; default all). The file is fetched with conditional GET, so
an unchanged file costs one 304.
"""

from tracker.crawling.records import RecordSpider
from tracker.extract import fedramp
from tracker.extract.records import RecordFormatError


class FedrampSpider(RecordSpider):
    name = "fedramp"

    def parse(self, response):
        try:
            found = fedramp.parse_marketplace(response.body, self.option("match"))
        except RecordFormatError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(found.records))
        self.skip("broken_entry", found.broken)
        self.crawler.stats.inc_value("tracker/fedramp/not_matching", found.skipped)
        yield from self.records(found.records)
