"""The FedRAMP Marketplace data file: products, their status and impact level, and the
marketplace's latest status changes, as official records.

The file is fetched with conditional GET, so an unchanged file costs one 304.
"""

from dataclasses import dataclass

from tracker.crawling.records import RecordSpider
from tracker.extract import fedramp
from tracker.source_options import Regex, SourceOptions, option


@dataclass(frozen=True)
class FedrampOptions(SourceOptions):
    match: Regex | None = option(None, "the products to keep (e.g. AI offerings): a regex over "
                                       "provider, offering and description, any case; none: all")


class FedrampSpider(RecordSpider):
    name = "fedramp"
    options_class = FedrampOptions

    def parse(self, response):
        found = self.read_listing(
            response, lambda body: fedramp.parse_marketplace(body, self.options.match))
        if found is None:
            return
        self.crawler.stats.inc_value("tracker/fedramp/not_matching", found.skipped)
        yield from self.records(found.records)
