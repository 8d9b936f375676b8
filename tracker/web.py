"""Datasette on the tracker database: the one place that configures what readers see.

`build_datasette()` is used by `tracker serve`, `make demo` and the tests, so the tests exercise
exactly what is served. The database is always mounted as `/tracker` (whatever its file name),
in mutable mode (read-only connections that see what cron writes; the database is in WAL mode),
with the SQL time and row limits below. `public=True` is for exposure beyond this machine:
arbitrary SQL, database downloads and unbounded CSV streams are off and no filesystem path is
shown; tables, facets, canned queries and the Atom feed stay available.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import ModuleType

import yaml

from tracker import PROJECT_ROOT

METADATA = PROJECT_ROOT / "db" / "metadata.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Pages public mode forbids (the dashboards run their own SQL): the home page must not link them.
FORBIDDEN_WHEN_PUBLIC = ("/-/dashboards/",)
DB_NAME = "tracker"

SETTINGS = {
    "sql_time_limit_ms": 1500,     # any one query
    "facet_time_limit_ms": 1000,   # facets on the timeline view compute its arrays
    "max_returned_rows": 2000,     # rows per page / JSON response
    "default_page_size": 50,
    "suggest_facets": False,
    "allow_download": True,
    "default_allow_sql": True,
}
# Public: no arbitrary SQL, no download of the file, and no CSV stream past max_returned_rows
# (`_stream=on` would read every row of a table in one request).
PUBLIC_SETTINGS = {"default_allow_sql": False, "allow_download": False,
                   "allow_csv_stream": False}


def load_metadata(path: Path = METADATA) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def without_forbidden_links(html: str) -> str:
    """The home page's list items, less those linking a page public mode forbids."""
    for path in FORBIDDEN_WHEN_PUBLIC:
        html = re.sub(r"\s*<li>(?:(?!</li>).)*?href=\"" + re.escape(path) + r".*?</li>", "",
                      html, flags=re.DOTALL)
    return html


def metadata_for(public: bool, metadata: dict | None = None) -> dict:
    metadata = metadata or load_metadata()
    if public and metadata.get("description_html"):
        metadata = {**metadata,
                    "description_html": without_forbidden_links(metadata["description_html"])}
    return metadata


def settings_for(public: bool) -> dict:
    return {**SETTINGS, **(PUBLIC_SETTINGS if public else {})}


def keep_markdown_templates_only(pm) -> None:
    """datasette-render-markdown comes with datasette-dashboards, whose charts use its template
    function; its render_cell hook, though db/metadata.yml matches no column, reads the plugin
    configuration for every cell of every page (about a quarter of a timeline page's time)."""
    import datasette_render_markdown as markdown

    if pm.is_registered(markdown):
        pm.unregister(markdown)
        templates_only = ModuleType("datasette_render_markdown_templates")
        templates_only.extra_template_vars = markdown.extra_template_vars
        templates_only.prepare_jinja2_environment = markdown.prepare_jinja2_environment
        pm.register(templates_only, name="datasette-render-markdown-templates")


def build_datasette(db_path: str | Path, public: bool = False, metadata: dict | None = None):
    """A Datasette instance serving `db_path` as /tracker with the project's metadata."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from tracker import analyst_plugin, datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="tracker-datasette")
    if not pm.is_registered(analyst_plugin):
        pm.register(analyst_plugin, name="tracker-analyst")
    keep_markdown_templates_only(pm)
    ds = Datasette([], metadata=metadata_for(public, metadata), settings=settings_for(public),
                   template_dir=str(TEMPLATES))
    if "_memory" in ds.databases:  # Datasette adds it when no file is given
        ds.remove_database("_memory")
    ds.add_database(Database(ds, path=str(Path(db_path).resolve()), is_mutable=True),
                    name=DB_NAME)
    return ds


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          public: bool = False, announce=print) -> None:
    """Run Datasette (uvicorn) until interrupted."""
    import uvicorn

    ds = build_datasette(db_path, public=public)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ds.invoke_startup())
    base = f"http://{host}:{port}"
    announce(f"Serving {db_path} as {base}/{DB_NAME}"
             + (" (public: arbitrary SQL off)" if public else ""))
    announce(f"  timeline:   {base}/{DB_NAME}/timeline")
    if not public:
        announce(f"  charts+map: {base}/-/dashboards/adoption")
    announce(f"  map:        {base}/{DB_NAME}/adopters_map")
    announce(f"  Atom feed:  {base}/{DB_NAME}/new_events.atom")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
