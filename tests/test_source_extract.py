"""Pure parsers of the source kinds (tracker/extract/): bytes in, values out.

Each parser runs on the fixtures written for these tests (tests/fixtures/catalog, .../feeds)
and, when ../shared/fixtures/real is present, on the real captures it documents.
"""

import base64
import gzip
import json
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.catalog_site import old_gnews_id
from tests.siteserver import FIXTURES
from tracker.extract import contracts, gdelt, googlenews, govuk, listing, sitemaps
from tracker.extract.feeds import FeedParseError, parse_feed

BASE = "http://127.0.0.1:9"


def fixture(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes().replace(b"{{BASE}}", BASE.encode())


# ---------------------------------------------------------------- feeds (hardening)
@pytest.mark.parametrize(
    "name, content_type, url, title",
    [
        (
            "rss1-rdf.xml",
            None,
            f"{BASE}/pages/rdf-1.html?rss=1",
            "Machine translation trial at a naval research office",
        ),
        (
            "rss092.xml",
            None,
            f"{BASE}/pages/rss092-1.html",
            "Logistics agency tests a scheduling assistant",
        ),
        (
            "latin1-undeclared.xml",
            "application/rss+xml",
            f"{BASE}/pages/notitle-latin1.html",
            "Ministério da Defesa testa assistente de tradução",
        ),
        (
            "cp1252-declared-utf8.xml",
            "application/rss+xml; charset=utf-8",
            f"{BASE}/pages/notitle-cp1252.html",
            "Armée de l’air signs “pilot” deal",
        ),
        (
            "feed-page-1.json",
            "application/json",
            f"{BASE}/pages/json-1.html",
            "Coast guard pilots a search assistant",
        ),
    ],
)
def test_feed_variants_parse_to_first_entry(name, content_type, url, title):
    feed = parse_feed(fixture("feeds", name), f"{BASE}/{name}", content_type)
    assert feed.entries[0].url == url
    assert feed.entries[0].title == title


def test_feed_raw_html_description_permalink_guid_and_json_next_url():
    reddit = parse_feed(fixture("feeds", "reddit-raw-html.xml"), f"{BASE}/r.xml")
    assert reddit.entries[0].summary.startswith("submitted by")
    assert reddit.entries[1].url == f"{BASE}/pages/guid-only.html"  # isPermaLink guid
    page1 = parse_feed(fixture("feeds", "feed-page-1.json"), f"{BASE}/feed-page-1.json")
    assert page1.next_url == f"{BASE}/feed-page-2.json"
    assert page1.entries[1].url is None  # an item without url is kept, unlinked
    page2 = parse_feed(fixture("feeds", "feed-page-2.json"), f"{BASE}/feed-page-2.json")
    assert page2.entries[0].url == f"{BASE}/pages/json-2.html"  # external_url


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><body>Subscribe</body></html>",
        b'{"version": "x", "items": [',
        b"\x00\x01\x02",
    ],
)
def test_feed_unusable_bodies_raise_a_parse_error(body):
    with pytest.raises(FeedParseError):
        parse_feed(body, f"{BASE}/f")


def test_json_feed_with_wrongly_typed_values_is_not_a_crash():
    feed = parse_feed(
        b'{"items": [{"url": 123, "title": 5}, {"url": "javascript:x"},'
        b' {"external_url": "/a"}], "next_url": 7}',
        f"{BASE}/f.json",
    )
    assert [e.url for e in feed.entries] == [None, None, f"{BASE}/a"]
    assert feed.next_url is None


def test_truncated_feed_recovers_the_items_before_the_cut():
    body = fixture("catalog", "feeds", "wire.xml")
    cut = body[: body.index(b"Podcast")]
    feed = parse_feed(cut, f"{BASE}/feeds/wire.xml")
    assert [e.url for e in feed.entries][:1] == [
        f"{BASE}/articles/airforce-openai.html?utm_source=rss&utm_medium=rss"
    ]
    assert feed.warnings  # recovered, and said so


