"""Datasette edges (issue 13, class 7): requests Datasette 0.65 answered with a 500 get their
proper status, public mode keeps its 2,000-row cap on CSV and shows no filesystem path.

Before: POST to a canned query 500, `?_through={bad` 500, public `.csv?_stream=on` 2,737 rows,
public `/-/databases.json` showing the database's absolute path."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tracker.timeline import open_timeline
from tracker.web import SETTINGS, build_datasette, load_metadata

ROWS = 2737  # more than max_returned_rows
CAP = SETTINGS["max_returned_rows"]
QUERIES = sorted(load_metadata()["databases"]["tracker"]["queries"])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("edges") / "tracker.db"
    open_timeline(path).close()
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO articles (id, url, url_key, source, fetched_at, text, content_hash) "
        "VALUES (?, ?, ?, 's', '2025-01-01', 'text', 'h')",
        [(f"a{i}", f"https://news.example/{i}", f"k{i}") for i in range(ROWS)])
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="module", params=[False, True], ids=["local", "public"])
def ds(request, db):
    return build_datasette(db, public=request.param)


@pytest.fixture(scope="module")
def public(db):
    return build_datasette(db, public=True)


@pytest.mark.parametrize("name", QUERIES + ["timeline", "articles", "articles/a1",
                                            "events.json"])
async def test_post_to_a_canned_query_table_or_view_is_405(ds, name):
    response = await ds.client.post(f"/tracker/{name}", data={"x": "1"})
    assert response.status_code == 405, response.text[:300]
    assert response.headers["allow"] == "GET"
    target = name.split("/")[0].removesuffix(".json")
    assert json.loads(response.text)["error"] == f"{target} is read-only: use GET"


async def test_get_to_a_canned_query_still_works(ds):
    response = await ds.client.get("/tracker/events_by_country.json")
    assert response.status_code == 200


@pytest.mark.parametrize("through", ["{bad", "[1]", '{"table": "event_vendors"}', "null"])
@pytest.mark.parametrize("table", ["events", "timeline", "articles"])
async def test_malformed_through_is_400(ds, table, through):
    response = await ds.client.get(f"/tracker/{table}.json", params={"_through": through})
    assert response.status_code == 400, response.text[:300]
    assert "_through must be JSON" in response.json()["error"]


@pytest.mark.parametrize("query, error", [
    ("_sort=nope", "Cannot sort table by nope"),
    ("_sort_desc=nope", "Cannot sort table by nope"),
    ("_sort=id&_sort_desc=url", "Cannot use _sort and _sort_desc at the same time"),
    ("_timelimit=abc", "_timelimit must be a whole number of milliseconds"),
])
@pytest.mark.parametrize("page", ["/tracker/articles.json", "/tracker/timeline.json",
                                  "/tracker/articles"])
async def test_bad_sort_or_time_limit_is_400(ds, page, query, error):
    """Before: 500 (Datasette raises its own error with its default status)."""
    response = await ds.client.get(f"{page}?{query}")
    assert response.status_code == 400, response.text[:300]
    assert error in response.text


async def test_a_wellformed_through_still_filters(ds):
    through = json.dumps({"table": "event_vendors", "column": "vendor_id", "value": "meta"})
    response = await ds.client.get("/tracker/events.json", params={"_through": through})
    assert response.status_code == 200, response.text[:300]


def csv_rows(text: str) -> int:
    return len(list(csv.reader(io.StringIO(text)))) - 1  # minus the header


@pytest.mark.parametrize("query", ["_stream=on&_size=max", "_stream=1", "_stream=on",
                                   "_size=max"])
async def test_public_csv_never_returns_more_than_the_cap(public, query):
    response = await public.client.get(f"/tracker/articles.csv?{query}")
    assert response.status_code == 200, response.text[:300]
    assert 0 < csv_rows(response.text) <= CAP


PUBLIC_PAGES = ["/", "/.json", "/tracker", "/tracker.json", "/-/databases", "/-/databases.json",
                "/-/metadata.json", "/-/settings.json", "/-/plugins.json", "/-/versions.json",
                "/-/threads", "/-/threads.json", "/tracker/timeline", "/tracker/articles.json",
                "/tracker/events_by_country", "/tracker/nope", "/nope"]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
async def test_public_mode_shows_no_filesystem_path(db, public, page):
    response = await public.client.get(page)
    assert response.status_code in (200, 403, 404), (page, response.status_code)
    assert str(db.parent) not in response.text and db.name not in response.text
    for path in ("/tmp/", "/root/", "/home/", "site-packages", "/work/"):
        assert path not in response.text, (page, path)


async def test_public_databases_json_keeps_what_is_not_a_path(db, public):
    listed = (await public.client.get("/-/databases.json")).json()
    assert [d["name"] for d in listed] == ["tracker"]
    assert listed[0]["is_mutable"] is True and "path" not in listed[0]
    local = (await build_datasette(db).client.get("/-/databases.json")).json()
    assert local[0]["path"] == str(db.resolve())  # the local owner still sees it
