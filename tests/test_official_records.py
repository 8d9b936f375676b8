"""Official-record source kinds crawled for real (`tracker crawl`) against 127.0.0.1, twice.

The fixtures under tests/fixtures/records/<kind>/ are the publishers' formats (see each
ORIGIN.md); a second crawl of the same answers must store nothing new.
"""

from __future__ import annotations

import json

import pytest

from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.siteserver import FIXTURES, SiteServer
from tracker.web import build_datasette

pytestmark = pytest.mark.slow  # each test crawls for seconds

RECORDS = FIXTURES / "records"
JSON = "application/json"
SEARCH = "/api/v2/search/spending_by_award/"


def usaspending_site(answers=None):
    """The award search: page n of the fixture for the request body's `page`; `answers` may
    replace the n-th answer (status, headers, body) to simulate rate limits."""
    site = SiteServer(RECORDS / "usaspending")
    answers = dict(answers or {})

    def search(path, headers):
        call = len([p for p, _ in site.bodies if p == SEARCH])
        if call in answers:
            return answers[call]
        page = json.loads(site.bodies[-1][1])["page"]
        body = (RECORDS / "usaspending" / f"spending_by_award-page-{page}.json").read_bytes()
        return 200, {"Content-Type": JSON}, body

    site.routes[SEARCH] = search
    return site


def usaspending_source(site, **options):
    return {"name": "awards", "kind": "usaspending", "url": site.base + SEARCH,
            "keywords": ["artificial intelligence", "Gemini"], **options}


def test_usaspending_pages_records_and_a_second_crawl_adds_nothing(tmp_path):
    with usaspending_site() as site:
        sources = write_sources(tmp_path / "s.yml", [usaspending_source(site, limit=3)])
        db = tmp_path / "t.db"
        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        summary = crawl_summary(first.stdout)["awards"]
        assert summary["status"] == "ok" and summary["records"] == 5
        assert summary["skipped"] == 1  # the entry that is not an object
        request = json.loads(site.bodies[0][1])
        assert request["filters"]["keywords"] == ["artificial intelligence", "Gemini"]
        assert request["filters"]["award_type_codes"] == ["A", "B", "C", "D"]
        assert request["limit"] == 3 and [json.loads(b)["page"] for _, b in site.bodies] == [1, 2]
        stored = {r["record_id"]: r for r in rows(db, "SELECT * FROM official_records")}
        before = rows(db, "SELECT id, updated_at FROM official_records ORDER BY id")
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
        assert crawl_summary(second.stdout)["awards"]["records"] == 0
    assert rows(db, "SELECT id, updated_at FROM official_records ORDER BY id") == before
    google = stored["CONT_AWD_FIXTURE0001_6901_FIXTUREBPA01_4732"]
    assert (google["recipient"], google["agency"], google["value"], google["value_kind"],
            google["currency"], google["record_date"], google["vehicle"]) == (
        "GOOGLE PUBLIC SECTOR LLC", "Department of Transportation", 1250000.0, "obligation",
        "USD", "2025-09-26", "FIXTUREBPA01")
    assert google["url"].endswith("/award/CONT_AWD_FIXTURE0001_6901_FIXTUREBPA01_4732")
    assert json.loads(google["raw"])["Award ID"] == "FIXTURE0001"
    assert stored["CONT_AWD_FIXTURE0003_1443_-NONE-_-NONE-"]["value"] == 98000.5  # text amount
    oversized = stored["CONT_AWD_FIXTURE0005_8900_-NONE-_-NONE-"]
    assert oversized["value"] is None and oversized["value_kind"] is None
    runs = rows(db, "SELECT new_records FROM crawl_runs ORDER BY started")
    assert [r["new_records"] for r in runs] == [5, 0]


