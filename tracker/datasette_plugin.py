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
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import pycountry
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from markupsafe import Markup, escape

from db.migrations import FACET_COLUMNS

DB_NAME = "tracker"
LIST_COLUMNS = {*FACET_COLUMNS, "country_names"}
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
    if database != DB_NAME or column not in LIST_COLUMNS | {"urls"}:
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


STATIC_DIR = Path(__file__).resolve().parent.parent / "db" / "static"
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


@hookimpl
def register_routes():
    return [(r"^/-/tracker/(?P<name>[A-Za-z0-9_.-]+)$", tracker_static)]


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


class ListFacet(ArrayFacet):
    """Facet on a JSON array column ('_facet_list=vendors'), counted in one pass.

    Datasette's own array facet de-duplicates whole rows (`select distinct j.value, inner.*`),
    which costs about a second per facet at 100,000 events; the timeline's arrays hold
    distinct values already, so a join of each row with json_each counts the same thing. On
    the unfiltered timeline the counts come from the timeline_values index instead (8 ms
    instead of 60 ms a column at 100,000 events).
    """

    type = "list"

    async def suggest(self):
        return []  # facets on the timeline are configured in db/metadata.yml

    async def facet_results(self):
        configs = [c for c in self.get_configs()]
        # The columns are counted concurrently: each count runs in one of Datasette's SQL
        # threads, and SQLite releases the GIL while it works.
        outcomes = await asyncio.gather(*(self._one(c) for c in configs))
        results = [r for r, _ in outcomes if r is not None]
        timed_out = [t for _, t in outcomes if t is not None]
        return results, timed_out

    def _count_sql(self, column: str, limit: int) -> tuple[str, dict | list]:
        # Datasette builds the facets' SQL as "select ... from [table] " plus "where ..." when
        # anything narrows the rows (filters, search, pagination): without it, every row counts.
        if _indexed(self.table, column) and " where " not in self.sql.lower():
            indexed = ("select value, count(*) as count from timeline_values where facet = :facet "
                       f"group by value order by count desc, value limit {limit}")
            return indexed, {"facet": column}
        scanned = (f"select j.value as value, count(*) as count from ({self.sql}) as inner_rows, "
                   f"json_each(inner_rows.{escape_sqlite(column)}) j "
                   f"group by j.value order by count desc, value limit {limit}")
        return scanned, self.params

    async def _one(self, source_and_config):
        size = self.get_facet_size()
        config = source_and_config["config"]
        column = config.get("column") or config["simple"]
        sql, params = self._count_sql(column, size + 1)
        try:
            result = await self.ds.execute(
                self.database, sql, params, truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        except QueryInterrupted:
            return None, column
        rows = result.rows
        pairs = self.get_querystring_pairs()
        values = []
        for row in rows[:size]:
            value = str(row["value"])
            selected = (f"{column}__arraycontains", value) in pairs
            change = path_with_removed_args if selected else path_with_added_args
            path = change(self.request, {f"{column}__arraycontains": value})
            values.append({"value": value, "label": value, "count": row["count"],
                           "toggle_url": self.ds.absolute_url(self.request, path),
                           "selected": selected})
        return {
            "name": column, "type": self.type, "results": values,
            "hideable": source_and_config["source"] != "metadata",
            "toggle_url": self.ds.urls.path(
                path_with_removed_args(self.request, {"_facet_list": column})),
            "truncated": len(rows) > size,
        }, None


@hookimpl
def register_facet_classes():
    return [ListFacet]
