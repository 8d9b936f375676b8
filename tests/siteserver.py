"""A local HTTP server for tests: serves fixture files on 127.0.0.1 and logs every request."""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".json": "application/json",
                 ".html": "text/html; charset=utf-8", ".txt": "text/plain"}


class SiteServer:
    """Files under `root`, with '{{BASE}}' replaced by the server's own address.

    `routes` maps a path to (status, headers, body) for cases no file can express.
    """

    def __init__(self, root: Path, routes: dict | None = None):
        self.root = root
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                status, headers, body = server.respond(self.path)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def respond(self, path: str) -> tuple[int, dict, bytes]:
        bare = path.split("?", 1)[0]
        if bare in self.routes:
            status, headers, body = self.routes[bare]
            return status, headers, body
        file = (self.root / bare.lstrip("/")).resolve()
        if self.root.resolve() not in file.parents or not file.is_file():
            return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        body = file.read_bytes().replace(b"{{BASE}}", self.base.encode())
        ctype = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/plain"
        return 200, {"Content-Type": ctype}, body

    def count(self, prefix: str) -> int:
        return sum(1 for p in self.requests if p.startswith(prefix))

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