def test_usaspending_backs_off_on_429_and_5xx_then_fails_with_the_reason(tmp_path):
    limited = (429, {"Content-Type": JSON}, b'{"detail": "Request was throttled."}')
    broken = (502, {"Content-Type": "text/html"}, b"<h1>Bad gateway</h1>")
    with usaspending_site({1: limited, 2: broken}) as site:
        sources = write_sources(tmp_path / "s.yml", [usaspending_source(site)])
        db = tmp_path / "t.db"
        result = crawl(sources, db, "-s", "TRACKER_BACKOFF_BASE=0.3")
        assert result.returncode == 0, result.stderr
        calls = [t for t, p, _ in site.log if p == SEARCH]
        assert len(calls) == 4  # 429, 502, then pages 1 and 2
        assert calls[1] - calls[0] >= 0.3 and calls[2] - calls[1] >= 0.6  # backoff doubles
    with usaspending_site(dict.fromkeys(range(1, 10), limited)) as site:
        sources = write_sources(tmp_path / "s2.yml", [usaspending_source(site)])
        result = crawl(sources, tmp_path / "t2.db", "-s", "TRACKER_BACKOFF_BASE=0.05")
        assert result.returncode == 1
        assert "FAILED awards: HTTP 429 (rate-limited)" in result.stderr
        assert len([p for p, _ in site.bodies]) == 4  # the first try and 3 backed-off retries


def test_usaspending_unreadable_answer_fails_the_source_as_parse(tmp_path):
    garbage = (200, {"Content-Type": JSON}, b'{"results": "nope"}')
    with usaspending_site({1: garbage}) as site:
        sources = write_sources(tmp_path / "s.yml", [usaspending_source(site)])
        result = crawl(sources, tmp_path / "t.db")
    assert result.returncode == 1
    assert "FAILED awards: parse error" in result.stderr and "no 'results' list" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- fedramp
AI_PRODUCTS = r"\bAI\b|Google Workspace|Grok|Gemini|ChatGPT|Perplexity|artificial intelligence"


def fedramp_site(tmp_path, snapshot: str):
    root = tmp_path / "fedramp-site"
    root.mkdir(exist_ok=True)
    (root / "data.json").write_bytes((RECORDS / "fedramp" / snapshot).read_bytes())
    return SiteServer(root, validators=True)


def test_fedramp_products_status_history_and_unchanged_file(tmp_path):
    db = tmp_path / "t.db"
    with fedramp_site(tmp_path, "data-2025-09-05.json") as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "fedramp", "kind": "fedramp", "url": site.base + "/data.json",
             "match": AI_PRODUCTS}])
        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        assert crawl_summary(first.stdout)["fedramp"]["records"] == 9
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
        assert crawl_summary(second.stdout)["fedramp"]["records"] == 0
        assert site.log[-1][2].get("If-None-Match")  # conditional GET: answered 304
        chatgpt_before = rows(db, "SELECT * FROM official_records WHERE id = ?",
                              ["fedramp:FR2533155773"])[0]
        (tmp_path / "fedramp-site" / "data.json").write_bytes(
            (RECORDS / "fedramp" / "data-2026-04-13.json").read_bytes())
        third = crawl(sources, db)
        assert third.returncode == 0, third.stderr
    stored = {r["id"]: r for r in rows(db, "SELECT * FROM official_records")}
    chatgpt = stored["fedramp:FR2533155773"]
    assert (chatgpt_before["status"], chatgpt_before["security_level"]) == (
        "FedRAMP In Process", "20x Low")
    assert (chatgpt["title"], chatgpt["recipient"], chatgpt["status"], chatgpt["record_date"]) == (
        "ChatGPT Enterprise and API Platform", "OpenAI", "FedRAMP Authorized", "2026-01-09")
    assert chatgpt["first_seen"] == chatgpt_before["first_seen"]
    steps = sorted(r["title"] for r in stored.values()
                   if r["vehicle"] == "FR2533155773" and r["record_type"] == "status_change")
    assert steps == ["ChatGPT Enterprise and API Platform: FedRAMP Authorized (20x Low)",
                     "ChatGPT Enterprise: 20x Phase One Pilot",
                     "ChatGPT Enterprise: FedRAMP In Process (20x Low)"]
    grok = stored["fedramp:FR2618542150"]
    assert (grok["recipient"], grok["status"], grok["security_level"]) == (
        "xAI", "FedRAMP In Process", "High")
    assert "fedramp:FR2618542150:2026-04-10:Now in Agency Review" in stored
    workspace = stored["fedramp:F1206081364"]
    assert (workspace["security_level"], workspace["record_date"]) == ("High", "2021-10-28")
    assert json.loads(workspace["raw"])["auth_type"] == "JAB"


