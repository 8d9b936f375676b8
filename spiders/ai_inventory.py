"""The US Federal AI Use Case Inventory (OMB's consolidated CSV, individually reported use
cases or commercial products): one official record per use case.

No options: the url names the CSV (fetched with conditional GET, so an unchanged file costs a
304). Use one source per file and year.
"""

from dataclasses import dataclass

from tracker.crawling.records import RecordSpider
from tracker.extract.ai_inventory import parse_inventory
from tracker.source_options import SourceOptions


@dataclass(frozen=True)
class AiInventoryOptions(SourceOptions):
    """The common options only: the url says everything."""


class AiInventorySpider(RecordSpider):
    name = "ai_inventory"
    options_class = AiInventoryOptions

    def parse(self, response):
        found = self.read_listing(response, parse_inventory)
        if found is None:
            return
        self.crawler.stats.inc_value("tracker/ai_inventory/not_used", found.skipped)
        yield from self.records(found.records)