@pytest.mark.needs_shared_data
def test_real_feeds_parse(real_fixtures):
    for path in sorted((real_fixtures / "rss").iterdir()) + sorted(
        (real_fixtures / "atom").iterdir()
    ):
        ctype = "application/json" if path.suffix == ".json" else None
        feed = parse_feed(path.read_bytes(), "https://example.org/feed", ctype)
        assert feed.entries, path.name
        assert sum(1 for e in feed.entries if e.url) == len(feed.entries), path.name
    blogger = parse_feed(
        (real_fixtures / "atom" / "blogger-feedburner-2016.xml").read_bytes(),
        "https://example.org/",
    )
    assert blogger.next_url and "start-index=26" in blogger.next_url  # Atom rel="next"
    uol = parse_feed(
        (real_fixtures / "rss" / "uol-noticias-latin1-undeclared-pt-dates.xml").read_bytes(),
        "https://example.org/",
        "application/rss+xml",
    )
    assert "simulações" in uol.entries[0].title


# ---------------------------------------------------------------- sitemaps
def test_news_sitemap_keeps_the_news_block():
    body = (
        fixture("catalog", "sitemaps", "news.xml")
        .replace(b"{{DATE-0}}", b"2025-06-02")
        .replace(b"{{DATE-1}}", b"2025-06-01")
        .replace(b"{{DATE-2}}", b"2025-05-31")
    )
    sm = sitemaps.parse_sitemap(body, f"{BASE}/sitemaps/news.xml")
    assert sm.kind == "urlset" and sm.skipped == 1  # the javascript: loc
    first = sm.entries[0]
    assert first.loc == f"{BASE}/articles/spain-llama.html"  # trailing space stripped
    assert first.published == "2025-06-01T08:00:00+01:00" and first.lastmod.startswith("2025-06-02")
    assert first.date == date(2025, 6, 1)  # publication_date wins over lastmod
    assert first.title.startswith("Spain's Ministry") and first.publication == "Sitemap Daily"
    assert first.language == "en" and "Defence" in first.keywords
    epoch, future = sm.entries[2], sm.entries[3]
    assert epoch.date is None and future.date is None  # implausible dates are no dates
    assert sitemaps.in_window(sm.entries[4], date(2025, 1, 1)) is False  # 2019 lastmod
    assert sitemaps.in_window(epoch, date(2025, 1, 1)) is None


def test_sitemap_index_gzip_and_bad_input():
    index = sitemaps.parse_sitemap(fixture("catalog", "sitemaps", "index.xml"), BASE)
    assert index.kind == "sitemapindex"
    assert index.entries[1].loc == f"{BASE}/sitemaps/archive-2012.xml.gz"  # CDATA loc
    packed = gzip.compress(b"\n\n" + fixture("catalog", "sitemaps", "news.xml"))
    assert len(sitemaps.parse_sitemap(packed, BASE).entries) == 5
    bomb = gzip.compress(b"<urlset>" + b" " * 3_000_000 + b"</urlset>")
    with pytest.raises(sitemaps.SitemapParseError, match="decompresses past"):
        sitemaps.parse_sitemap(bomb, BASE, max_size=1_000_000)
    for bad in (b"", b"<html><body>not found</body></html>", b"\x1f\x8bnot-gzip"):
        with pytest.raises(sitemaps.SitemapParseError):
            sitemaps.parse_sitemap(bad, BASE)
    truncated = fixture("catalog", "sitemaps", "news.xml")[:700]
    assert sitemaps.parse_sitemap(truncated, BASE).entries  # recovered up to the cut


@pytest.mark.needs_shared_data
def test_real_sitemaps(real_fixtures):
    nyt = sitemaps.parse_sitemap(
        (real_fixtures / "sitemap" / "nytimes-news-sitemap-2020-excerpt.xml").read_bytes()
    )
    assert len(nyt.entries) == 6
    assert nyt.entries[0].loc.endswith("quarantine-insanity.html")
    assert nyt.entries[0].published == "2020-05-11T09:00:01Z"
    assert nyt.entries[0].title.startswith("Quarantine Was Driving Me Crazy")
    index = sitemaps.parse_sitemap(
        (real_fixtures / "sitemap" / "sitemapindex-cdata-loc.xml").read_bytes()
    )
    assert [e.loc for e in index.entries] == [
        "http://www.example.com/sitemap1.xml.gz",
        "http://www.example.com/sitemap2.xml.gz",
    ]
    crlf = sitemaps.parse_sitemap(
        (real_fixtures / "sitemap" / "sitemaps-org-urlset.xml").read_bytes()
    )
    assert crlf.entries and crlf.entries[0].date is not None


