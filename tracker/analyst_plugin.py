"""The analyst's pages in the tracker's Datasette (registered by tracker.web.build_datasette).

* `/event/<event_id>`: one event with, for every value of every field, the evidence sentence,
  confidence and rule of each report naming it and the article it came from; every report
  (outlet, date, URL, title) oldest first; values merged away (named by too few reports)
  marked as such; links filtering the timeline on each value; the reviewers' decisions
  applied to it (tracker/decisions.py). `.json` gives the same data.
* `event_id` cells (timeline, canned queries, search results) link to that page; the
  `*_reported` arrays render as filter links like the timeline's other arrays.
* `tracker_empty` for the templates: every page of an empty database says how to fill it.

Scraped text reaches the page only through Jinja's autoescaping, and only http(s) URLs
become links.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup, escape

from db.reading import event_detail, event_redirect, has_events
from db.schema import FACET_COLUMNS
from tracker.datasette_plugin import _json_list, country_label

DB_NAME = "tracker"
EVENT_ID = r"[A-Za-z0-9_-]{1,64}"
EVENT_IDS = re.compile(rf"{EVENT_ID}(,{EVENT_ID})*")
REPORTED_COLUMNS = frozenset(f"{column}_reported" for column in FACET_COLUMNS)
FIELD_TITLES = {"vendors": "Vendors", "models": "Models and services",
                "countries": "Recipient countries", "agencies": "Agencies and bodies",
                "partners": "Partners"}


def event_path(datasette, event_id: str) -> str:
    return datasette.urls.path(f"/event/{quote(event_id)}")


def is_http(url: str | None) -> bool:
    return bool(url) and url.startswith(("http://", "https://")) and not any(
        c.isspace() for c in url)


def value_view(field: str, value: dict, timeline_url: str, reports: dict[str, dict]) -> dict:
    """One value as the page shows it: its label, the timeline filter on it (on `*_reported`
    when merged away) and each report's evidence with that report's article."""
    column = f"{field}_reported" if value["merged_away"] else field
    label = f"{value['name']} ({value['value']})" if field == "countries" else value["value"]
    return {**value, "label": label,
            "filter_url": f"{timeline_url}?{column}__arraycontains={quote(value['value'])}",
            "links": [{**link, "report": reports.get(link["article_id"])}
                      for link in value["links"]]}


def event_context(detail: dict, timeline_url: str) -> dict:
    """What tracker_event.html renders, from db.reading.event_detail's answer."""
    reports = [{**r, "link": r["url"] if is_http(r["url"]) else None} for r in detail["reports"]]
    by_article = {r["article_id"]: r for r in reports}
    fields = [{"field": field, "title": FIELD_TITLES[field],
               "values": [value_view(field, v, timeline_url, by_article) for v in values]}
              for field, values in detail["fields"].items()]
    decisions = {d["id"]: d for r in reports for d in r["decisions"]}
    return {"event": detail["event"], "reports": reports, "fields": fields,
            "decisions": list(decisions.values()), "timeline_url": timeline_url}


async def event_page(request, datasette):
    event_id = request.url_vars["event_id"]
    if not await datasette.permission_allowed(request.actor, "view-table",
                                              (DB_NAME, "timeline"), default=True):
        raise Forbidden("the timeline is not public here")
    database = datasette.get_database(DB_NAME)
    detail = await database.execute_fn(lambda conn: event_detail(conn, event_id))
    if detail is None:
        moved = await database.execute_fn(lambda conn: event_redirect(conn, event_id))
        if moved is None:
            raise NotFound(f"no event {event_id}")
        return Response.redirect(event_path(datasette, moved) + (request.url_vars.get("format")
                                                                or ""))
    if request.url_vars.get("format"):
        return Response.json(detail)
    context = event_context(detail, datasette.urls.table(DB_NAME, "timeline"))
    return Response.html(await datasette.render_template(
        "tracker_event.html", context, request=request))


@hookimpl
def register_routes():
    return [(rf"^/event/(?P<event_id>{EVENT_ID})(?P<format>\.json)?$", event_page)]


@lru_cache(maxsize=4096)
def reported_cell(column: str, value: str, timeline_url: str) -> Markup | None:
    """A `*_reported` JSON array as links filtering the timeline on each value (countries with
    their names); cached, as most rows repeat a handful of arrays."""
    items = _json_list(value)
    if items is None:
        return None
    if not items:
        return Markup('<span class="tracker-empty">&ndash;</span>')
    links = "".join(
        f'<li><a href="{escape(f"{timeline_url}?{column}__arraycontains={quote(item)}")}">'
        f'{escape(f"{country_label(item)} ({item})" if column == "countries_reported" else item)}'
        "</a></li>" for item in items)
    return Markup(f'<ul class="tracker-list">{links}</ul>')


@hookimpl
def render_cell(value, column, database, datasette):
    """`event_id` cells link to the event page (search results may hold several ids);
    `*_reported` arrays become filter links like the timeline's other arrays."""
    if database != DB_NAME or not isinstance(value, str):
        return None
    if column in REPORTED_COLUMNS:
        return reported_cell(column, value, datasette.urls.table(DB_NAME, "timeline"))
    if column != "event_id" or not EVENT_IDS.fullmatch(value):
        return None
    return Markup(", ".join(f'<a href="{escape(event_path(datasette, event_id))}">'
                            f"{escape(event_id)}</a>" for event_id in value.split(",")))


@hookimpl
def extra_template_vars(datasette):
    """`tracker_empty`: every page of an empty database says how to fill it (base.html)."""
    async def template_vars():
        database = datasette.databases.get(DB_NAME)
        if database is None:
            return {}
        return {"tracker_empty": not await database.execute_fn(has_events)}
    return template_vars
