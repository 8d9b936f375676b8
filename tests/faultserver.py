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

from tests.siteserver import LocalServer, send

NOT_FOUND = (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")


class FaultServer(LocalServer):
    def __init__(self, routes: dict | None = None, robots=None):
        super().__init__()
        self.routes: dict = dict(routes or {})
        if robots is not None:
            self.routes["/robots.txt"] = robots
        self.stopping = threading.Event()
        self.httpd.handle_error = lambda request, address: None  # clients that hang up: expected

    def answer(self, handler) -> None:
        route = self.routes.get(handler.path.split("?", 1)[0], NOT_FOUND)
        try:
            if callable(route):
                route(handler)
            else:
                send(handler, *route)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass

    def hit(self, path: str) -> int:
        """Requests of exactly this path (any query string)."""
        return sum(1 for p in self.requests if p.split("?", 1)[0] == path)

    def sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True when the full time passed."""
        return not self.stopping.wait(seconds)

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        super().__exit__(*exc)


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
        linger_zero = b"\x01\x00\x00\x00\x00\x00\x00\x00"  # l_onoff=1, l_linger=0: close sends RST
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_zero)
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
