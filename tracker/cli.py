"""Command line: `tracker crawl | serve | reprocess | review | stats | export | explain`.

Exit codes: 0 ok, 1 some sources failed, 2 usage or configuration error, 75 another run holds
the lock (EX_TEMPFAIL, so cron can tell 'busy' from 'broken').
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from db import DEFAULT_DB
from tracker.ops.lock import CrawlLocked, crawl_lock, lock_is_held  # light: exit 75 fast
from tracker.sources import SourcesError, load_sources

EXIT_SOURCES_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75
MAX_MESSAGE = 400
UPGRADE_WAIT_S = 60  # a crawl migrates a database in well under a second
DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False),
                         default=str(DEFAULT_DB), show_default=True,
                         help="SQLite database file ($TRACKER_DB sets the default).")

DECISIONS_OPTION = click.option(
    "--decisions", "decisions_path", type=click.Path(dir_okay=False), default=None,
    help="Reviewers' decisions YAML (default: the project's tracker/data/decisions.yml).")


def _console_log_level(log_file: str | None) -> str:
    """Without a log file or an asked-for level, Scrapy's records stay off the console: the
    progress line and the summary say what happened, each failure once."""
    if log_file or "TRACKER_LOG_LEVEL" in os.environ:
        return os.environ.get("TRACKER_LOG_LEVEL", "WARNING")
    return "CRITICAL"


def _fail(message: str, code: int) -> None:
    """One line on stderr, bounded (a message may quote a value read from a hostile file)."""
    line = " ".join(message.split())
    click.echo(f"error: {line[:MAX_MESSAGE]}{'...' if len(line) > MAX_MESSAGE else ''}",
               err=True)
    sys.exit(code)


def _checked_db(db_path: str, write: bool, must_exist: bool = False):
    """The database's state, or exit 2 naming the file and the problem (before any write)."""
    from db.checks import DatabaseRefused, check_database

    try:
        state = check_database(db_path, write)
    except DatabaseRefused as exc:
        _fail(str(exc), EXIT_USAGE)
    if must_exist and not state.exists:
        _fail(f"database {db_path} does not exist; run `tracker crawl` first", EXIT_USAGE)
    return state


def _reader(db_path: str):
    """A read-only Store for a command that only reads. An older schema is upgraded first, as
    any command always did, but under the crawl lock: when a crawl holds it, the crawl is
    migrating the database, and the reader waits for that instead of migrating beside it."""
    import time

    from db.store import Store

    deadline = time.monotonic() + UPGRADE_WAIT_S
    while _checked_db(db_path, write=False, must_exist=True).pending:
        from tracker.timeline import open_timeline  # the events layer: only to upgrade

        _checked_db(db_path, write=True)
        try:
            with crawl_lock(db_path):
                open_timeline(db_path).close()
        except CrawlLocked:
            if time.monotonic() > deadline:
                _fail(f"{db_path}: a crawl holds the lock and the schema is still not "
                      "current; try again when it ends", EXIT_LOCKED)
            time.sleep(0.2)
    return Store.open(db_path, read_only=True)


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
              default=None, help="Scrapy log level (default: $TRACKER_LOG_LEVEL, else WARNING in "
              "--log-file and nothing on the console, where the summary names each failure).")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Append the crawl log to this file instead of stderr.")
@click.option("--log-max-bytes", type=click.IntRange(min=0), default=0, show_default=True,
              help="Rotate --log-file before the run once it reaches this size (0: never).")
@click.option("--log-backups", type=click.IntRange(min=0), default=5, show_default=True,
              help="Rotated log files to keep (LOG.1 ... LOG.N).")
@click.option("--max-runtime", type=click.IntRange(min=1), default=None,
              help="Close every spider after this many seconds (default 3600 or "
                   "$TRACKER_MAX_RUNTIME); the process is ended TRACKER_SHUTDOWN_GRACE s later.")
@click.option("--stats-dir", type=click.Path(file_okay=False), default=None,
              help="Write each source's Scrapy stats to DIR/<source>.json.")
