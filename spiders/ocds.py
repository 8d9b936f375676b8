"""OCDS release packages (UK Find a Tender, Contracts Finder, any OCDS publisher): tender,
award and contract records, following the package's `links.next`.

The url is the publisher's package endpoint with its own query (e.g. Find a Tender's
`updatedFrom=`); 429 answers are waited for (Retry-After) or backed off
(tracker/crawling/records.py).
"""

from dataclasses import dataclass

from tracker.crawling.records import RecordSpider
from tracker.extract.ocds import parse_package
from tracker.source_options import PositiveInt, SourceOptions, option


@dataclass(frozen=True)
class OcdsOptions(SourceOptions):
    max_pages: PositiveInt = option(5, "packages read per run, following `links.next`")


class OcdsSpider(RecordSpider):
    name = "ocds"
    options_class = OcdsOptions

    def parse(self, response, page: int = 1):
        package = self.read_listing(response, parse_package)
        if package is None:
            return
        yield from self.records(package.records)
        if package.next_url and page < self.options.max_pages:
            yield self.listing_request(package.next_url, cb_kwargs={"page": page + 1})
