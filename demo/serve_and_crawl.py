"""`make demo`: the whole product offline, in one command.

1. serves the project's own sample site (demo/site/: three fictional outlets with an RSS, an
   Atom and a JSON feed, and article pages in en, fr, de, es, ja and ko) on 127.0.0.1;
2. crawls it into db/demo.db (a fresh database each time) with `tracker crawl`;
3. starts Datasette on it (`tracker serve`), keeping the sample site up so the links to the
   source articles work. Ctrl-C stops both.

    python demo/serve_and_crawl.py [--db db/demo.db] [--port 8001] [--site-port 8002]
                                   [--no-serve]
"""

from __future__ import annotations

import argparse
import contextlib
import mimetypes
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "site"
TYPES = {".xml": "application/xml; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


class DemoSite:
    """Files under demo/site with '{{BASE}}' replaced by the server's own address."""

    def __init__(self, port: int = 0, root: Path = SITE):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                status, ctype, body = site.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.root = root.resolve()
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError:  # port taken: any free one (a fresh demo database is built anyway)
            self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def respond(self, path: str) -> tuple[int, str, bytes]:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if bare in ("", "/"):
            links = "".join(f'<li><a href="/articles/{p.name}">{p.stem}</a></li>'
                            for p in sorted((self.root / "articles").glob("*.html")))
            body = ("<!doctype html><meta charset=utf-8><title>Tracker demo site</title>"
                    "<h1>Tracker demo site (fictional articles)</h1><p>Feeds: "
                    '<a href="/rss.xml">RSS</a>, <a href="/atom.xml">Atom</a>, '
                    f'<a href="/feed.json">JSON Feed</a></p><ul>{links}</ul>')
            return 200, TYPES[".html"], body.encode()
        file = (self.root / bare.lstrip("/")).resolve()
        if self.root not in file.parents or not file.is_file():
            return 404, TYPES[".html"], b"<h1>Not found</h1>"
        body = file.read_bytes().replace(b"{{BASE}}", self.base.encode())
        ctype = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/plain"
        return 200, ctype, body

    def sources_file(self, directory: Path) -> Path:
        path = directory / "demo-sources.yml"
        path.write_text((self.root / "sources.yml").read_text().replace("{{BASE}}", self.base))
        return path

    def __enter__(self) -> DemoSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def crawl(site: DemoSite, db: Path) -> int:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = site.sources_file(Path(tmp))
        print(f"demo site: {site.base}/  crawling it into {db} ...", flush=True)
        result = subprocess.run([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                                 str(sources), "--db", str(db)], cwd=ROOT,
                                env=dict(os.environ, TRACKER_LOG_LEVEL="WARNING"))
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "db" / "demo.db")
    parser.add_argument("--port", type=int, default=8001, help="Datasette port")
    parser.add_argument("--site-port", type=int, default=8002, help="sample site port")
    parser.add_argument("--no-serve", action="store_true", help="crawl only, then exit")
    args = parser.parse_args(argv)
    with DemoSite(args.site_port) as site:
        code = crawl(site, args.db)
        if code != 0:
            print(f"demo crawl failed (exit {code})", file=sys.stderr)
            return code
        if args.no_serve:
            return 0
        sys.path.insert(0, str(ROOT))
        from tracker.web import serve

        print(f"Sample articles stay available at {site.base}/ while Datasette runs "
              "(Ctrl-C stops both).", flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how the tour ends
            serve(args.db, host="127.0.0.1", port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
