"""OCDS release packages (UK Find a Tender, Contracts Finder, any OCDS publisher): tender,
award and contract records, following the package's `links.next`.

Options: `max_pages` (packages read per run, default 5). The url is the publisher's package
endpoint with its own query (e.g. Find a Tender's `updatedFrom=`); 429 answers are waited for
(Retry-After) or backed off (tracker/crawling/records.py).
"""

from tracker.crawling.records import RecordSpider
from tracker.extract.ocds import parse_package


class OcdsSpider(RecordSpider):
    name = "ocds"

    def parse(self, response, page: int = 1):
        package = self.read_listing(response, parse_package)
        if package is None:
            return
        yield from self.records(package.records)
        if package.next_url and page < int(self.option("max_pages", 5)):
            yield self.listing_request(package.next_url, cb_kwargs={"page": page + 1})
