"""Stop a redirect (HTTP 3xx or meta refresh) that leads back into its own chain.

Scrapy follows A -> B -> A until the dupefilter silently drops the second A: the article is
lost with nothing but a DEBUG line. Ahead of the redirect middlewares in the response chain,
this raises IgnoreRequest("redirection loop: A -> B -> A") instead, which reaches the spider's
errback: logged with its reason, counted as tracker/dropped/redirect_loop and as an article
error of the source.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh
from w3lib.url import canonicalize_url


def redirect_target(response) -> str | None:
    """Where a response sends the client next, as an absolute URL (None: it does not)."""
    if 300 <= response.status < 400 and b"Location" in response.headers:
        location = response.headers[b"Location"].decode("latin-1")
        return urljoin(response.url, location)
    if isinstance(response, HtmlResponse):
        _interval, url = get_meta_refresh(response)
        return url
    return None


class RedirectLoopMiddleware:
    def process_response(self, request, response, spider=None):
        target = redirect_target(response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            raise IgnoreRequest(f"redirection loop: {' -> '.join([*chain, target])}")
        return response
