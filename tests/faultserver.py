"""A hostile HTTP server for the reliability battery: each path misbehaves in one known way.

Like Scrapy's own mockserver, it runs on 127.0.0.1:0 and logs every request. A route is either
`(status, headers, body)` or a callable `route(handler)` that writes whatever raw bytes it likes
(drip, hang, truncate, reset). Sleeping routes wake up when the server stops, so a test never
waits on a handler.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultServer:
    def __init__(self, routes: dict | None = None, robots=None):
        self.routes: dict = dict(routes or {})
        if robots is not None:
            self.routes["/robots.txt"] = robots
        self.requests: list[tuple[str, dict]] = []
        self.hits: dict[str, int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                bare = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    server.hits[bare] = server.hits.get(bare, 0) + 1
                route = server.routes.get(bare)
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
                try:
                    if callable(route):
                        route(self)
                    else:
                        send(self, *route)
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # clients that hang up: expected
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def hit(self, path: str) -> int:
        return self.hits.get(path, 0)

    def count(self, prefix: str) -> int:
        return sum(1 for p, _h in self.requests if p.startswith(prefix))

    def sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True when the full time passed."""
        return not self.stopping.wait(seconds)

    def __enter__(self) -> "FaultServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler, status: int, headers: dict, body: bytes, length: int | None = None) -> None:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


# ---------------------------------------------------------------- raw route builders
def truncated(body: bytes, claimed: int, ctype: str = "text/html; charset=utf-8"):
    """Content-Length promises `claimed` bytes, then the connection closes early."""
    def route(h):
        send(h, 200, {"Content-Type": ctype, "Connection": "close"}, body, length=claimed)
        h.wfile.flush()
        h.close_connection = True
    return route


def close_delimited(body: bytes, ctype: str = "text/html; charset=utf-8", chunk: int = 1 << 16):
    """No Content-Length: the body ends when the connection closes (size unknown up front)."""
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Connection", "close")
        h.end_headers()
        for start in range(0, len(body), chunk):
            h.wfile.write(body[start:start + chunk])
        h.close_connection = True
    return route


def hang_after_headers(server: FaultServer, seconds: float = 60):
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.flush()
        server.sleep(seconds)
        h.close_connection = True
    return route


def no_response(server: FaultServer, seconds: float = 60):
    def route(h):
        server.sleep(seconds)
        h.close_connection = True
    return route


def slow_drip(server: FaultServer, interval: float = 0.5, total: int = 10_000):
    """A byte every `interval` seconds: each read succeeds, the whole never arrives in time."""
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(total))
        h.end_headers()
        for _ in range(total):
            h.wfile.write(b"x")
            h.wfile.flush()
            if not server.sleep(interval):
                break
        h.close_connection = True
    return route


def reset():
    """Accept, read the request, then reset the connection (RST, not FIN)."""
    def route(h):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        h.connection.close()
        h.close_connection = True
    return route


def sequence(*responses):
    """Answer the n-th request with the n-th response (the last one repeats)."""
    state = {"n": 0}
    lock = threading.Lock()

    def route(h):
        with lock:
            index = min(state["n"], len(responses) - 1)
            state["n"] += 1
        item = responses[index]
        if callable(item):
            item(h)
        else:
            send(h, *item)
    return route


def closed_port() -> int:
    """A local port with nothing listening (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    time.sleep(0.01)
    return port
