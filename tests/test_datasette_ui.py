"""What readers see: Datasette on a database built by crawling the demo site (tests/conftest.py
`demo_db`), configured exactly as `tracker serve` configures it (tracker.web.build_datasette).

Expectations are the demo articles' facts (demo/site/articles) and, where a number depends on
the events layer's details, the same figure computed from the normalized tables.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from tracker.web import build_datasette, load_metadata

pytestmark = pytest.mark.slow  # the demo crawl (`demo_db`, a `tracker crawl` subprocess)

ATOM = "{http://www.w3.org/2005/Atom}"
QUERIES = load_metadata()["databases"]["tracker"]["queries"]


@pytest.fixture
def db(demo_db):
    return demo_db[0]


@pytest.fixture
def ds(db):
    return build_datasette(db)


def sql(db, query, params=()):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(query, params)]
    finally:
        con.close()


async def get_json(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


async def rows(ds, path):
    sep = "&" if "?" in path else "?"
    return await get_json(ds, f"{path}{sep}_shape=array&_size=max")


def event_with_url(rows_, fragment):
    matches = [r for r in rows_ if fragment in r["urls"]]
    assert len(matches) == 1, (fragment, [r["urls"] for r in rows_])
    return matches[0]


# ------------------------------------------------------------------ timeline, facets, labels
async def test_timeline_newest_first_with_facets(ds, db):
    data = await get_json(ds, "/tracker/timeline.json?_shape=objects&_size=max&_facet_size=max")
    timeline = data["rows"]
    events = sql(db, "SELECT count(*) AS n FROM events")[0]["n"]
    assert len(timeline) == events >= 12
    dates = [r["event_date"] for r in timeline]
    assert dates == sorted(dates, reverse=True)
    assert timeline[0]["event_date"] == "2026-10-20"  # Estonia / GPT-4o, the newest demo story

    for column in ("event_id", "event_date", "date_precision", "event_type", "summary", "vendors",
                   "models", "countries", "agencies", "partners", "urls", "confidence",
                   "month", "country_names"):
        assert column in data["columns"], column

    nato = event_with_url(timeline, "nato-palantir-mss.html")
    assert json.loads(nato["vendors"]) == ["Palantir"]
    assert json.loads(nato["models"]) == ["Maven Smart System"]
    assert "NATO" in json.loads(nato["agencies"])
    assert sorted(u.rsplit("/", 1)[1] for u in json.loads(nato["urls"])) == [
        "nato-mss-second-outlet.html", "nato-palantir-mss.html"]  # two outlets, one event
    france = event_with_url(timeline, "minarm-mistral-lechat.html")
    assert json.loads(france["countries"]) == ["FRA"]
    assert json.loads(france["country_names"]) == ["France"]
    assert france["month"] == "2026-02"
    urls = " ".join(r["urls"] for r in timeline)
    assert "anthropic-funding-round" not in urls and "eu-ai-act-leitlinien" not in urls

    facets = data["facet_results"]
    assert {"event_type", "month", "countries", "vendors", "models", "agencies",
            "partners"} <= set(facets)
    assert facets["countries"]["type"] == "list" and facets["vendors"]["type"] == "list"
    vendor_counts = {f["value"]: f["count"] for f in facets["vendors"]["results"]}
    assert vendor_counts["Palantir"] == 2  # NATO and the UK MoD
    expected_countries = Counter(r["country_code"] for r in sql(
        db, "SELECT DISTINCT event_id, country_code FROM event_countries"))
    country_counts = {f["value"]: f["count"] for f in facets["countries"]["results"]}
    assert country_counts["USA"] == expected_countries["USA"] >= 3
    assert country_counts["FRA"] == 1
    type_counts = {f["value"]: f["count"] for f in facets["event_type"]["results"]}
    assert type_counts == dict(Counter(r["event_type"] for r in timeline))
    month_counts = {f["value"]: f["count"] for f in facets["month"]["results"]}
    assert month_counts["2025-04"] == Counter(r["month"] for r in timeline)["2025-04"] >= 1
    agency_counts = {f["value"]: f["count"] for f in facets["agencies"]["results"]}
    assert agency_counts["NATO"] == 1
    # deal facts (m016): the $200 million award, NATO's undisclosed terms, stages
    value_counts = {f["value"]: f["count"] for f in facets["value_kind"]["results"]}
    assert value_counts == {"awarded": 1, "undisclosed": 1}
    assert {"vehicle", "security_level"} <= set(facets)
    staged = await get_json(ds, "/tracker/timeline.json?_facet_value=stage&_size=max")
    stage_counts = {f["value"]: f["count"] for f in staged["facet_results"]["stage"]["results"]}
    assert stage_counts == dict(Counter(r["stage"] for r in timeline))


async def test_array_facet_filter_and_search_on_timeline(ds):
    palantir = await rows(ds, "/tracker/timeline.json?vendors__arraycontains=Palantir")
    assert {tuple(json.loads(r["countries"])) for r in palantir} == {("GBR",), ()}
    nato = await rows(ds, "/tracker/timeline.json?_search=NATO")
    assert len(nato) == 1 and "NATO" in nato[0]["summary"]
    # accents are folded: 'deploie' finds 'déploie'
    french = await rows(ds, "/tracker/timeline.json?_search=deploie")
    assert [json.loads(r["vendors"]) for r in french] == [["Mistral AI"]]


async def test_indexed_array_filters_and_facets_agree_with_the_arrays(ds):
    """Filters and facets read the timeline_values index (db/migrations.py m010); what they
    return must be what the JSON arrays say, filtered or not."""
    everything = await rows(ds, "/tracker/timeline.json")
    for column in ("countries", "vendors", "partners"):
        values = Counter(v for r in everything for v in json.loads(r[column]))
        value, _count = values.most_common(1)[0]
        data = await get_json(ds, f"/tracker/timeline.json?{column}__arraycontains={value}"
                                  "&_shape=objects&_size=max&_facet_size=max")
        assert "timeline_values" in data["query"]["sql"]  # found through the index
        expected = [r["event_id"] for r in everything if value in json.loads(r[column])]
        assert sorted(r["event_id"] for r in data["rows"]) == sorted(expected)
        # facets on the filtered rows count those rows only
        vendors = Counter(v for r in data["rows"] for v in json.loads(r["vendors"]))
        assert {f["value"]: f["count"] for f in data["facet_results"]["vendors"]["results"]} \
            == dict(vendors)
    # an event-type filter: list facets count the filtered rows (not the index of all rows)
    kind = Counter(r["event_type"] for r in everything).most_common(1)[0][0]
    data = await get_json(ds, f"/tracker/timeline.json?event_type={kind}&_shape=objects"
                              "&_size=max&_facet_size=max")
    countries = Counter(v for r in data["rows"] for v in json.loads(r["countries"]))
    assert {f["value"]: f["count"] for f in data["facet_results"]["countries"]["results"]} \
        == dict(countries)
    assert len(data["rows"]) < len(everything)
    none = await rows(ds, "/tracker/timeline.json?countries__arraycontains=ZZZ")
    assert none == []


LIST_FACETS = ("countries", "vendors", "models", "agencies", "partners")


def value_counts(rows_, column):
    """What a list facet must say: each value once per row whose array holds it."""
    return Counter(v for r in rows_ for v in json.loads(r[column]))


@pytest.mark.parametrize("query", [
    "",                                          # every event: the timeline_values index
    "_search=awards",                            # full-text search
    "event_type=contract",
    "vendors__arraycontains=Palantir",
    "event_type=contract&_search=awards",
    "_facet_list=country_names",                 # a list facet outside the index, every row
    "event_type=contract&_facet_list=country_names",
])
async def test_list_facets_count_the_rows_of_every_page(ds, query):
    """Every list facet on every kind of page counts exactly the page's rows (all of them, not
    just those shown), whichever way it is computed (db/migrations.py m010, ListFacet)."""
    data = await get_json(ds, f"/tracker/timeline.json?{query}&_shape=objects&_size=max"
                              "&_facet_size=max")
    rows_ = data["rows"]
    assert len(rows_) >= 2
    facets = {n: f for n, f in data["facet_results"].items() if f["type"] == "list"}
    assert set(LIST_FACETS) <= set(facets)
    for column, facet in facets.items():
        assert {f["value"]: f["count"] for f in facet["results"]} \
            == dict(value_counts(rows_, column)), column
        assert not facet["truncated"]
    # rows sharing an array count once each (not once per distinct array)
    arrays = Counter(r[column] for r in rows_ for column in facets if r[column] != "[]")
    assert max(arrays.values()) > 1


@pytest.mark.parametrize("query", ["", "_search=awards", "event_type=contract"])
async def test_list_facets_show_the_most_frequent_values_first(ds, query):
    size = 2
    everything = await rows(ds, f"/tracker/timeline.json?{query}")
    data = await get_json(ds, f"/tracker/timeline.json?{query}&_facet_size={size}")
    for column in LIST_FACETS:
        counts = value_counts(everything, column)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        facet = data["facet_results"][column]
        assert [(f["value"], f["count"]) for f in facet["results"]] == ranked[:size], column
        assert facet["truncated"] is (len(counts) > size)


async def test_event_type_pages_read_the_newest_events_first_from_an_index(db):
    """m011: the timeline filtered by an event type reads its first page in date order instead
    of sorting every event of that type."""
    plan = " | ".join(r["detail"] for r in sql(
        db, "EXPLAIN QUERY PLAN SELECT * FROM timeline WHERE event_type = 'contract' "
            "ORDER BY event_date DESC LIMIT 51"))
    assert "events_type_date" in plan and "TEMP B-TREE" not in plan, plan


async def test_datasette_maps_the_database_into_memory(ds):
    result = await ds.get_database("tracker").execute("PRAGMA mmap_size")
    assert result.rows[0][0] > 0


async def test_timeline_html_has_readable_labels_and_source_links(ds, demo_db):
    response = await ds.client.get("/tracker/timeline")
    assert response.status_code == 200
    page = response.text
    assert "France (FRA)" in page and "United States (USA)" in page
    base = demo_db[1]
    assert f'<a href="{base}/articles/nato-palantir-mss.html"' in page
    assert 'href="/tracker/timeline?vendors__arraycontains=Palantir"' in page
    assert "/-/tracker/tracker.css" in page
    # facets render with their labels and counts
    assert "vendors (list)" in page and "countries (list)" in page


# ------------------------------------------------------------------ canned queries
async def test_events_by_country(ds):
    by_code = await rows(ds, "/tracker/events_by_country.json?country=FRA")
    by_name = await rows(ds, "/tracker/events_by_country.json?country=france")
    assert by_code == by_name and len(by_code) == 1
    assert json.loads(by_code[0]["vendors"]) == ["Mistral AI"]
    assert json.loads(by_code[0]["models"]) == ["Le Chat"]
    korea = await rows(ds, "/tracker/events_by_country.json?country=KOR")
    assert [json.loads(r["vendors"]) for r in korea] == [["Naver"]]


async def test_events_by_vendor_answers_what_palantir_supplied_to_whom(ds):
    palantir = await rows(ds, "/tracker/events_by_vendor.json?vendor=palantir")
    supplied = {(tuple(json.loads(r["models"])), tuple(json.loads(r["countries"])))
                for r in palantir}
    assert supplied == {(("Palantir AIP",), ("GBR",)), (("Maven Smart System",), ())}
    uk = next(r for r in palantir if "GBR" in r["countries"])
    assert "UK Ministry of Defence" in json.loads(uk["agencies"])
    assert "AWS" in json.loads(uk["partners"])
    assert await rows(ds, "/tracker/events_by_vendor.json?vendor=") == []


async def test_events_by_agency_finds_everything_involving_nato(ds):
    nato = await rows(ds, "/tracker/events_by_agency.json?agency=NATO")
    assert len(nato) == 1
    assert {"NATO", "NCIA"} <= set(json.loads(nato[0]["agencies"]))
    assert len(json.loads(nato[0]["urls"])) == 2
    bundeswehr = await rows(ds, "/tracker/events_by_agency.json?agency=Bundeswehr")
    assert [json.loads(r["vendors"]) for r in bundeswehr] == [["Helsing"]]


async def test_models_by_country_for_a_year(ds, db):
    result = await rows(ds, "/tracker/models_by_country.json?year=2026")
    pairs = {(r["country_code"], r["model"]) for r in result}
    assert {("FRA", "Le Chat"), ("GBR", "Palantir AIP"), ("JPN", "Claude"),
            ("USA", "ChatGPT Gov"), ("POL", "Gemini"), ("ESP", "Azure OpenAI Service")} <= pairs
    assert all(r["first_event"].startswith("2026") for r in result)
    assert ("USA", "Llama") not in pairs  # 2025
    older = await rows(ds, "/tracker/models_by_country.json?year=2025")
    assert ("USA", "Llama") in {(r["country_code"], r["model"]) for r in older}


async def test_vendor_country_matrix_and_events_per_month(ds, db):
    matrix = await rows(ds, "/tracker/vendor_country_matrix.json")
    expected = sql(db, """SELECT v.name AS vendor, ec.country_code AS country,
                                 count(DISTINCT ev.event_id) AS events
                          FROM event_vendors ev JOIN vendors v ON v.id = ev.vendor_id
                          JOIN event_countries ec ON ec.event_id = ev.event_id
                          GROUP BY v.name, ec.country_code""")
    assert {(r["vendor"], r["country"], r["events"]) for r in matrix} == {
        (r["vendor"], r["country"], r["events"]) for r in expected}
    assert any(r["vendor"] == "Palantir" and r["country_name"] == "United Kingdom" for r in matrix)

    per_month = await rows(ds, "/tracker/events_per_month_by_vendor.json")
    assert {"month": "2025-04", "vendor": "Palantir", "events": 1} in per_month
    assert sum(r["events"] for r in per_month) == sql(
        db, "SELECT count(*) AS n FROM (SELECT DISTINCT event_id, vendor_id "
            "FROM event_vendors)")[0]["n"]


async def test_new_events_since(ds, db):
    everything = await rows(ds, "/tracker/new_events_since.json?since=2000-01-01")
    assert len(everything) == sql(db, "SELECT count(*) AS n FROM events")[0]["n"]
    assert await rows(ds, "/tracker/new_events_since.json?since=2999-01-01") == []
    # A week ago from the newest first_seen: the whole freshly crawled demo.
    newest = max(r["first_seen"] for r in everything)
    assert len(await rows(ds, f"/tracker/new_events_since.json?since={newest[:10]}")) >= 1
    feed = await ds.client.get("/tracker/new_events_since.atom?since=2000-01-01")
    assert feed.status_code == 200 and feed.text.count("<entry>") == len(everything)


async def test_articles_needing_review(ds, db):
    review = await rows(ds, "/tracker/articles_needing_review.json")
    helios = [r for r in review if "estonia-mod-helios" in r["url"]]
    assert helios and "Helios Vision Technologies" in helios[0]["unmatched_names"]
    # Exactly the articles with unmatched names, flags or a low-confidence event.
    expected = {r["url"] for r in sql(db, """
        SELECT a.url FROM articles a
        WHERE EXISTS (SELECT 1 FROM unmatched_mentions u WHERE u.article_id = a.id)
           OR a.flags NOT IN ('[]', '')
           OR (SELECT min(confidence) FROM event_articles ea WHERE ea.article_id = a.id) < 0.75""")}
    assert {r["url"] for r in review} == expected
    strict = await rows(ds, "/tracker/articles_needing_review.json?max_confidence=1.01")
    assert len(strict) > len(review) or len(review) == len(sql(db, "SELECT id FROM articles"))


async def test_full_text_search_query(ds):
    hits = await rows(ds, "/tracker/search.json?q=NATO")
    kinds = Counter(r["kind"] for r in hits)
    assert kinds["event"] == 1 and kinds["article"] == 2
    assert all("[NATO]" in r["snippet"] for r in hits)
    assert await rows(ds, "/tracker/search.json?q=Maven%20%20Smart") != []
    assert await rows(ds, "/tracker/search.json?q=") == []
    assert await rows(ds, "/tracker/search.json?q=%22") == []  # a lone quote is no error
    german = await rows(ds, "/tracker/search.json?q=Sensordaten")
    assert [r["kind"] for r in german] == ["article"] and "helsing" in german[0]["url"]
    # Datasette's own search box on the articles table uses the same index
    table = await rows(ds, "/tracker/articles.json?_search=Thunderforge")
    assert len(table) == 1 and "scale" in table[0]["url"]


async def test_adopters_map_has_centroids(ds):
    countries = await rows(ds, "/tracker/adopters_map.json")
    by_code = {r["code"]: r for r in countries}
    assert by_code["USA"]["events"] >= 3
    assert 35 < by_code["FRA"]["latitude"] < 55 and -5 < by_code["FRA"]["longitude"] < 10
    assert 30 < by_code["JPN"]["latitude"] < 45 and 125 < by_code["JPN"]["longitude"] < 150
    assert json.loads(by_code["KOR"]["popup"])["link"] == "/tracker/events_by_country?country=KOR"
    page = await ds.client.get("/tracker/adopters_map")
    assert "datasette-cluster-map.js" in page.text  # the map plugin attaches to this page


async def test_every_canned_query_runs(ds):
    params = {"country": "USA", "vendor": "OpenAI", "agency": "GSA", "year": "2025",
              "since": "2000-01-01", "q": "contract", "max_confidence": "0.75", "min_usd": "0"}
    for name, query in QUERIES.items():
        qs = "&".join(f"{p}={params[p]}" for p in query.get("params", []))
        result = await rows(ds, f"/tracker/{name}.json?{qs}")
        assert result, f"{name} returned no rows"
        html = await ds.client.get(f"/tracker/{name}?{qs}")
        assert html.status_code == 200 and query["title"] in html.text


# ------------------------------------------------------------------ Atom
async def test_atom_feed_of_new_events(ds, db, demo_db):
    response = await ds.client.get("/tracker/new_events.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "New events (Atom feed)"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == sql(db, "SELECT count(*) AS n FROM events")[0]["n"]
    by_id = {}
    for entry in entries:
        event_id = entry.findtext(f"{ATOM}id").rsplit("/", 1)[1]
        by_id[event_id] = entry
        assert entry.findtext(f"{ATOM}updated")
    timeline = sql(db, "SELECT event_id, summary, urls, event_date, event_type FROM timeline")
    for event in timeline:
        entry = by_id[event["event_id"]]
        title = entry.findtext(f"{ATOM}title")
        assert title == f"{event['event_date']} {event['event_type']}: {event['summary']}"
        content = entry.findtext(f"{ATOM}content")
        for url in json.loads(event["urls"]):  # every source, as a link
            assert f'<a href="{url}">' in content
        assert entry.find(f"{ATOM}link").get("href") == json.loads(event["urls"])[0]
    nato = next(e for e in entries if "Maven" in e.findtext(f"{ATOM}title"))
    assert nato.findtext(f"{ATOM}content").count('<a href="http') == 2
    assert f"{demo_db[1]}/articles/nato-palantir-mss.html" in nato.findtext(f"{ATOM}content")


# ------------------------------------------------------------------ dashboard (charts + map)
async def test_dashboard_page_and_chart_queries(ds, db):
    page = await ds.client.get("/-/dashboards/adoption")
    assert page.status_code == 200
    for chart in ("events-over-time", "adopters-by-country", "world-map", "vendor-country-matrix"):
        assert f'id="chart-{chart}"' in page.text
    assert "vega-lite.min.js" in page.text
    charts = load_metadata()["plugins"]["datasette-dashboards"]["adoption"]["charts"]
    results = {}
    for name, chart in charts.items():
        results[name] = await rows(ds, "/tracker.json?sql=" + _quote(chart["query"]))
        assert results[name], name
    adopters = {r["country"]: r["events"] for r in results["adopters-by-country"]}
    assert adopters["United States"] >= 3 and adopters["France"] == 1
    assert all(r["latitude"] is not None for r in results["world-map"])
    assert {r["vendor"] for r in results["events-over-time"]} >= {
        "Palantir", "OpenAI", "Mistral AI", "Helsing", "Naver", "Anthropic", "Meta", "Cohere"}
    land = await ds.client.get("/-/tracker/land-110m.json")
    assert land.status_code == 200 and land.json()["type"] == "Topology"
    for probe in ("/-/tracker/..%2Fmetadata.yml", "/-/tracker/README.md", "/-/tracker/.x.json"):
        response = await ds.client.get(probe)
        assert response.status_code != 200 and "databases:" not in response.text, probe


def _quote(text):
    from urllib.parse import quote

    return quote(text)


# ------------------------------------------------------------------ serving rules
async def test_settings_limits_and_mutable_database(ds, db):
    settings = await get_json(ds, "/-/settings.json")
    assert settings["sql_time_limit_ms"] == 1500 and settings["max_returned_rows"] == 2000
    assert ds.databases["tracker"].is_mutable
    plugins = {p["name"] for p in await get_json(ds, "/-/plugins.json")}
    assert {"datasette-atom", "datasette-cluster-map", "datasette-dashboards"} <= plugins
    # arbitrary SQL is allowed locally, and the time limit applies to it
    slow = await ds.client.get("/tracker.json?sql=" + _quote(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"))
    assert slow.status_code == 400 and "interrupted" in slow.text.lower()


async def test_reads_what_a_writer_commits_while_serving(ds, db, tmp_path):
    copy = tmp_path / "tracker.db"
    shutil.copy(db, copy)
    live = build_datasette(copy)
    before = (await get_json(live, "/tracker/events.json?_size=1"))["filtered_table_rows_count"]
    facets = (await get_json(live, "/tracker/timeline.json"))["facet_results"]
    vendor_counts = {r["value"]: r["count"] for r in facets["vendors"]["results"]}
    con = sqlite3.connect(copy)
    con.execute("INSERT INTO events (id, event_date, date_precision, event_type, summary, "
                "confidence, first_seen, updated_at, vendors) VALUES ('cron-write', '2026-11-01', "
                "'day', 'pilot', 'Written by cron while Datasette serves', 0.9, "
                "'2026-11-29T00:00:00+00:00', '2026-11-29T00:00:00+00:00', '[\"Palantir\"]')")
    con.commit()
    con.close()
    after = await get_json(live, "/tracker/events.json?_size=1")
    assert after["filtered_table_rows_count"] == before + 1
    # Cached facet counts follow the write.
    facets = (await get_json(live, "/tracker/timeline.json"))["facet_results"]
    assert {r["value"]: r["count"] for r in facets["vendors"]["results"]}["Palantir"] == \
        vendor_counts["Palantir"] + 1
    found = await rows(live, "/tracker/search.json?q=cron%20Datasette")  # FTS trigger
    assert [r["event_id"] for r in found] == ["cron-write"]


async def test_public_mode_turns_arbitrary_sql_off(db):
    public = build_datasette(db, public=True)
    assert (await public.client.get("/tracker.json?sql=select+1")).status_code == 403
    assert (await public.client.get("/tracker.db")).status_code in (403, 404)
    assert (await public.client.get("/-/dashboards/adoption")).status_code == 403
    assert (await public.client.get("/tracker/timeline.json")).status_code == 200
    assert (await public.client.get("/tracker/new_events.atom")).status_code == 200
    by_vendor = await public.client.get("/tracker/events_by_vendor.json?vendor=Palantir")
    assert by_vendor.json()["rows"]
    assert (await public.client.get("/tracker/timeline.json?_search=NATO")).json()["rows"]


async def test_scraped_text_is_escaped_everywhere(db, tmp_path):
    copy = tmp_path / "tracker.db"
    shutil.copy(db, copy)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quoted\""
    con = sqlite3.connect(copy)
    event_id = con.execute("SELECT id FROM events ORDER BY event_date DESC LIMIT 1").fetchone()[0]
    con.execute("UPDATE events SET summary = ? WHERE id = ?", [hostile, event_id])
    article_id = con.execute("SELECT article_id FROM event_articles WHERE event_id = ?",
                             [event_id]).fetchone()[0]
    con.execute("UPDATE articles SET title = ?, url = ? WHERE id = ?",
                [hostile, 'javascript:alert("x")', article_id])
    con.commit()
    con.close()
    ds = build_datasette(copy)
    for path in ("/tracker/timeline", f"/tracker/events/{event_id}", "/tracker/articles",
                 "/tracker/new_events", "/tracker/search?q=alert",
                 "/tracker/events_by_vendor?vendor=OpenAI"):
        page = (await ds.client.get(path)).text
        assert "<script>alert(1)" not in page, path
        assert "<img src=x" not in page, path
        assert 'href="javascript:' not in page, path
    timeline = (await ds.client.get("/tracker/timeline")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in timeline
    feed = (await ds.client.get("/tracker/new_events.atom")).text
    entry = ET.fromstring(feed.encode())
    contents = [c.text or "" for c in entry.iter(f"{ATOM}content")]
    hostile_content = next(c for c in contents if "alert(1)" in c)
    assert "<script" not in hostile_content and "<img" not in hostile_content
    assert "javascript:" not in " ".join(
        re.findall(r'href="([^"]*)"', hostile_content))


def test_fts_indexes_follow_writes_and_reprocess(db, tmp_path):
    from tests.conftest import run_tracker

    copy = tmp_path / "tracker.db"
    shutil.copy(db, copy)

    def check(path):
        con = sqlite3.connect(path)
        for fts in ("articles_fts", "events_fts"):  # raises if an index disagrees with its table
            con.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        con.close()

    def hits(path, table, term):
        con = sqlite3.connect(path)
        found = con.execute(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?",
                            [term]).fetchone()[0]
        con.close()
        return found

    check(copy)
    assert hits(copy, "articles", "Thunderforge") == 1
    con = sqlite3.connect(copy)
    event_id = con.execute(
        "SELECT id FROM events WHERE summary LIKE '%Thunderforge%'").fetchone()[0]
    con.execute("UPDATE events SET summary = 'Renamed headline zyxwv' WHERE id = ?", [event_id])
    con.commit()
    assert hits(copy, "events", "zyxwv") == 1 and hits(copy, "events", "Thunderforge") == 0
    con.execute("DELETE FROM event_articles WHERE event_id = ?", [event_id])
    for table in ("event_vendors", "event_models", "event_countries", "event_agencies",
                  "event_partners"):
        con.execute(f"DELETE FROM {table} WHERE event_id = ?", [event_id])
    con.execute("DELETE FROM events WHERE id = ?", [event_id])
    con.commit()
    con.close()
    assert hits(copy, "events", "zyxwv") == 0
    check(copy)
    # reprocess re-derives every event: the indexes follow
    result = run_tracker("reprocess", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    check(copy)
    assert hits(copy, "events", "Thunderforge") == 1