def test_fedramp_file_that_is_not_the_data_file_fails_as_parse(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "data.json").write_text('{"data": {"Products": {"not": "a list"}}}')
    with SiteServer(root) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "fedramp", "kind": "fedramp", "url": site.base + "/data.json"}])
        result = crawl(sources, tmp_path / "t.db")
    assert result.returncode == 1
    assert "FAILED fedramp: parse error" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- ai_inventory
INVENTORY = RECORDS / "ai_inventory"
USE_CASES = "/2025_individually_reported_AI_use_cases.csv"
COTS = "/2025_consolidated_COTS_AI_use_cases.csv"


def test_ai_inventory_use_cases_and_commercial_products(tmp_path):
    db = tmp_path / "t.db"
    with SiteServer(INVENTORY) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "inventory", "kind": "ai_inventory", "url": site.base + USE_CASES},
            {"name": "inventory-cots", "kind": "ai_inventory", "url": site.base + COTS}])
        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        summary = crawl_summary(first.stdout)
        assert (summary["inventory"]["records"], summary["inventory-cots"]["records"]) == (9, 5)
        site.validators = False  # the whole files again, not a 304
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
        assert {s["records"] for s in crawl_summary(second.stdout).values()} == {0}
    stored = {r["record_id"]: r for r in rows(db, "SELECT * FROM official_records")}
    gemini = stored["DOT-1000215"]
    assert (gemini["title"], gemini["agency"], gemini["sub_agency"], gemini["recipient"],
            gemini["status"], gemini["record_date"]) == (
        "Conversational Multi-modal Chatbot (Google Gemini)", "Department of Transportation",
        "OST", "Google", "Deployed", "2025-10-01")
    assert stored["DOE-601"]["recipient"] == "xAI" and stored["DOE-601"]["status"] == "Pilot"
    blank_id = [r for r in stored.values() if r["title"] == "Gemini for Google Workspace"
                and r["record_type"] == "use_case"]
    assert len(blank_id) == 1 and blank_id[0]["record_id"].startswith("GSA-")
    cots = [r for r in stored.values() if r["record_type"] == "commercial_product"]
    assert {r["recipient"] for r in cots} == {"Google Calendar", "Adobe", "Sprout",
                                               "Gemini for Google Workspace"}


