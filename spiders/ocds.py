"""OCDS release packages (UK Find a Tender, Contracts Finder, any OCDS publisher): tender,
award and contract records, following the package's `links.next`.

The url is the publisher's package endpoint with its own query (e.g. Find a Tender's
`updatedFrom=`); 429 answers are waited for (Retry-After) or backed off
(tracker/crawling/records.py).
"""

from dataclasses import dataclass

from tracker.crawling.listed import Listing
from tracker.crawling.records import RecordReader
from tracker.extract.ocds import parse_package
from tracker.source_options import PositiveInt, SourceOptions, option


@dataclass(frozen=True)
class OcdsOptions(SourceOptions):
    max_pages: PositiveInt = option(5, "packages read per run, following `links.next`")


class OcdsReader(RecordReader):
    kind = "ocds"
    options_class = OcdsOptions

    def read_listing(self, response) -> Listing:
        package = parse_package(response.body)
        return Listing(records=package.records, broken=package.broken,
                       next_url=package.next_url)
