"""The US Federal AI Use Case Inventory (OMB's consolidated CSV, individually reported use
cases or commercial products): one official record per use case.

No options: the url names the CSV (fetched with conditional GET, so an unchanged file costs a
304). Use one source per file and year.
"""

from dataclasses import dataclass

from tracker.crawling.listed import Listing
from tracker.crawling.records import RecordReader
from tracker.extract.ai_inventory import parse_inventory
from tracker.source_options import SourceOptions


@dataclass(frozen=True)
class AiInventoryOptions(SourceOptions):
    """The common options only: the url says everything."""


class AiInventoryReader(RecordReader):
    kind = "ai_inventory"
    options_class = AiInventoryOptions

    def read_listing(self, response) -> Listing:
        found = parse_inventory(response.body)
        return Listing(records=found.records, broken=found.broken,
                       counts={"tracker/ai_inventory/not_used": found.skipped})