# ---------------------------------------------------------------- GDELT
def test_gdelt_artlist_fixture_and_title_cleaning():
    body = fixture("catalog", "gdelt", "artlist.json").replace(b"{{GDELTDATE-0}}", b"20250702")
    result = gdelt.parse_artlist(body)
    assert [a.url for a in result.articles] == [
        f"{BASE}/articles/korea-naver.html",
        f"{BASE}/articles/airforce-openai.html",
    ]
    assert result.skipped == 1 and not result.truncated
    first = result.articles[0]
    assert (
        first.title == "South Korea's defence ministry adopts Naver's HyperCLOVA X for staff work"
    )
    assert first.seendate == "2025-07-02T12:00:00Z" and first.language == "English"
    assert gdelt.language_code(first.language) == "en"
    assert gdelt.clean_title("Siccità in Veneto , via libera  ") == "Siccità in Veneto, via libera"


@pytest.mark.parametrize(
    "body, error",
    [
        (
            b"Please limit requests to one every 5 seconds or contact the maintainer "
            b"for larger queries.",
            gdelt.GdeltRefused,
        ),
        (b"The specified phrase is too short.", gdelt.GdeltError),
        (b"Queries containing OR'd terms must be surrounded by ().", gdelt.GdeltError),
        (b"<html><body>502 Bad Gateway</body></html>", gdelt.GdeltError),
        (b"", gdelt.GdeltError),
        (b'{"articles": [ {"url": "http://a.example/x", "title": "cut', gdelt.GdeltError),
    ],
)
def test_gdelt_plain_text_refusals_and_broken_json(body, error):
    with pytest.raises(error):
        gdelt.parse_artlist(body)


def test_gdelt_invalid_escapes_are_repaired_and_empty_answers_are_empty():
    body = (
        b'{"articles": [ { "url": "http://a.example/x", "title": "Bad \\escape \\q here",'
        b' "seendate": "20250701T101500Z" }] }'
    )
    result = gdelt.parse_artlist(body)
    assert result.repaired and result.articles[0].title == "Bad \\escape \\q here"
    assert gdelt.parse_artlist(b"{}").articles == []
    assert gdelt.parse_artlist(b'{"articles": []}').articles == []


def test_gdelt_query_urls():
    url = gdelt.build_query_url(gdelt.ENDPOINT, "(OpenAI OR Anthropic) military", timespan="1d")
    query = parse_qs(urlsplit(url).query)
    assert query["mode"] == ["artlist"] and query["format"] == ["json"]
    assert query["maxrecords"] == ["250"] and query["timespan"] == ["1d"]
    start = datetime(2025, 3, 1, tzinfo=UTC)
    end = datetime(2025, 3, 2, 12, tzinfo=UTC)
    ranged = parse_qs(
        urlsplit(
            gdelt.build_query_url(
                gdelt.ENDPOINT, "x", timespan="1d", start=start, end=end, maxrecords=999
            )
        ).query
    )
    assert ranged["startdatetime"] == ["20250301000000"] and ranged["enddatetime"] == [
        "20250302120000"
    ]
    assert "timespan" not in ranged and ranged["maxrecords"] == ["250"]
    assert gdelt.timespan_delta("3months").days == 90 and gdelt.timespan_delta("soon") is None


@pytest.mark.needs_shared_data
def test_real_gdelt_capture(real_fixtures):
    path = real_fixtures / "gdelt" / "gdelt-doc2-artlist-250-climate-2026-07-22.json"
    result = gdelt.parse_artlist(path.read_bytes())
    assert len(result.articles) == 250 and result.truncated  # the cap: the window holds more
    assert all(a.seendate and a.seendate.endswith("Z") for a in result.articles)
    assert not any(" ," in (a.title or "") for a in result.articles)


