"""Stop a redirect (HTTP 3xx or meta refresh) that leads back into its own chain.

Scrapy follows A -> B -> A until the dupefilter silently drops the second A: the article is
lost with nothing but a DEBUG line. Ahead of the redirect middlewares in the response chain,
this raises IgnoreRequest("redirection loop: A -> B -> A") instead, which reaches the spider's
errback: logged with its reason, counted as tracker/dropped/redirect_loop and as an article
error of the source. Only what Scrapy's redirect middlewares would follow counts as a redirect
(their codes, `dont_redirect`, METAREFRESH_MAXDELAY and IGNORE_TAGS): a page that reloads itself
every five minutes is an article, not a loop.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh
from w3lib.url import canonicalize_url

REDIRECT_CODES = (301, 302, 303, 307, 308)


class RedirectLoopMiddleware:
    def __init__(self, settings):
        self.follow_location = settings.getbool("REDIRECT_ENABLED")
        self.follow_refresh = settings.getbool("METAREFRESH_ENABLED")
        self.refresh_max_delay = settings.getint("METAREFRESH_MAXDELAY")
        self.refresh_ignore_tags = settings.getlist("METAREFRESH_IGNORE_TAGS")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings)

    def redirect_target(self, request, response) -> str | None:
        """Where Scrapy would send this request next, as an absolute URL (None: nowhere)."""
        if request.meta.get("dont_redirect"):
            return None
        if (self.follow_location and response.status in REDIRECT_CODES
                and b"Location" in response.headers):
            return urljoin(response.url, response.headers[b"Location"].decode("latin-1"))
        if self.follow_refresh and isinstance(response, HtmlResponse):
            interval, url = get_meta_refresh(response, ignore_tags=self.refresh_ignore_tags)
            if url and interval < self.refresh_max_delay:
                return url
        return None

    def process_response(self, request, response, spider=None):
        target = self.redirect_target(request, response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            raise IgnoreRequest(f"redirection loop: {' -> '.join([*chain, target])}")
        return response
