"""What an analyst meets first (issue 14, part 3): the review query's threshold, array columns
shown and exported as lists, public mode's home page, the database page's order, search
results and an empty database's hint. Datasette is built exactly as `tracker serve` builds it,
on the demo site's crawl (tests/conftest.py `demo_db`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest

from tests.conftest import run_tracker
from tracker.timeline import open_timeline
from tracker.web import build_datasette

pytestmark = pytest.mark.slow  # the demo crawl (`demo_db`, a `tracker crawl` subprocess)

REVIEW_SQL = """
    SELECT a.url FROM articles a
    WHERE EXISTS (SELECT 1 FROM unmatched_mentions u WHERE u.article_id = a.id)
       OR a.flags NOT IN ('[]', '')
       OR (SELECT min(confidence) FROM event_articles ea WHERE ea.article_id = a.id) < ?"""


def urls_of(db, query, params=()) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute(query, params)}
    finally:
        con.close()


async def json_rows(ds, path):
    response = await ds.client.get(path + ("&" if "?" in path else "?") + "_shape=array&_size=max")
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.mark.parametrize("given, threshold", [("0.1", 0.1), ("0.75", 0.75), ("", 0.75),
                                              ("0.85", 0.85)])
async def test_review_query_lists_only_rows_under_the_threshold(demo_db, given, threshold):
    db, _ = demo_db
    rows = await json_rows(build_datasette(db),
                           f"/tracker/articles_needing_review.json?max_confidence={given}")
    assert {r["url"] for r in rows} == urls_of(db, REVIEW_SQL, [threshold])
    for row in rows:
        assert (row["unmatched_names"] or row["flags"] not in ("[]", "")
                or row["lowest_confidence"] < threshold), row


async def test_review_thresholds_select_different_rows(demo_db):
    """The demo holds reports at 0.7 and 0.8: 0.1 lists fewer articles than 0.75, 0.85 more."""
    ds = build_datasette(demo_db[0])
    counts = [len(await json_rows(ds, f"/tracker/articles_needing_review.json?max_confidence={t}"))
              for t in ("0.1", "0.75", "0.85")]
    assert counts[0] < counts[1] < counts[2]


async def test_reported_arrays_render_as_lists_not_json(demo_db):
    db, _ = demo_db
    ds = build_datasette(db)
    page = (await ds.client.get("/tracker/timeline?_size=max")).text
    for column in ("partners_reported", "vendors_reported", "countries_reported"):
        cells = re.findall(rf'<td class="col-{column}[^"]*">(.*?)</td>', page, flags=re.DOTALL)
        assert cells, column
        for cell in cells:
            assert "[" not in cell and "&#34;" not in cell and "&quot;" not in cell, (column, cell)
    assert "vendors_reported__arraycontains=Palantir" in page
    assert "Estonia (EST)" in page


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_gives_reported_arrays_as_lists(demo_db, fmt, tmp_path):
    db, _ = demo_db
    out = tmp_path / f"timeline.{fmt}"
    result = run_tracker("export", "--db", str(db), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        rows = json.loads(out.read_text())
        for row in rows:
            for column in ("partners_reported", "vendors_reported", "models_reported",
                           "countries_reported", "agencies_reported"):
                assert isinstance(row[column], list), (column, row[column])
        assert any("Palantir" in row["vendors_reported"] for row in rows)
    else:
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert not any(row["vendors_reported"].startswith("[") for row in rows)
        assert any(row["vendors_reported"] == "Palantir" for row in rows)


async def test_public_home_page_does_not_link_forbidden_pages(demo_db):
    db, _ = demo_db
    public = build_datasette(db, public=True)
    assert (await public.client.get("/-/dashboards/adoption")).status_code == 403
    home = (await public.client.get("/")).text
    assert "/-/dashboards/" not in home and "Charts and map" not in home
    assert "/tracker/timeline" in home and "/tracker/adopters_map" in home
    local = (await build_datasette(db).client.get("/")).text
    assert 'href="/-/dashboards/adoption"' in local


async def test_database_page_starts_with_the_timeline_and_hides_internals(demo_db):
    page = (await build_datasette(demo_db[0]).client.get("/tracker")).text
    timeline = page.index('href="/tracker/timeline"')
    assert timeline < page.index('id="queries"') < page.index('id="tables"')
    tables = page[page.index('id="tables"'):]
    listed = re.findall(r'<h3><a href="/tracker/([^"]+)"', tables)
    assert "articles" in listed and "events" in listed
    for internal in ("_sqlite_migrations", "http_validators", "report_facts", "timeline_values"):
        assert internal not in listed, internal
    assert "hidden table" in tables


async def test_search_results_carry_no_rank(demo_db):
    ds = build_datasette(demo_db[0])
    data = (await ds.client.get("/tracker/search.json?q=NATO&_shape=objects")).json()
    assert data["rows"] and "rank" not in data["columns"]
    assert data["columns"] == ["kind", "date", "title", "snippet", "url", "event_id"]
    page = (await ds.client.get("/tracker/search?q=NATO")).text
    assert "rank" not in re.findall(r'<th class="col-(\w+)', page)


async def test_empty_database_says_how_to_fill_it(demo_db, tmp_path):
    empty = tmp_path / "empty.db"
    open_timeline(empty).close()
    ds = build_datasette(empty)
    for path in ("/", "/tracker", "/tracker/timeline", "/-/dashboards/adoption"):
        page = (await ds.client.get(path)).text
        assert "make crawl" in page and "tracker crawl" in page, path
    full = (await build_datasette(demo_db[0]).client.get("/tracker/timeline")).text
    assert "make crawl" not in full