# ---------------------------------------------------------------- Google News
def test_google_news_items_titles_and_offline_decoding():
    url = f"{BASE}/articles/spaceforce-scale.html"
    body = fixture("catalog", "googlenews", "search.xml").replace(
        b"{{GNEWS_OLD:/articles/spaceforce-scale.html}}", old_gnews_id(url).encode()
    )
    feed = googlenews.parse_search_feed(body, f"{BASE}/rss/search")
    assert len(feed.items) == 3
    first, second, third = feed.items
    assert (
        first.title
        == "Japan's Ministry of Defense signs contract with Sakana AI for analysis tools"
    )
    assert first.outlet == "Tokyo Tech Ledger" and first.outlet_url == "https://ledger.example"
    assert googlenews.decode_article_url(first.link) is None  # opaque, current format
    assert googlenews.decode_article_url(second.link) == url  # old format, offline
    assert third.outlet == "Morning Standard -"  # an outlet name ending in a hyphen
    assert third.title.endswith("Google cut o")  # truncated headline kept as given
    assert first.key == first.guid


def test_google_news_split_title_and_search_url():
    assert googlenews.split_title("A - B - Outlet") == "A - B"
    assert googlenews.split_title("Headline - Netimperative -", "Netimperative -") == "Headline"
    url = googlenews.build_search_url(
        googlenews.SEARCH_URL, "Mistral armées", hl="fr", gl="FR", since=date(2025, 1, 31)
    )
    query = parse_qs(urlsplit(url).query)
    assert query["q"] == ["Mistral armées after:2025-01-31"]
    assert query["hl"] == ["fr"] and query["ceid"] == ["FR:fr"]


def test_google_news_interstitial_pages():
    page = b'<html><head><meta http-equiv="refresh" content="0;url=https://pub.example/a"></head></html>'
    assert (
        googlenews.resolved_url_from_page(page, "https://news.google.com/x")
        == "https://pub.example/a"
    )
    links = (
        b'<a href="https://policies.google.com/privacy">Privacy</a>'
        b'<a href="https://pub.example/story">Opening story</a>'
    )
    assert (
        googlenews.resolved_url_from_page(links, "https://news.google.com/x")
        == "https://pub.example/story"
    )
    assert (
        googlenews.resolved_url_from_page(
            fixture("catalog", "googlenews", "interstitial.html"), "https://news.google.com/x"
        )
        is None
    )
    two = b'<a href="https://a.example/1">1</a><a href="https://b.example/2">2</a>'
    assert googlenews.resolved_url_from_page(two, "https://news.google.com/x") is None


@pytest.mark.needs_shared_data
def test_real_google_news_capture(real_fixtures):
    path = (
        real_fixtures / "googlenews" / "google-news-rss-search-gymshark-vs-2026-09-22-excerpt.xml"
    )
    feed = googlenews.parse_search_feed(path.read_bytes())
    assert len(feed.items) == 5
    assert feed.items[0].title == "The best activewear brands make working out look good"
    assert feed.items[0].outlet == "British GQ"
    assert feed.items[0].outlet_url == "https://www.gq-magazine.co.uk"
    for item in feed.items:  # current-format IDs: opaque, never guessed
        assert googlenews.decode_article_url(item.link) is None
        token = googlenews.article_id(item.link)
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert data[:3] == b"\x08\x13\x22"


# ---------------------------------------------------------------- GOV.UK
def test_govuk_search_and_content():
    page = govuk.parse_search(fixture("catalog", "govuk", "search-page-1.json"), BASE)
    assert page.total == 3 and len(page.results) == 2
    first = page.results[0]
    assert first.url == f"{BASE}/government/news/mod-signs-agreement-to-use-gemini-models"
    assert (
        first.api_url
        == f"{BASE}/api/content/government/news/mod-signs-agreement-to-use-gemini-models"
    )
    assert govuk.next_start(page, 2) == 2
    last = govuk.parse_search(fixture("catalog", "govuk", "search-page-2.json"), BASE)
    assert govuk.next_start(last, 2) is None
    doc = govuk.parse_content(
        fixture("catalog", "govuk", "content", "mod-signs-agreement-to-use-gemini-models.json"),
        BASE,
    )
    assert doc.first_published_at == "2025-07-15T10:00:00.000+01:00"
    assert doc.organisations == ["Ministry of Defence"] and not doc.withdrawn
    html = govuk.content_to_html(doc).decode()
    assert 'content="2025-07-15T10:00:00.000+01:00"' in html and "Gemini models" in html
    withdrawn = govuk.parse_content(
        fixture("catalog", "govuk", "content", "defence-ai-trial-update.json")
    )
    assert withdrawn.withdrawn and withdrawn.organisations == []
    with pytest.raises(govuk.GovukParseError):
        govuk.parse_content(b'{"title": "no base path"}')
    with pytest.raises(govuk.GovukParseError):
        govuk.parse_search(b"<html>422</html>")


