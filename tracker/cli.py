"""Command line: `tracker crawl | serve | reprocess | stats | export`.

Exit codes: 0 ok, 1 some sources failed, 2 usage or configuration error, 75 another run holds
the lock (EX_TEMPFAIL, so cron can tell 'busy' from 'broken').
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import click

from tracker.crawl import PROJECT_ROOT, CrawlLocked, crawl_lock
from tracker.sources import SourcesError, load_sources

EXIT_SOURCES_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75
DEFAULT_DB = PROJECT_ROOT / "db" / "tracker.db"
DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_DB),
                         show_default=True, help="SQLite database file.")


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group()
@click.version_option(package_name="defense-ai-tracker")
def main() -> None:
    """Track which governments adopt which AI models, from which vendors, and when."""


@main.command()
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Sources YAML file (default: the project's tracker/sources.yml).")
@DB_OPTION
@click.option("--spider", "spiders", multiple=True,
              help="Only crawl sources with this name or kind (repeatable).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
              default=None, help="Scrapy log level (default WARNING, or $TRACKER_LOG_LEVEL).")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Append the crawl log to this file instead of stderr.")
def crawl(sources_path: str | None, db_path: str, spiders: tuple[str, ...],
          log_level: str | None, log_file: str | None) -> None:
    """Crawl the configured sources into the database and print a per-source summary."""
    try:
        sources = load_sources(sources_path)
    except SourcesError as exc:
        _fail(str(exc), EXIT_USAGE)
    if spiders:
        wanted = set(spiders)
        sources = [s for s in sources if s.name in wanted or s.kind in wanted]
        if not sources:
            _fail(f"no source matches --spider {', '.join(spiders)}", EXIT_USAGE)
    from scrapy.spiderloader import SpiderLoader

    from tracker.crawl import project_settings, run_crawl

    loader = SpiderLoader.from_settings(project_settings(db_path))
    missing = sorted({s.kind for s in sources} - set(loader.list()))
    if missing:
        names = [s.name for s in sources if s.kind in missing]
        _fail(f"no spider for kind(s) {', '.join(missing)} (sources: {', '.join(names)})",
              EXIT_USAGE)
    try:
        with crawl_lock(db_path):
            overrides = {"LOG_LEVEL": log_level} if log_level else {}
            if log_file:
                overrides |= {"LOG_FILE": log_file, "LOG_FILE_APPEND": True}
            report = run_crawl(sources, db_path, overrides)
    except CrawlLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    for health in report.sources:
        line = (f"{health.source:<28} {health.status:<9} items={health.items_found} "
                f"new={health.new_articles} known={health.articles_known} "
                f"events={health.events} article_errors={health.article_errors}")
        click.echo(line)
    click.echo("totals: " + " ".join(f"{k}={v}" for k, v in report.counts.items()
                                     if k in ("articles", "events")))
    if report.failed:
        for health in report.failed:
            click.echo(f"FAILED {health.source}: {health.reasons[0] if health.reasons else health.status}",
                       err=True)
        sys.exit(EXIT_SOURCES_FAILED)


@main.command()
@DB_OPTION
def reprocess(db_path: str) -> None:
    """Re-derive every event from stored article text (after alias tables or rules change)."""
    from tracker.reprocess import reprocess_all

    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist", EXIT_USAGE)
    try:
        with crawl_lock(db_path):
            articles, events = reprocess_all(db_path)
    except CrawlLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    click.echo(f"reprocessed {articles} articles into {events} events")


@main.command()
@DB_OPTION
@click.option("--runs", default=20, show_default=True, help="How many recent runs to list.")
def stats(db_path: str, runs: int) -> None:
    """Row counts and the latest crawl runs per source."""
    from db.store import Store

    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist", EXIT_USAGE)
    store = Store(db_path)
    try:
        for table, count in store.counts().items():
            click.echo(f"{table:<20} {count}")
        click.echo("")
        for row in store.recent_runs(runs):
            click.echo(f"{row['started']} {row['source']:<28} {row['status']:<9} "
                       f"items={row['items_found']} new={row['new_articles']} "
                       f"events={row['events']} {row['reason'] or ''}")
        for source, streak in store.failing_sources():
            click.echo(f"WARNING {source} failed {streak} runs in a row", err=True)
    finally:
        store.close()


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default="jsonl",
              show_default=True)
@click.option("--output", "-o", type=click.File("w"), default="-")
def export(db_path: str, fmt: str, output) -> None:
    """Write the timeline for people who do not use Datasette."""
    from db.store import Store

    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist", EXIT_USAGE)
    store = Store(db_path)
    try:
        rows = store.timeline_rows()
    finally:
        store.close()
    if fmt == "json":
        json.dump(rows, output, ensure_ascii=False, indent=1)
        output.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(output)
        columns = list(rows[0]) if rows else ["event_id"]
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in row.values()])


@main.command()
@DB_OPTION
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--public", is_flag=True,
              help="Read-only exposure: arbitrary SQL off, only canned queries and tables.")
def serve(db_path: str, port: int, host: str, public: bool) -> None:
    """Start Datasette on the database (mutable mode: it reads while cron writes)."""
    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist; run `tracker crawl` first", EXIT_USAGE)
    args = ["datasette", "serve", db_path, "--host", host, "--port", str(port),
            "--metadata", str(PROJECT_ROOT / "db" / "metadata.yml"),
            "--setting", "sql_time_limit_ms", "1500", "--setting", "max_returned_rows", "2000",
            "--setting", "suggest_facets", "off"]
    if public:
        args += ["--setting", "default_allow_sql", "off", "--setting", "allow_download", "off"]
    datasette = Path(sys.executable).with_name("datasette")
    os.execv(str(datasette), [str(datasette), *args[1:]])


if __name__ == "__main__":
    main()
