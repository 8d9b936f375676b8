"""Readable cells for the tracker's Datasette (registered by tracker.web.build_datasette).

JSON array columns of the timeline (vendors, models, countries, agencies, partners,
country_names) become lists of links that filter the timeline on that value; countries show
their names beside their codes; `urls` becomes links to the source articles. Every value is
HTML-escaped (markupsafe) and only http(s) URLs become links: scraped text is never rendered
as HTML.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from functools import lru_cache
from urllib.parse import parse_qs, quote, urlsplit

import pycountry
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from markupsafe import Markup, escape

from db.schema import FACET_COLUMNS
from tracker import PROJECT_ROOT
from tracker.facet_index import INDEXED_COLUMNS, index_for

DB_NAME = "tracker"
LIST_COLUMNS = {*FACET_COLUMNS, "country_names"}
RENDERED_COLUMNS = frozenset({*LIST_COLUMNS, "urls"})
CSS = """
.tracker-list { margin: 0; padding: 0; list-style: none; }
.tracker-list li { display: inline; }
.tracker-list li + li:before { content: ", "; }
.tracker-sources { margin: 0; padding-left: 1.1em; }
.tracker-sources li { overflow-wrap: anywhere; }
td.col-urls { min-width: 12em; max-width: 24em; }
td.col-summary { min-width: 18em; }
td.col-event_id, td.col-first_seen, td.col-updated_at { font-size: 0.75em; color: #666; }
th.col-event_rowid, td.col-event_rowid { display: none; }
th.col-popup, td.col-popup { display: none; }
dl.column-descriptions { display: grid; gap: 0.15em 0.8em; font-size: 0.8em;
  grid-template-columns: repeat(3, max-content minmax(8em, 1fr)); margin: 0.4em 0 1em; }
dl.column-descriptions dt { font-weight: bold; }
dl.column-descriptions dd { margin: 0; color: #555; }
"""


@lru_cache(maxsize=512)
def country_label(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _json_list(value) -> list[str] | None:
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    return items


def short_url(url: str, width: int = 42) -> str:
    """'site.example/…/last-part' for a compact cell; the full URL is the link and its title."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    shown = f"{host}/…/{tail}" if tail and parts.path.rstrip("/").count("/") > 1 else (
        f"{host}/{tail}" if tail else host)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://")) and not any(c.isspace() for c in url)


@hookimpl
def render_cell(value, column, table, database, datasette):
    if column not in RENDERED_COLUMNS or database != DB_NAME:
        return None
    items = _json_list(value)
    if items is None:
        return None
    if not items:
        return Markup('<span class="tracker-empty">&ndash;</span>')
    if column == "urls":
        links = []
        for url in items:
            if _is_http(url):
                links.append(f'<li><a href="{escape(url)}" title="{escape(url)}" '
                             f'rel="nofollow noopener">{escape(short_url(url))}</a></li>')
            else:
                links.append(f"<li>{escape(url)}</li>")
        return Markup('<ul class="tracker-sources">' + "".join(links) + "</ul>")
    timeline = datasette.urls.table(DB_NAME, "timeline")
    parts = []
    for item in items:
        label = f"{country_label(item)} ({item})" if column == "countries" else item
        if column in FACET_COLUMNS:
            href = f"{timeline}?{column}__arraycontains={quote(item)}"
            parts.append(f'<li><a href="{escape(href)}">{escape(label)}</a></li>')
        else:
            parts.append(f"<li>{escape(label)}</li>")
    return Markup('<ul class="tracker-list">' + "".join(parts) + "</ul>")


STATIC_DIR = PROJECT_ROOT / "db" / "static"
STATIC_TYPES = {".json": "application/json", ".css": "text/css; charset=utf-8"}


async def tracker_static(request):
    from datasette.utils.asgi import NotFound, Response

    name = request.url_vars["name"]
    if name == "tracker.css":
        return Response(CSS, content_type=STATIC_TYPES[".css"],
                        headers={"Cache-Control": "max-age=3600"})
    path = STATIC_DIR / name
    if "/" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
        raise NotFound(f"no static file {name}")
    return Response(path.read_bytes(), content_type=STATIC_TYPES[path.suffix],
                    headers={"Cache-Control": "max-age=86400"})


def is_public(datasette) -> bool:
    from tracker.web import PUBLIC_SETTINGS

    return all(datasette.setting(key) == value for key, value in PUBLIC_SETTINGS.items())


def public_databases(datasette):
    """/-/databases.json without the file's path (and hash): where the database lives on the
    server is nobody's business beyond this machine."""
    from datasette.utils.asgi import Response

    async def view(request):
        return Response.json([
            {"name": d.name, "route": d.route, "size": d.size, "is_mutable": d.is_mutable,
             "is_memory": d.is_memory} for name, d in datasette.databases.items()
            if name != "_internal"])
    return view


async def not_public(request):
    """/-/threads lists the server's threads and asyncio tasks, with their source files."""
    from datasette.utils.asgi import Response

    return Response.json({"ok": False, "error": "not available in public mode", "status": 403},
                         status=403)


@hookimpl
def register_routes(datasette):
    routes = [(r"^/-/tracker/(?P<name>[A-Za-z0-9_.-]+)$", tracker_static)]
    if is_public(datasette):  # plugin routes are matched before Datasette's own
        routes += [(r"^/-/databases(\.json)?$", public_databases(datasette)),
                   (r"^/-/threads(\.json)?$", not_public)]
    return routes


# ------------------------------------------------------------------ requests Datasette 0.65
# answers with a 500 (an exception inside Datasette): refused here with the right status.


def _read_only_target(datasette, path: str) -> str | None:
    """The table, view, row or canned query a path names, unless it is a writing canned query
    (the tracker has none: the web never writes to it)."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != DB_NAME:
        return None
    name = parts[1].rsplit(".", 1)[0] if parts[1].endswith((".json", ".csv")) else parts[1]
    query = (datasette.metadata("queries", database=DB_NAME) or {}).get(name)
    return None if isinstance(query, dict) and query.get("write") else name


def _bad_through(query_string: bytes) -> bool:
    """`_through` must be a JSON object with table, column and value."""
    for raw in parse_qs(query_string.decode("latin-1")).get("_through", []):
        try:
            value = json.loads(raw)
        except ValueError:
            return True
        if not isinstance(value, dict) or not {"table", "column", "value"} <= set(value):
            return True
    return False


def refusal(datasette, scope: dict) -> tuple[int, str] | None:
    """(status, message) for a request Datasette would fail on with a 500, else None."""
    if scope["method"] == "POST":
        name = _read_only_target(datasette, scope["path"])
        if name:
            return 405, f"{name} is read-only: use GET"
    query = scope.get("query_string", b"")
    if b"_through=" in query and _bad_through(query):
        return 400, ('_through must be JSON like {"table": "...", "column": "...", '
                     '"value": "..."}')
    if b"_timelimit=" in query and not all(
            v.isdigit() for v in parse_qs(query.decode("latin-1")).get("_timelimit", [])):
        return 400, "_timelimit must be a whole number of milliseconds"
    return None


# DatasetteErrors that 0.65 raises with its default status, 500, for a bad query string.
BAD_REQUEST_ERRORS = ("Cannot sort table by ", "Cannot use _sort and _sort_desc")


@hookimpl
def handle_exception(datasette, request, exception):
    """`?_sort=nope` is the reader's mistake: 400, not 500. Datasette's own handler (it runs
    after this one, which returns nothing) builds the page from the status set here."""
    from datasette.views.base import DatasetteError

    if isinstance(exception, DatasetteError) and exception.status == 500 and str(
            exception.message).startswith(BAD_REQUEST_ERRORS):
        exception.status = 400


async def _send_error(send, status: int, message: str) -> None:
    body = json.dumps({"ok": False, "error": message, "status": status,
                       "title": "Method not allowed" if status == 405 else "Bad request"})
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if status == 405:
        headers.append((b"allow", b"GET"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


def without_stream(query_string: bytes) -> bytes:
    """The query string minus `_stream`: in public mode a CSV is one page of at most
    max_returned_rows (Datasette would answer `_stream=on` with a 400 error page)."""
    from urllib.parse import parse_qsl, urlencode

    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k != "_stream"]).encode("latin-1")


@hookimpl
def asgi_wrapper(datasette):
    public = is_public(datasette)

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            refused = refusal(datasette, scope)
            if refused:
                return await _send_error(send, *refused)
            if public and b"_stream" in scope.get("query_string", b""):
                scope = {**scope, "query_string": without_stream(scope["query_string"])}
            return await app(scope, receive, send)
        return guarded
    return wrap


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/tracker/tracker.css")]


# Tables whose array columns are indexed in timeline_values (db/migrations.py m010), with the
# column holding the event id.
INDEXED_TABLES = {"timeline": "event_id", "events": "id"}


def _indexed(table: str | None, column: str) -> bool:
    return table in INDEXED_TABLES and column in FACET_COLUMNS


@hookimpl
def filters_from_request(request, database, table, datasette):
    """`?countries__arraycontains=FRA` finds its rows through the timeline_values index.

    Datasette's own clause parses every row's JSON array (1.3 s per timeline page at 100,000
    events); this adds an equivalent clause SQLite answers from an index. Datasette's clause
    stays and keeps the results exactly what they were.
    """
    if database != DB_NAME or table not in INDEXED_TABLES:
        return None
    clauses, params = [], {}
    for column in FACET_COLUMNS:
        for value in request.args.getlist(f"{column}__arraycontains"):
            name = f"tracker_indexed_{len(params)}"
            clauses.append(f"{INDEXED_TABLES[table]} IN (SELECT event_id FROM timeline_values "
                           f"WHERE facet = '{column}' AND value = :{name})")
            params[name] = value
    return FilterArguments(clauses, params=params) if clauses else None


def _value_counts_sql(position: int, column: str, source: str, limit: int) -> str:
    """The most frequent values of one JSON array column of `source`, labelled `position`.

    Rows are grouped by their whole array first, so json_each parses each distinct array once
    and its values count once per row holding it: the same counts as a join of every row
    with json_each, for less work.
    """
    column = escape_sqlite(column)
    return (f"select * from (select {position} as position, j.value as value, "
            f"sum(arrays.row_count) as count from (select {column} as array, "
            f"count(*) as row_count from {source} group by {column}) as arrays, "
            f"json_each(arrays.array) as j "
            f"group by j.value order by count desc, value limit {limit})")


class ListFacet(ArrayFacet):
    """Facet on a JSON array column ('_facet_list=vendors').

    Datasette's own array facet de-duplicates whole rows (`select distinct j.value, inner.*`),
    which costs about a second per facet at 100,000 events; the timeline's arrays hold
    distinct values already, so counting each row's values counts the same thing. On the
    unfiltered timeline the counts come from the timeline_values index (8 ms a column at
    100,000 events). On a filtered timeline page the facet index in memory
    (tracker/facet_index.py) counts every facet of the page at once. Other columns and tables
    are counted by one query that reads the filtered rows once.
    """

    type = "list"
    shown_type = "list"  # in the JSON and beside the facet's name on the page

    async def suggest(self):
        return []  # facets on the timeline are configured in db/metadata.yml

    async def facet_results(self):
        configs = list(self.get_configs())
        columns = [c["config"].get("column") or c["config"]["simple"] for c in configs]
        counts = await self._counts(list(dict.fromkeys(columns)), self.get_facet_size() + 1)
        results = [self._result(config, column, counts[column])
                   for config, column in zip(configs, columns, strict=True)
                   if counts[column] is not None]
        timed_out = [column for column, rows in counts.items() if rows is None]
        return results, timed_out

    async def _counts(self, columns: list[str], limit: int) -> dict[str, list | None]:
        """Each column's most frequent values, or None when its query timed out."""
        if await self._counts_in_memory():
            in_memory = [c for c in columns if c in INDEXED_COLUMNS]
            counts = await self._counted_in_memory(in_memory, limit)
            columns = [c for c in columns if c not in in_memory]
        else:
            counts = {}
        queries = [([c], self._indexed_sql(c, limit)) for c in columns if self._reads_index(c)]
        scanned = [c for c in columns if not self._reads_index(c)]
        if scanned:
            queries.append((scanned, self._scanned_sql(scanned, limit)))
        # The queries run concurrently: each in one of Datasette's SQL threads, and SQLite
        # releases the GIL while it works.
        outcomes = await asyncio.gather(*(self._rows(*sql) for _, sql in queries))
        for (query_columns, _), rows in zip(queries, outcomes, strict=True):
            for position, column in enumerate(query_columns):
                counts[column] = None if rows is None else [
                    row for row in rows if row["position"] == position]
        return counts

    def _filtered(self) -> bool:
        # Datasette builds the facets' SQL as "select ... from [table] " plus "where ..." when
        # anything narrows the rows (filters, search, pagination): without it, every row counts.
        return " where " in self.sql.lower()

    async def _counts_in_memory(self) -> bool:
        """A filtered timeline page of a database that keeps `events_version` (m018)."""
        return (self.table == "timeline" and self._filtered()
                and await self.ds.get_database(self.database).table_exists("events_version"))

    def _reads_index(self, column: str) -> bool:
        return _indexed(self.table, column) and not self._filtered()

    async def _counted_in_memory(self, columns: list[str], limit: int) -> dict[str, list | None]:
        """The page's counts from the facet index, computed once per page for every facet
        class that asks (list and value facets share them)."""
        if not columns:
            return {}
        memo = self.request.scope.setdefault("tracker.facet_counts", {})
        key = (self.sql, json.dumps(self.params, sort_keys=True, default=str))
        if key not in memo:
            time_limit = self.ds.setting("facet_time_limit_ms")
            try:
                database = self.ds.get_database(self.database)
                memo[key] = await database.execute_fn(lambda conn: index_for(database).counts(
                    conn, rows_of_search(self.sql), self.params, time_limit))
            except sqlite3.OperationalError as error:
                if error.args != ("interrupted",):
                    raise
                memo[key] = None
        counted = memo[key]
        return {column: None if counted is None else _ranked(counted[column], limit)
                for column in columns}

    def _indexed_sql(self, column: str, limit: int) -> tuple[str, dict]:
        sql = ("select 0 as position, value, count(*) as count from timeline_values "
               f"where facet = :facet group by value order by count desc, value limit {limit}")
        return sql, {"facet": column}

    def _scanned_sql(self, columns: list[str], limit: int) -> tuple[str, dict | list]:
        """One query for all the columns: SQLite materializes a CTE used more than once, so the
        filtered rows are read once, not once a column."""
        if len(columns) == 1:
            return _value_counts_sql(0, columns[0], f"({self.sql})", limit), self.params
        selected = ", ".join(escape_sqlite(c) for c in columns)
        counts = " union all ".join(_value_counts_sql(position, column, "filtered_rows", limit)
                                    for position, column in enumerate(columns))
        return f"with filtered_rows as (select {selected} from ({self.sql})) {counts}", self.params

    async def _rows(self, sql: str, params: dict | list):
        try:
            result = await self.ds.execute(
                self.database, sql, params, truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        except QueryInterrupted:
            return None
        return result.rows

    def _toggle_parameter(self, column: str) -> str:
        return f"{column}__arraycontains"

    def _result(self, source_and_config: dict, column: str, rows: list) -> dict:
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        parameter = self._toggle_parameter(column)
        values = []
        for row in rows[:size]:
            value = str(row["value"])
            selected = (parameter, value) in pairs
            change = path_with_removed_args if selected else path_with_added_args
            path = change(self.request, {parameter: value})
            values.append({"value": value, "label": value, "count": row["count"],
                           "toggle_url": self.ds.absolute_url(self.request, path),
                           "selected": selected})
        return {
            "name": column, "type": self.shown_type, "results": values,
            "hideable": source_and_config["source"] != "metadata",
            "toggle_url": self.ds.urls.path(
                path_with_removed_args(self.request, {f"_facet_{self.type}": column})),
            "truncated": len(rows) > size,
        }


class ValueFacet(ListFacet):
    """Facet on a column holding one value a row (db/metadata.yml: `value: event_type`).

    Datasette's column facet counts a filtered page with a query of its own per column; this
    one shares the list facets' in-memory counts on the filtered timeline and otherwise counts
    as that facet does (from an index on the unfiltered timeline). A value filters with
    `?event_type=contract`, and the facet reads as Datasette's column facet in the JSON and on
    the page.
    """

    type = "value"
    shown_type = "column"

    def _reads_index(self, column: str) -> bool:
        return False

    def _scanned_sql(self, columns: list[str], limit: int) -> tuple[str, dict | list]:
        counts = " union all ".join(
            f"select * from (select {position} as position, {escape_sqlite(column)} as value, "
            f"count(*) as count from ({self.sql}) where {escape_sqlite(column)} is not null "
            f"group by value order by count desc, value limit {limit})"
            for position, column in enumerate(columns))
        return counts, self.params

    def _toggle_parameter(self, column: str) -> str:
        return column


# The clause Datasette adds for `?_search=` on the timeline (db/metadata.yml fts_table and fts_pk),
# escaped or raw (`_searchmode=raw`), and the same rows read from the full-text index alone.
SEARCH_CLAUSES = {
    f"event_rowid in (select rowid from events_fts where events_fts match {match})":
        f"select rowid as event_rowid from events_fts where events_fts match {match}"
    for match in ("escape_fts(:search)", ":search")}


def rows_of_search(sql: str) -> str:
    """A page narrowed by the search alone lists its events from the full-text index: every row
    there is an event (the index's content is `events`, kept by triggers), so looking each one
    up in `events` (20 of 35 ms for a search matching half of 100,000 events) proves nothing."""
    _, found, clause = sql.partition(" from timeline where ")
    return SEARCH_CLAUSES.get(clause.strip(), sql) if found else sql


def _ranked(counts: Counter, limit: int) -> list[dict]:
    """The most frequent values first, ties in SQLite's order (by value), as a query gives."""
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    return [{"value": value, "count": count} for value, count in ranked]


@hookimpl
def register_facet_classes():
    return [ListFacet, ValueFacet]


# Read connections map the database file into memory, so each page a query touches is read from
# the operating system's cache without a copy or a system call; filtered timeline pages read
# tens of thousands of event rows (at 100,000 events the page of one event type: 104 -> 86 ms).
# SQLite caps the size at its compile-time limit (2 GiB by default) and maps no more than the
# file.
MMAP_BYTES = 1 << 31


@hookimpl
def prepare_connection(conn, database, datasette):
    if database == DB_NAME:
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