def test_govuk_search_url_parameters():
    url = govuk.build_search_url(
        govuk.SEARCH_URL,
        organisations=["ministry-of-defence", "cabinet-office"],
        count=50,
        start=100,
        since=date(2025, 2, 1),
    )
    query = parse_qs(urlsplit(url).query)
    assert query["filter_organisations"] == ["ministry-of-defence", "cabinet-office"]
    assert query["order"] == ["-public_timestamp"] and query["start"] == ["100"]
    assert query["filter_public_timestamp"] == ["from:2025-02-01"]
    assert "link" in query["fields"] and "public_timestamp" in query["fields"]


@pytest.mark.needs_shared_data
def test_real_govuk_content_documents(real_fixtures):
    for path in sorted((real_fixtures / "gov").glob("govuk-content-api-*.json")):
        doc = govuk.parse_content(path.read_bytes())
        assert doc.url.startswith("https://www.gov.uk/"), path.name
        assert doc.first_published_at and doc.body_html.startswith('<div class="govspeak">'), (
            path.name
        )
    withdrawn = json.loads(
        (
            real_fixtures / "gov" / "govuk-content-api-news_article-news_article_withdrawn.json"
        ).read_text()
    )
    assert govuk.parse_content(json.dumps(withdrawn).encode()).withdrawn


# ---------------------------------------------------------------- listing pages and contracts
def test_listing_selectors():
    body = fixture("catalog", "newsroom", "news-releases.html")
    page = listing.parse_listing(
        body,
        f"{BASE}/newsroom/news-releases.html",
        link_selector="h3 a",
        item_selector="div.views-row",
        date_selector="time",
        next_selector="a[rel=next]",
        allow="/articles/",
    )
    assert [(link.url, link.date) for link in page.links] == [
        (f"{BASE}/articles/gsa-anthropic.html", "2025-08-12T12:00:00Z")
    ]
    assert page.links[0].title == "GSA makes Anthropic's Claude available to federal agencies"
    assert page.skipped == 1  # the mailto: link
    assert page.next_url == f"{BASE}/newsroom/news-releases-2.html"
    attr = listing.parse_listing(
        fixture("catalog", "contracts", "index.html"),
        f"{BASE}/c/",
        link_selector="a[href*='/Contract/Article/']::attr(href)",
    )
    assert [link.url for link in attr.links] == [
        f"{BASE}/News/Contracts/Contract/Article/4100123/contracts-for-march-3-2025/"
    ]
    with pytest.raises(listing.ListingError):
        listing.check_selector("div[")
    with pytest.raises(listing.ListingError):
        listing.parse_listing(b"", BASE, link_selector="a")


def test_dod_contract_page_fields():
    awards = contracts.parse_contracts_page(
        fixture("catalog", "contracts", "contracts-for-march-3-2025.html")
    )
    assert [a.company for a in awards] == [
        "Palantir USG Inc.",
        "Northwind Analytics Inc.",
        "Blue Harbor Systems LLC",
        "Tidewater Machine Works Co.",
        "Cedar Ridge AI Corp.",
        "Granite Foods Inc.",
    ]
    palantir, northwind, blue, tidewater, cedar, granite = awards
    assert palantir.agency == "ARMY" and palantir.amount_usd == 61_250_000
    assert palantir.location == "Palo Alto, California"
    assert (
        palantir.contracting_activity
        == "Army Contracting Command, Aberdeen Proving Ground, Maryland"
    )
    assert palantir.contract_number == "W56KGY-25-C-0031"
    assert palantir.contract_type == "firm-fixed-price contract"
    assert northwind.small_business and not palantir.small_business
    # Two awards in one paragraph; the first names its contract only in the text.
    assert blue.agency == tidewater.agency == "NAVY"
    assert blue.contract_number == "N00024-24-C-5510" and blue.location == "Washington, D.C."
    assert blue.contracting_activity == "Naval Sea Systems Command, Washington, D.C."
    assert tidewater.contract_number == "N00189-25-D-0007" and tidewater.small_business
    # "The contracting activity is ..." form, and a ceiling.
    assert cedar.contracting_activity == "Air Force Research Laboratory, Rome, New York"
    assert cedar.amount_usd == 15_000_000 and cedar.ceiling_usd == 45_000_000
    assert granite.agency == "DEFENSE LOGISTICS AGENCY" and granite.amount_usd == 7_800_000
    assert contracts.page_date("Contracts For Nov. 4, 2024") == date(2024, 11, 4)
    assert contracts.page_date("\nContracts for July 2, 2026\n") == date(2026, 7, 2)
    assert (
        contracts.parse_contracts_page(b"<html><body><p>No awards today.</p></body></html>") == []
    )


