"""A local HTTP server for tests: serves fixture files on 127.0.0.1 and logs every request."""

from __future__ import annotations

import hashlib
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".json": "application/json",
                 ".html": "text/html; charset=utf-8", ".txt": "text/plain"}


class LocalServer:
    """An HTTP/1.1 server on 127.0.0.1:0 in a thread. Every GET and POST is logged (`requests`:
    paths in order; `log`: (monotonic time, path, headers); `bodies`: (path, body) of each POST)
    and then answered by `answer(handler)`."""

    def __init__(self):
        self.requests: list[str] = []
        self.bodies: list[tuple[str, bytes]] = []
        self.log: list[tuple[float, str, dict]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with server._lock:
                    server.requests.append(self.path)
                    server.log.append((time.monotonic(), self.path, dict(self.headers)))
                server.answer(self)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._lock:
                    server.requests.append(self.path)
                    server.log.append((time.monotonic(), self.path, dict(self.headers)))
                    server.bodies.append((self.path, body))
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def count(self, prefix: str) -> int:
        return sum(1 for p in self.requests if p.startswith(prefix))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler, status: int, headers: dict, body: bytes, length: int | None = None) -> None:
    """Status, headers, Content-Length (`length`, or the body's real one) and body."""
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


class SiteServer(LocalServer):
    """Files under `root`, with '{{BASE}}' replaced by the server's own address.

    `routes` maps a path to (status, headers, body) for cases no file can express, or to a
    callable `route(path_with_query, request_headers) -> (status, headers, body)`.
    `validators=True` gives files an ETag and Last-Modified and answers 304 to a matching
    If-None-Match / If-Modified-Since.
    """

    def __init__(self, root: Path, routes: dict | None = None, validators: bool = False):
        super().__init__()
        self.root = root
        self.routes = dict(routes or {})
        self.validators = validators

    def answer(self, handler) -> None:
        send(handler, *self.respond(handler.path, dict(handler.headers)))

    def respond(self, path: str, request_headers: dict | None = None) -> tuple[int, dict, bytes]:
        bare = path.split("?", 1)[0]
        if bare in self.routes:
            route = self.routes[bare]
            if callable(route):
                return route(path, request_headers or {})
            status, headers, body = route
            return status, headers, body
        file = (self.root / bare.lstrip("/")).resolve()
        if self.root.resolve() not in file.parents or not file.is_file():
            return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        body = file.read_bytes().replace(b"{{BASE}}", self.base.encode())
        ctype = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/plain"
        if not self.validators:
            return 200, {"Content-Type": ctype}, body
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        stamp = "Mon, 03 Mar 2025 10:00:00 GMT"
        if (request_headers or {}).get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": ctype, "ETag": etag, "Last-Modified": stamp}, body
