"""URL normalisation so one article under several URLs is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import extract_domain

TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
    "_hsmi", "ref", "ref_src", "cmpid", "src", "source", "ito", "wt_mc", "ocid", "oc", "sr_share",
    "smid", "partner", "ncid", "taid", "guccounter", "rss", "feed", "amp",
}
TRACKING_PREFIXES = ("utm_", "wt_", "pk_", "mtm_", "at_")
ALLOWED_SCHEMES = {"http", "https"}


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs with a host are fetched or stored (no javascript:, data:, file:)."""
    if not url or not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # 'http://[::1' (an unclosed IPv6 literal)
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.netloc)


def absolute_web_url(base: str, href: str | None) -> str | None:
    """`href` resolved against `base` when that gives an http(s) URL, else None (junk such as
    an unclosed IPv6 literal `http://[::1` included)."""
    if not href:
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    return url if is_web_url(url) else None


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """Drop tracking parameters, fragments and AMP suffixes; lower-case scheme and host."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k)]
    path = parts.path or "/"
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)] or "/"
            break
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def url_key(url: str) -> str:
    """Identity of an article across http/https, www./m./amp. hosts and tracking variants."""
    parts = urlsplit(clean_url(url))
    host = parts.netloc
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    return urlunsplit(("", host, parts.path, parts.query, "")).lstrip("/")


def registrable_domain(url: str) -> str | None:
    """The domain one registrant controls, by the Public Suffix List (courlan, via `tld`):
    news.bbc.co.uk -> bbc.co.uk, a.blogspot.com stays a.blogspot.com. Hosts the list does not
    cover (IP addresses, localhost, reserved names such as .example) stand for themselves."""
    if not is_web_url(url):
        return None
    return extract_domain(url) or urlsplit(url.strip()).hostname


def canonical_url(fetched_url: str, declared_canonical: str | None = None) -> str:
    """The page's rel=canonical when it is a web URL on the fetched URL's registrable domain
    (a page cannot claim another site's article), else the fetched URL; cleaned."""
    if (is_web_url(declared_canonical)
            and registrable_domain(declared_canonical) == registrable_domain(fetched_url)):
        return clean_url(declared_canonical)
    return clean_url(fetched_url)
