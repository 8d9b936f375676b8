"""The FedRAMP Marketplace data file: products, their status and impact level, and the
marketplace's latest status changes, as official records.

The file is fetched with conditional GET, so an unchanged file costs one 304.
"""

from dataclasses import dataclass

from tracker.crawling.listed import Listing
from tracker.crawling.records import RecordReader
from tracker.extract import fedramp
from tracker.source_options import Regex, SourceOptions, option


@dataclass(frozen=True)
class FedrampOptions(SourceOptions):
    match: Regex | None = option(None, "the products to keep (e.g. AI offerings): a regex over "
                                       "provider, offering and description, any case; none: all")


class FedrampReader(RecordReader):
    kind = "fedramp"
    options_class = FedrampOptions

    def read_listing(self, response) -> Listing:
        found = fedramp.parse_marketplace(response.body, self.options.match)
        return Listing(records=found.records, broken=found.broken,
                       counts={"tracker/fedramp/not_matching": found.skipped})
