"""A local replica of every source kind (tests/fixtures/catalog), served on 127.0.0.1.

Files are served by SiteServer (with ETag / Last-Modified, so conditional GET can be seen);
the API-shaped endpoints are routes: the GDELT DOC API, the Google News search feed and its
article links, the GOV.UK Search and Content APIs and the DoD contract page path.

Tokens in fixture files: {{BASE}} (the server), {{DATE-N}} (today minus N days, so the news
sitemap stays inside its date window on any day), {{GDELTDATE-N}} (the same as YYYYMMDD) and
{{GNEWS_OLD:/path}} (an old-format Google News article ID that encodes BASE + path).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.siteserver import FIXTURES, SiteServer

CATALOG = FIXTURES / "catalog"
JSON = "application/json; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
REDIRECTING_ID = "CBMiNkFVX3lxTE9maXh0dXJlUmVkaXJlY3RzVG9TYWthbmFTdG9yeUZyb21UcmFja2VyVGVzdHMwMQ"
SCRIPT_ONLY_ID = "CBMiOEFVX3lxTE5maXh0dXJlU2NyaXB0T25seUludGVyc3RpdGlhbFBhZ2VGb3JUcmFja2VyVGVzdDAy"
CONTRACTS_PATH = "/News/Contracts/Contract/Article/4100123/contracts-for-march-3-2025/"


def old_gnews_id(url: str) -> str:
    """The pre-2024 Google News article ID format: protobuf 08 13 22 <len> <url>, base64url."""
    payload = url.encode()
    data = b"\x08\x13\x22" + bytes([len(payload)]) + payload
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def fill_dates(text: str, today: date | None = None) -> str:
    today = today or date.today()
    text = re.sub(
        r"\{\{DATE-(\d+)\}\}", lambda m: (today - timedelta(days=int(m.group(1)))).isoformat(), text
    )
    return re.sub(
        r"\{\{GDELTDATE-(\d+)\}\}",
        lambda m: (today - timedelta(days=int(m.group(1)))).strftime("%Y%m%d"),
        text,
    )


def copy_fixtures(dest: Path, source: Path = CATALOG) -> Path:
    """The catalog fixtures with date tokens filled (BASE is filled by the server)."""
    shutil.copytree(source, dest)
    for path in dest.rglob("*"):
        if path.is_file() and path.suffix in (".xml", ".json", ".html", ".yml"):
            path.write_text(fill_dates(path.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


class CatalogSite(SiteServer):
    """SiteServer over a filled copy of the catalog, plus the API routes."""

    def __init__(self, root: Path, gdelt_body=None):
        super().__init__(root, validators=True)
        self.gdelt_body = gdelt_body  # callable(n) -> (status, headers, body) to vary answers
        self.gdelt_calls: list[str] = []
        self.routes.update(
            {
                "/api/v2/doc/doc": self.gdelt,
                "/rss/search": self.gnews_search,
                f"/rss/articles/{REDIRECTING_ID}": lambda path, headers: (
                    302,
                    {"Location": f"{self.base}/articles/japan-sakana.html"},
                    b"",
                ),
                f"/rss/articles/{SCRIPT_ONLY_ID}": lambda path, headers: (
                    200,
                    {"Content-Type": "text/html; charset=utf-8"},
                    (self.root / "googlenews" / "interstitial.html").read_bytes(),
                ),
                "/api/search.json": self.govuk_search,
                CONTRACTS_PATH: lambda path, headers: (
                    200,
                    {"Content-Type": "text/html; charset=utf-8"},
                    (self.root / "contracts" / "contracts-for-march-3-2025.html").read_bytes(),
                ),
            }
        )
        for doc in (self.root / "govuk" / "content").glob("*.json"):
            self.routes[f"/api/content/government/news/{doc.stem}"] = (
                lambda path, headers, doc=doc: (200, {"Content-Type": JSON}, self.fill(doc))
            )

    def fill(self, path: Path) -> bytes:
        text = path.read_text(encoding="utf-8").replace("{{BASE}}", self.base)
        text = re.sub(
            r"\{\{GNEWS_OLD:([^}]+)\}\}", lambda m: old_gnews_id(self.base + m.group(1)), text
        )
        return text.encode("utf-8")

    def gdelt(self, path, headers):
        self.gdelt_calls.append(path)
        if self.gdelt_body is not None:
            return self.gdelt_body(len(self.gdelt_calls))
        return 200, {"Content-Type": JSON}, self.fill(self.root / "gdelt" / "artlist.json")

    def gnews_search(self, path, headers):
        return 200, {"Content-Type": RSS}, self.fill(self.root / "googlenews" / "search.xml")

    def govuk_search(self, path, headers):
        query = parse_qs(urlsplit(path).query)
        if "ministry-of-defence" not in query.get("filter_organisations", []):
            return 422, {"Content-Type": JSON}, b'{"error": "fixture expects organisations"}'
        page = 2 if query.get("start") == ["2"] else 1
        return (
            200,
            {"Content-Type": JSON},
            self.fill(self.root / "govuk" / f"search-page-{page}.json"),
        )


def sources_text(site: SiteServer, root: Path) -> str:
    return (root / "sources.yml").read_text().replace("{{BASE}}", site.base)


def crawl_summary(stdout: str) -> dict[str, dict]:
    """`tracker crawl` output lines -> {source: {status, items, new, ..., requests}}."""
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "=" in parts[2] and not parts[0].endswith(":"):
            fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
            rows[parts[0]] = {
                "status": parts[1],
                **{k: int(v) for k, v in fields.items() if v.lstrip("-").isdigit()},
            }
    return rows


def load_json(path: Path):
    return json.loads(path.read_text())


# ---------------------------------------------------------------- running the real CLI
ROOT = Path(__file__).resolve().parent.parent
# Polite defaults off for tests (delays, AutoThrottle), one retry, short timeouts; GDELT spacing
# shrinks from 5 s to 0.2 s unless a test sets TRACKER_GDELT_INTERVAL itself.
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "RETRY_TIMES=1",
    "-s",
    "DOWNLOAD_TIMEOUT=10",
]


def crawl(sources: Path, db: Path, *args: str, env: dict | None = None, timeout: int = 180):
    import os
    import subprocess
    import sys

    environment = dict(
        os.environ,
        TRACKER_EXTRACT_WORKERS="0",
        TRACKER_LOG_LEVEL="WARNING",
        TRACKER_GDELT_INTERVAL="0.2",
    )
    environment.update(env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker.cli",
            "crawl",
            "--sources",
            str(sources),
            "--db",
            str(db),
            *FAST,
            *args,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_sources(path: Path, entries: list[dict]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False))
    return path


def rows(db: Path, sql: str, params=()) -> list[dict]:
    import sqlite3

    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()