def test_ai_inventory_csv_of_another_shape_fails_as_parse(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "other.csv").write_bytes(b"name,value\nx,1\n")
    (root / "latin1.csv").write_bytes("agency,agency_name,id,use_case_name,development_stage\n"
                                      "DOT,Transportation,1,Caf\xe9 bot,Pilot\n".encode("latin-1"))
    with SiteServer(root) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "other", "kind": "ai_inventory", "url": site.base + "/other.csv"},
            {"name": "latin1", "kind": "ai_inventory", "url": site.base + "/latin1.csv"}])
        result = crawl(sources, tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    runs = {r["source"]: r for r in rows(tmp_path / "t.db", "SELECT * FROM crawl_runs")}
    assert runs["other"]["status"] == runs["latin1"]["status"] == "parse"
    assert "not an AI use case inventory CSV" in runs["other"]["reason"]
    assert "is not UTF-8" in runs["latin1"]["reason"]


# ---------------------------------------------------------------- ocds
def ocds_site():
    """The standard's example packages, chained tender -> award -> contract by links.next."""
    site = SiteServer(RECORDS / "ocds")
    chain = {"tender": "award", "award": "contract"}
    for name in ("tender", "award", "contract"):
        def package(path, headers, name=name):
            data = json.loads((RECORDS / "ocds" / f"{name}.json").read_bytes())
            if name in chain:
                data["links"] = {"next": f"{site.base}/packages/{chain[name]}"}
            return 200, {"Content-Type": JSON}, json.dumps(data).encode()
        site.routes[f"/packages/{name}"] = package
    return site


def test_ocds_stages_follow_links_next_and_keep_the_latest_release(tmp_path):
    db = tmp_path / "t.db"
    with ocds_site() as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "tenders", "kind": "ocds", "url": site.base + "/packages/tender"}])
        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        assert crawl_summary(first.stdout)["tenders"]["records"] == 3
        before = rows(db, "SELECT id, updated_at, content_hash FROM official_records ORDER BY id")
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
        assert crawl_summary(second.stdout)["tenders"]["records"] == 0
        assert [p for p in site.requests if p.startswith("/packages/")] == [
            "/packages/tender", "/packages/award", "/packages/contract"] * 2
    assert rows(db, "SELECT id, updated_at, content_hash FROM official_records "
                    "ORDER BY id") == before
    stored = {r["record_type"]: r for r in rows(db, "SELECT * FROM official_records")}
    award = stored["award"]
    assert (award["agency"], award["country"], award["recipient"], award["value"],
            award["value_kind"], award["currency"], award["record_date"]) == (
        "London Borough of Barnet", "GBR", "Balfour Beatty", 11000000.0, "awarded", "GBP",
        "2010-05-10")
    assert stored["tender"]["value_kind"] == "estimate"
    assert stored["contract"]["recipient"] == "Balfour Beatty"
    assert stored["tender"]["as_of"] == "2010-05-10T09:30:00Z"  # the award release's tender


def test_ocds_package_without_releases_fails_as_parse(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "p.json").write_text('{"version": "1.1", "records": []}')
    with SiteServer(root) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "tenders", "kind": "ocds", "url": site.base + "/p.json"}])
        result = crawl(sources, tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    run = rows(tmp_path / "t.db", "SELECT status, reason FROM crawl_runs")[0]
    assert run["status"] == "parse" and "no 'releases' list" in run["reason"]


# ---------------------------------------------------------------- ted
TED_SEARCH = "/v3/notices/search"


def ted_site():
    site = SiteServer(RECORDS / "ted")

    def search(path, headers):
        page = json.loads(site.bodies[-1][1])["page"]
        return 200, {"Content-Type": JSON}, (RECORDS / "ted" / f"search-page-{page}.json"
                                             ).read_bytes()

    site.routes[TED_SEARCH] = search
    return site


def test_ted_pages_at_one_request_a_second_and_keep_values_in_their_currency(tmp_path):
    db = tmp_path / "t.db"
    with ted_site() as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "ted", "kind": "ted", "url": site.base + TED_SEARCH, "limit": 3,
             "query": 'FT ~ "artificial intelligence"'}])
        first = crawl(sources, db, "--since", "2024-10-01")
        assert first.returncode == 0, first.stderr
        summary = crawl_summary(first.stdout)["ted"]
        assert (summary["records"], summary["skipped"]) == (3, 1)
        request = json.loads(site.bodies[0][1])
        assert request["query"] == ('(FT ~ "artificial intelligence") '
                                    'AND publication-date >= 20241001')
        assert (request["limit"], request["paginationMode"]) == (3, "PAGE_NUMBER")
        calls = [t for t, p, _ in site.log if p == TED_SEARCH]
        assert len(calls) == 2 and calls[1] - calls[0] >= 0.95  # <= 1 request a second
        second = crawl(sources, db, "--since", "2024-10-01")
        assert second.returncode == 0, second.stderr
        assert crawl_summary(second.stdout)["ted"]["records"] == 0
    stored = {r["record_id"]: r for r in rows(db, "SELECT * FROM official_records")}
    aleph = stored["900001-2024"]
    assert (aleph["country"], aleph["recipient"], aleph["value"], aleph["value_kind"],
            aleph["currency"], aleph["record_date"], aleph["record_type"]) == (
        "DEU", "Aleph Alpha GmbH", 2500000.0, "awarded", "EUR", "2024-10-28", "can-standard")
    assert aleph["agency"].startswith("Bundesamt für Ausrüstung")
    assert (stored["900002-2024"]["value"], stored["900002-2024"]["value_kind"]) == (
        12000000.0, "estimate")
    refused = stored["900003-2024"]
    assert refused["value"] is None and refused["currency"] is None