@click.option("--set", "-s", "settings_kv", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_DELAY=0.")
@click.option("--since", "since_text", default=None, metavar="DATE",
              help="Only fetch articles listed as published on or after DATE "
                   "(2025-01-31, '7 days ago'); API sources narrow their queries too.")
@DECISIONS_OPTION
def crawl(sources_path: str | None, db_path: str, spiders: tuple[str, ...],
          log_level: str | None, log_file: str | None, log_max_bytes: int, log_backups: int,
          max_runtime: int | None, stats_dir: str | None, settings_kv: tuple[str, ...],
          since_text: str | None, decisions_path: str | None) -> None:
    """Crawl the configured sources into the database and print a per-source summary."""
    if lock_is_held(db_path):  # first, before Scrapy is imported: a busy cron slot exits fast
        _fail(f"another crawl holds {db_path}.lock", EXIT_LOCKED)
    extra = _crawl_overrides(settings_kv, since_text)
    sources = _selected_sources(sources_path, spiders)
    for option, path, is_dir in (("--log-file", log_file, False), ("--stats-dir", stats_dir, True)):
        problem = _output_problem(path, is_dir) if path else None
        if problem:
            _fail(f"{option} {path}: {problem}", EXIT_USAGE)
    _decisions(decisions_path)  # a bad file stops the run before anything is written
    if decisions_path:
        extra["TRACKER_DECISIONS"] = decisions_path
    _checked_db(db_path, write=True)
    from tracker.crawl import project_settings, run_crawl
    from tracker.ops.cron import hard_deadline
    from tracker.ops.watchdog import Watchdog

    _check_readers(sources)
    try:
        with crawl_lock(db_path):
            overrides = _run_overrides(log_level, log_file, log_max_bytes, log_backups,
                                       max_runtime, stats_dir) | extra
            with Watchdog(hard_deadline(project_settings(db_path, overrides))):
                report = run_crawl(sources, db_path, overrides)
    except CrawlLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    except sqlite3.Error as exc:  # the database failed before or after the sources ran
        from db.store import describe_store_error

        click.echo(f"FAILED run: {db_path}: store error: {describe_store_error(exc)}", err=True)
        sys.exit(EXIT_SOURCES_FAILED)
    _print_sources(report)
    _print_summary(report)
    if report.failed:
        sys.exit(EXIT_SOURCES_FAILED)


def _check_readers(sources: list) -> None:
    """Every source's kind has a reader in spiders/, or exit 2 naming the sources."""
    from tracker.crawling.base import reader_class

    missing = []
    for kind in sorted({s.kind for s in sources}):
        try:
            reader_class(kind)
        except (ImportError, LookupError):
            missing.append(kind)
    if missing:
        names = [s.name for s in sources if s.kind in missing]
        _fail(f"no reader for kind(s) {', '.join(missing)} (sources: {', '.join(names)})",
              EXIT_USAGE)


def _run_overrides(log_level: str | None, log_file: str | None, log_max_bytes: int,
                   log_backups: int, max_runtime: int | None, stats_dir: str | None) -> dict:
    """Scrapy settings from the crawl's options (the log file rotated first)."""
    from tracker.ops.logs import rotate_log

    overrides = {"LOG_LEVEL": log_level or _console_log_level(log_file)}
    if log_file:
        rotate_log(log_file, log_max_bytes, log_backups)
        overrides |= {"LOG_FILE": log_file, "LOG_FILE_APPEND": True}
    if max_runtime:
        overrides["CLOSESPIDER_TIMEOUT"] = max_runtime
    if stats_dir:
        overrides["TRACKER_STATS_DIR"] = stats_dir
    return overrides


def _print_sources(report) -> None:
    """A note on a crashed earlier run, then one line per source."""
    if report.crashed_runs:
        click.echo(f"note: an earlier run ended without finishing ({report.crashed_runs} source "
                   "rows marked 'crashed'); its committed articles were kept", err=True)
    for health in report.sources:
        click.echo(f"{health.source:<28} {health.status:<9} items={health.items_found} "
                   f"new={health.new_articles} known={health.articles_known} "
                   f"events={health.events} article_errors={health.article_errors} "
                   f"skipped={health.skipped} unresolved={health.unresolved} "
                   f"requests={health.requests} records={health.new_records}")


def _print_summary(report) -> None:
    """This run's figures, then each failure once: one FAILED line a source, or one line
    when every source failed the same way."""
    from tracker.ops.progress import common_failure, summary_text

    click.echo(summary_text(report.run, report.elapsed))
    click.echo(f"database: {report.counts.get('articles', 0)} articles, "
               f"{report.counts.get('events', 0)} events")
    if getattr(report, "link_error", None):
        click.echo(f"warning: {report.link_error}", err=True)
    common = common_failure([health.status for health in report.sources])
    if common:
        click.echo(f"FAILED {common}", err=True)
        return
    for health in report.failed:
        click.echo(f"FAILED {health.source}: "
                   f"{health.reasons[0] if health.reasons else health.status}", err=True)


def _decisions(path: str | None) -> list:
    from tracker.decisions import DecisionsError, load_decisions

    try:
        return load_decisions(path)
    except DecisionsError as exc:
        _fail(str(exc), EXIT_USAGE)


def _crawl_overrides(settings_kv: tuple[str, ...], since_text: str | None) -> dict:
    """Scrapy settings from -s NAME=VALUE and --since, or exit 2."""
    from tracker.crawling.since import SinceError, parse_since
    from tracker.ops.cron import parse_overrides

    try:
        extra = parse_overrides(settings_kv)
        if since_text is not None:
            extra["TRACKER_SINCE"] = parse_since(since_text).isoformat()
    except (ValueError, SinceError) as exc:
        _fail(str(exc), EXIT_USAGE)
    return extra


def _selected_sources(sources_path: str | None, spiders: tuple[str, ...]) -> list:
    """The sources file's entries that --spider selects, or exit 2."""
    try:
        sources = load_sources(sources_path)
    except SourcesError as exc:
        _fail(str(exc), EXIT_USAGE)
    if spiders:
        wanted = set(spiders)
        sources = [s for s in sources if s.name in wanted or s.kind in wanted]
        if not sources:
            _fail(f"no source matches --spider {', '.join(spiders)}", EXIT_USAGE)
    return sources


def _output_problem(path: str, is_dir: bool) -> str | None:
    """Why a log file or stats directory could not be written, checked without creating it."""
    target = Path(path)
    if target.exists() and target.is_dir() != is_dir:
        return "is a directory" if target.is_dir() else "is not a directory"
    folder = target.parent
    if not is_dir and not folder.is_dir():
        return f"directory {folder} does not exist"
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return f"{folder} is not a writable directory"
    return None


@main.command()
@DB_OPTION
@DECISIONS_OPTION
def reprocess(db_path: str, decisions_path: str | None) -> None:
    """Re-derive every event from stored article text (after alias tables or rules change),
    applying the reviewers' decisions; names each decision that matched nothing."""
    from tracker.reprocess import reprocess_all, timeline_events

    _checked_db(db_path, write=True, must_exist=True)
    decisions = _decisions(decisions_path)
    try:
        with crawl_lock(db_path):
            done = reprocess_all(db_path, decisions=decisions)
    except CrawlLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    except sqlite3.Error as exc:  # one transaction: the stored events are as they were
        from db.store import describe_store_error

        _fail(f"{db_path}: store error: {describe_store_error(exc)}; nothing changed",
              EXIT_SOURCES_FAILED)
    click.echo(f"reprocessed {done.articles} articles: {done.reports} event reports, "
               f"{timeline_events(db_path)} timeline events, "
               f"{len(decisions) - len(done.unused)} of {len(decisions)} decisions applied")
    for decision in done.unused:
        click.echo(f"decision {decision.id} ({decision.action}, {decision.get('who')}: "
                   f"{decision.get('why')}) matched nothing", err=True)


def _article_to_explain(source: str, db_path: str) -> dict:
    """A stored article (by URL) or a saved page or text file, as derive_events takes it."""
    if source.startswith(("http://", "https://")):
        from db.store import read_article
        from tracker.extract.urls import url_key

        _checked_db(db_path, write=False, must_exist=True)
        try:
            found = read_article(db_path, url_key(source))
        except sqlite3.DatabaseError as error:
            _fail(f"{db_path}: cannot read articles: {error}", EXIT_USAGE)
        if found is None:
            _fail(f"{source} is not stored in {db_path}: crawl it, or save the page and pass "
                  "the file", EXIT_USAGE)
        return found
    path = Path(source)
    if not path.is_file():
        _fail(f"{source}: no such file (give a saved page, a text file or a stored URL)",
              EXIT_USAGE)
    body = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or body.lstrip()[:1] == b"<":
        from tracker.extract.article import extract_article

        return extract_article(body, path.resolve().as_uri()).as_dict()
    return {"title": None, "text": body.decode("utf-8", errors="replace"), "published": None,
            "language": None}


@main.command()
@click.argument("source")
@DB_OPTION
@click.option("--title", default=None, help="Title to use (a text file has none).")
@click.option("--published", default=None, help="Publication date YYYY-MM-DD to resolve "
              "weekdays and year-less dates against.")
@click.option("--language", default=None, help="Language code, if detection should be skipped.")
def explain(source: str, db_path: str, title: str | None, published: str | None,
            language: str | None) -> None:
    """Show, for one article (a saved page, a text file or a stored URL), its clauses, cues and
    role decisions and the events derived, each value with the rule that produced it."""
    from datetime import date

    from tracker.events.explain import explain as explain_article

    article = _article_to_explain(source, db_path)
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            _fail(f"--published {published!r} is not a YYYY-MM-DD date", EXIT_USAGE)
    for line in explain_article(article["text"], title or article.get("title"),
                                published or article.get("published"),
                                language or article.get("language"), article.get("url")):
        click.echo(line)


REVIEWER = click.option("--who", required=True, envvar="TRACKER_REVIEWER",
                        help="Who decides (default: $TRACKER_REVIEWER).")
REASON = click.option("--why", required=True, help="Why: kept with the decision.")
FIELD = click.Choice(["vendors", "models", "countries", "agencies", "partners"])


def _review_list(db_path: str, max_confidence: float, limit: int) -> None:
    from db.reading import connect_readonly, review_items

    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist", EXIT_USAGE)
    conn = connect_readonly(db_path)
    try:
        items = review_items(conn, max_confidence, limit)
    finally:
        conn.close()
    for line in review_lines(items, max_confidence):
        click.echo(line)


def review_lines(items: dict, max_confidence: float) -> list[str]:
    """`tracker review`'s listing, section by section."""
    def events(rows):
        return [f"  {r['event_date'] or 'undated':<10}  {r['event_id']}  {r['confidence']:.2f}  "
                f"{(r['summary'] or '')[:90]}" for r in rows]
    return [f"Events below confidence {max_confidence}: {len(items['low_confidence'])}",
            *events(items["low_confidence"]),
            f"Names no alias table knows, in events: {len(items['unknown_values'])}",
            *(f"  {r['field']:<9} {r['id']:<32} {r['name']} ({r['events']} events)"
              for r in items["unknown_values"]),
            ("Unknown organisation and product names in event sentences: "
             f"{len(items['unmatched_names'])}"),
            *(f"  {r['kind']:<12} {r['text']} ({r['articles']} articles)"
              for r in items["unmatched_names"]),
            f"Events with one report: {len(items['single_report'])}",
            *events(items["single_report"]),
            ("Record a decision: tracker review reject|merge|split|map-name|not-government|"
             "remove-value|fix-value ... --who W --why TEXT (tracker review COMMAND --help)")]


def _record(decisions_path: str | None, entry: dict) -> None:
    from db.store import now_iso
    from tracker.decisions import DecisionsError, append_decision

    try:
        decision = append_decision(decisions_path, {**entry, "when": now_iso()})
    except DecisionsError as exc:
        _fail(str(exc), EXIT_USAGE)
    click.echo(f"recorded {decision.id} ({decision.action}); it applies from the next crawl "
               "or `tracker reprocess`")


@main.group(invoke_without_command=True)
@DB_OPTION
@click.option("--max-confidence", default=0.75, show_default=True, type=float,
              help="List events whose confidence is below this.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="Rows per section.")
@click.pass_context
def review(ctx, db_path: str, max_confidence: float, limit: int) -> None:
    """What needs a reviewer (low confidence, unknown names, one-report events); the
    subcommands record a decision in the decisions file, applied by crawl and reprocess."""
    ctx.obj = {"db_path": db_path}
    if ctx.invoked_subcommand is None:
        _review_list(db_path, max_confidence, limit)


@review.command("reject")
@click.argument("event_id")
@REVIEWER
@REASON
@DECISIONS_OPTION
@click.pass_context
def review_reject(ctx, event_id: str, who: str, why: str, decisions_path: str | None) -> None:
    """Reject an event: its reports no longer make an event."""
    _record(decisions_path, {"action": "reject_event", "event": event_id,
                             "reports": _event_reports(ctx.obj["db_path"], event_id),
                             "who": who, "why": why})


def _event_reports(db_path: str, event_id: str) -> list[dict]:
    """The event's reports as decisions select them ({url, position}); exit 2 if none."""
    from db.reading import connect_readonly, event_report_keys

    if not Path(db_path).exists():
        _fail(f"database {db_path} does not exist", EXIT_USAGE)
    conn = connect_readonly(db_path)
    try:
        reports = event_report_keys(conn, event_id)
    finally:
        conn.close()
    if not reports:
        _fail(f"no event {event_id} in {db_path}", EXIT_USAGE)
    return reports


@review.command("merge")
@click.argument("event_ids", nargs=-1, required=True)
@REVIEWER
@REASON
@DECISIONS_OPTION
@click.pass_context
def review_merge(ctx, event_ids: tuple[str, ...], who: str, why: str,
                 decisions_path: str | None) -> None:
    """Merge two or more events (their reports) into one."""
    if len(set(event_ids)) < 2:
        _fail("merge needs two or more different events", EXIT_USAGE)
    reports = [r for event_id in event_ids for r in _event_reports(ctx.obj["db_path"], event_id)]
    _record(decisions_path, {"action": "merge_events", "events": list(event_ids),
                             "reports": reports, "who": who, "why": why})


@review.command("split")
@click.argument("event_id")
@click.option("--url", required=True, help="The article whose report leaves the event.")
@REVIEWER
@REASON
@DECISIONS_OPTION
@click.pass_context
def review_split(ctx, event_id: str, url: str, who: str, why: str,
                 decisions_path: str | None) -> None:
    """Split an article's report off an event: it makes an event of its own."""
    from tracker.extract.urls import url_key

    reports = [r for r in _event_reports(ctx.obj["db_path"], event_id)
               if url_key(r["url"]) == url_key(url)]
    if not reports:
        _fail(f"{url} reports nothing in event {event_id}", EXIT_USAGE)
    _record(decisions_path, {"action": "split_report", "event": event_id, "reports": reports,
                             "who": who, "why": why})


@review.command("map-name")
@click.argument("name")
@click.argument("to")
@click.option("--field", type=FIELD, default=None, help="Only values of this field.")
@REVIEWER
@REASON
@DECISIONS_OPTION
def review_map_name(name: str, to: str, field: str | None, who: str, why: str,
                    decisions_path: str | None) -> None:
    """Map a name no alias table knows to an entity id of the alias tables."""
    entry = {"action": "map_name", "name": name, "to": to, "who": who, "why": why}
    _record(decisions_path, entry | ({"field": field} if field else {}))


@review.command("not-government")
@click.argument("name")
@REVIEWER
@REASON
@DECISIONS_OPTION
def review_not_government(name: str, who: str, why: str, decisions_path: str | None) -> None:
    """An unknown body NAME is not a government: drop it from agencies."""
    _record(decisions_path, {"action": "not_government", "name": name, "who": who, "why": why})


@review.command("remove-value")
@click.argument("field", type=FIELD)
@click.argument("value")
@click.option("--url", default=None, help="Only in this article.")
@REVIEWER
@REASON
@DECISIONS_OPTION
def review_remove_value(field: str, value: str, url: str | None, who: str, why: str,
                        decisions_path: str | None) -> None:
    """Remove a value (an entity id) from events, everywhere or in one article."""
    entry = {"action": "remove_value", "field": field, "value": value, "who": who, "why": why}
    _record(decisions_path, entry | ({"url": url} if url else {}))


@review.command("fix-value")
@click.argument("field", type=FIELD)
@click.argument("value")
@click.argument("to")
@click.option("--url", default=None, help="Only in this article.")
@REVIEWER
@REASON
@DECISIONS_OPTION
def review_fix_value(field: str, value: str, to: str, url: str | None, who: str, why: str,
                     decisions_path: str | None) -> None:
    """Replace a value (an entity id) by another, everywhere or in one article."""
    entry = {"action": "fix_value", "field": field, "value": value, "to": to, "who": who,
             "why": why}
    _record(decisions_path, entry | ({"url": url} if url else {}))


@main.command("load-queue")
@DB_OPTION
@click.option("--redis", "redis_url", envvar="TRACKER_REDIS_URL", required=True,
              help="Redis URL the crawl workers push to (default: $TRACKER_REDIS_URL).")
@click.option("--idle", default=10.0, show_default=True,
              help="Stop after the queue has been empty this many seconds.")
@click.option("--limit", type=int, default=None, help="Stop after this many items.")
@DECISIONS_OPTION
def load_queue_cmd(db_path: str, redis_url: str, idle: float, limit: int | None,
                   decisions_path: str | None) -> None:
    """Scale-out: be the single writer, storing what crawl workers queued in Redis."""
    from urllib.parse import urlsplit

    decisions = _decisions(decisions_path)
    if urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
        _fail(f"--redis {redis_url}: not a redis://, rediss:// or unix:// URL", EXIT_USAGE)
    try:
        from redis.exceptions import ConnectionError as RedisUnreachable

        from tracker.ops.loader import load_queue
    except ImportError:
        _fail("load-queue needs redis: pip install -e '.[scale]'", EXIT_USAGE)
    _checked_db(db_path, write=True)
    try:
        with crawl_lock(db_path):
            report = load_queue(redis_url, db_path, idle=idle, limit=limit,
                                decisions=decisions)
    except CrawlLocked as exc:
        _fail(str(exc), EXIT_LOCKED)
    except RedisUnreachable as exc:
        _fail(f"--redis {redis_url}: {exc}", EXIT_SOURCES_FAILED)
    click.echo(f"loaded {report.items} items: {report.articles} articles "
               f"({report.new_articles} new), {report.events} events, "
               f"{report.discovered} discovered items")


@main.command()
@DB_OPTION
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--vacuum", is_flag=True,
              help="Use VACUUM INTO (compact copy) instead of the online backup API.")
def backup(db_path: str, dest: str, vacuum: bool) -> None:
    """Consistent copy of the live database (safe while a crawl writes; never `cp` a WAL db)."""
    from tracker.ops.backup import BackupError, backup_database

    _checked_db(db_path, write=False, must_exist=True)
    try:
        result = backup_database(db_path, dest, "vacuum" if vacuum else "backup")
    except BackupError as exc:
        _fail(str(exc), EXIT_USAGE if "does not exist" in str(exc) else EXIT_SOURCES_FAILED)
    click.echo(f"backup {result.path}: {result.bytes} bytes, {result.articles} articles, "
               f"{result.events} events, integrity_check ok ({result.method})")


@main.command()
@DB_OPTION
@click.option("--runs", default=20, show_default=True, help="How many recent runs to list.")
@click.option("--failing-after", default=3, show_default=True, type=click.IntRange(min=1),
              help="Report sources whose last N or more runs all failed.")
def stats(db_path: str, runs: int, failing_after: int) -> None:
    """Row counts and the latest crawl runs per source."""
    store = _reader(db_path)
    try:
        for table, count in store.counts().items():
            click.echo(f"{table:<20} {count}")
        click.echo("")
        for row in store.recent_runs(runs):
            click.echo(f"{row['started']} {row['source']:<28} {row['status']:<9} "
                       f"items={row['items_found']} new={row['new_articles']} "
                       f"events={row['events']} requests={row.get('requests') or 0} "
                       f"skipped={row.get('skipped') or 0} "
                       f"unresolved={row.get('unresolved') or 0} {row['reason'] or ''}")
        for source, streak in store.failing_sources(failing_after):
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
    store = _reader(db_path)
    try:
        rows = store.timeline_rows()
        columns = list(rows[0]) if rows else [  # the header even when there is no event yet
            c.name for c in store.db["timeline"].columns if c.name != "event_rowid"]
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
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in row.values()])


@main.command()
@DB_OPTION
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--public", is_flag=True,
              help="Read-only exposure: arbitrary SQL off, only canned queries and tables.")
def serve(db_path: str, port: int, host: str, public: bool) -> None:
    """Start Datasette on the database (mutable mode: it reads while cron writes).

    Bound to 127.0.0.1 unless --host says otherwise; --public turns arbitrary SQL and database
    downloads off (for exposure beyond this machine). Limits: 1.5 s per query, 2,000 rows.
    """
    from tracker.web import serve as run_datasette

    _reader(db_path).close()  # never writes, unless an older schema needs its migrations
    run_datasette(db_path, host=host, port=port, public=public,
                  announce=lambda line: click.echo(line, err=True))


if __name__ == "__main__":
    main()