def test_contract_paragraph_variants():
    text = (
        "Acme Widgets Corp., Dayton, Ohio, has been awarded a $2.5 million contract for test "
        "equipment. Air Force Life Cycle Management Center, Wright-Patterson Air Force Base, "
        "Ohio, is the contracting activity (FA8601-25-C-0007). Second Co., Austin, Texas, "
        "received a $1,000,000 order. The contracting activity is Army Contracting Command, "
        "Rock Island, Illinois."
    )
    first, second = contracts.parse_awards(text, "AIR FORCE")
    assert first.amount_usd == 2_500_000 and first.contract_number == "FA8601-25-C-0007"
    assert first.contracting_activity.startswith("Air Force Life Cycle Management Center")
    assert second.company == "Second Co." and second.amount_usd == 1_000_000
    assert second.contracting_activity == "Army Contracting Command, Rock Island, Illinois"
    assert second.contract_number is None


def _metadata_step(path_or_pages):
    """(title, date) by trafilatura's whole metadata step and by the tracker's shorter one."""
    import trafilatura.metadata
    from lxml import html as lxml_html

    from tracker.extract.article import DATE_PARAMS, title_and_date

    for url, body in path_or_pages:
        tree = lxml_html.fromstring(body)
        full = trafilatura.metadata.extract_metadata(tree, url, DATE_PARAMS)
        yield url, (full.title, full.date), title_and_date(tree, url)


JSON_LD_PAGE = """<html><head><title>Site | Section</title><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Ministry signs for a language model",
 "datePublished": "2025-02-03T08:00:00Z"}</script></head>
<body><article><h1>Other heading</h1><p>Body text.</p></article></body></html>"""
URL_DATE_PAGE = """<html><head><title>Ministry &amp; model</title></head>
<body><article><p>Body text without a date.</p></article></body></html>"""


def _own_pages():
    from bench.pages import article_page

    yield "https://example.org/jsonld", JSON_LD_PAGE
    yield "https://example.org/2024/03/05/story.html", URL_DATE_PAGE  # a date in the URL only
    for path in sorted((FIXTURES / "site" / "articles").glob("*.html")):
        yield f"https://example.org/articles/{path.name}", path.read_bytes()
    for index in range(0, 63, 5):  # seven languages, supply reports and other news
        path = f"/news/{index}.html"
        yield "https://example.org" + path, article_page(index, "https://example.org", path)[0]


def test_title_and_date_are_those_of_trafilaturas_metadata_step():
    """The tracker skips trafilatura's author, site name, tag and license searches (half the
    extraction time); title and date must stay what that step finds, through upgrades."""
    compared = list(_metadata_step(_own_pages()))
    assert len(compared) == 23 and sum(bool(full[1]) for _, full, _ in compared) >= 15
    assert compared[0][1] == ("Ministry signs for a language model", "2025-02-03")
    assert compared[1][1] == ("Ministry & model", "2024-03-05")
    assert [(url, full) for url, full, _ in compared] == [(url, lean) for url, _, lean in compared]


@pytest.mark.needs_shared_data
def test_title_and_date_on_real_article_pages(real_fixtures):
    pages = [(f"https://example.org/{path.name}", path.read_bytes())
             for path in sorted((real_fixtures / "article-html").glob("*.html"))]
    compared = list(_metadata_step(pages))
    assert len(compared) >= 20
    assert [(url, full) for url, full, _ in compared] == [(url, lean) for url, _, lean in compared]