# ---------------------------------------------------------------- linking events to records
@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """News, FedRAMP and USAspending fixtures crawled together twice: (db, links after the
    first crawl)."""
    tmp_path = tmp_path_factory.mktemp("linked")
    db = tmp_path / "t.db"
    news = SiteServer(RECORDS / "news")
    inventory = SiteServer(RECORDS / "ai_inventory")
    with news, fedramp_site(tmp_path, "data-2026-04-13.json") as fed, usaspending_site() as usa, \
            inventory, ted_site() as eu:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "wire", "kind": "feed", "url": news.base + "/feed.xml"},
            {"name": "fedramp", "kind": "fedramp", "url": fed.base + "/data.json",
             "match": AI_PRODUCTS},
            usaspending_source(usa),
            {"name": "inventory", "kind": "ai_inventory", "url": inventory.base + USE_CASES},
            {"name": "ted", "kind": "ted", "url": eu.base + TED_SEARCH, "limit": 3,
             "query": 'FT ~ "artificial intelligence"'}])
        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        links = rows(db, "SELECT * FROM record_links ORDER BY event_id, link")
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
    return db, links


def test_news_events_link_to_records_or_say_why_none_can_exist(linked):
    db, links = linked
    assert rows(db, "SELECT * FROM record_links ORDER BY event_id, link") == links
    timeline = {json.dumps(json.loads(r["vendors"])): r for r in rows(
        db, "SELECT vendors, agencies, records FROM timeline")}
    dot = timeline['["Google"]']
    assert json.loads(dot["records"]) == [
        "ai_inventory:DOT-1000215", "fedramp:F1206081364",
        "usaspending:CONT_AWD_FIXTURE0001_6901_FIXTUREBPA01_4732", "ai_inventory:DOT-1000216"]
    gemini = next(r for r in links if r["link"] == "ai_inventory:DOT-1000215")
    assert gemini["reason_code"] == "vendor+agency+date+product" and gemini["score"] == 1.0
    workspace = next(r for r in links if r["link"] == "fedramp:F1206081364")
    assert workspace["kind"] == "match" and workspace["score"] >= 0.7
    assert workspace["reason_code"] == "vendor+agency+date+product"
    assert "agency DOT, GSA" in workspace["reason"] and "impact level High" in workspace["reason"]
    cdao = timeline['["Anthropic", "Google", "OpenAI", "xAI"]']
    assert json.loads(cdao["records"]) == ["no_record:ota_not_in_usaspending"]
    aleph = timeline['["Aleph Alpha"]']  # Germany: TED is crawled, so a registry exists
    assert json.loads(aleph["records"]) == ["ted:900001-2024"]
    notice = next(r for r in links if r["link"] == "ted:900001-2024")
    assert notice["reason_code"] == "vendor+agency+date"


async def test_records_and_links_are_browsable_with_facets(linked):
    ds = build_datasette(linked[0])
    response = await ds.client.get("/tracker/official_records.json?_facet=kind")
    assert response.status_code == 200, response.text[:300]
    facets = response.json()["facet_results"]
    assert {"kind", "record_type", "value_kind", "security_level"} <= set(facets)
    kinds = {f["value"]: f["count"] for f in facets["kind"]["results"]}
    assert kinds == {"ai_inventory": 9, "fedramp": 15, "ted": 3, "usaspending": 5}
    links = (await ds.client.get("/tracker/record_links.json")).json()["facet_results"]
    reasons = {f["value"] for f in links["reason_code"]["results"]}
    assert {"ota_not_in_usaspending", "vendor+agency+date"} <= reasons
