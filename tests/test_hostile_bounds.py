"""Issue 13, part A: bounds on what one hostile input can make the crawl hold or store.

Review rows (unmatched_mentions) per article are capped; robots.txt is read up to RFC 9309's
500 KiB minimum and no further.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.peakrss import run_with_peak_rss
from tracker.events.derive import MAX_REVIEW_ROWS, derive_events


def test_review_rows_per_article_are_capped():
    lead = "OpenAI signed a contract with the Department of Defense for ChatGPT. "
    names = " ".join(f"Alpha{i} Beta{i} Systems and Gamma{i} Delta{i} Holdings joined OpenAI "
                     "for the ChatGPT contract with the Department of Defense." for i in range(300))
    result = derive_events(lead + names, title="OpenAI deal", published="2025-01-01")
    assert result.events
    assert len(result.unmatched) == MAX_REVIEW_ROWS < 600
    texts = [u["text"] for u in result.unmatched]
    assert len(set(texts)) == len(texts) and texts[0] == "Alpha0 Beta0 Systems"


def test_a_few_unknown_names_are_all_kept():
    text = ("OpenAI signed a contract with the Department of Defense for ChatGPT with Acme "
            "Widget Systems and Borealis Data Holdings.")
    result = derive_events(text, title="OpenAI deal", published="2025-01-01")
    assert [u["text"] for u in result.unmatched] == ["Acme Widget Systems",
                                                     "Borealis Data Holdings"]


# ---------------------------------------------------------------- robots.txt
MiB = 1024 * 1024
RSS_LIMIT_MB = 512


def huge_robots(size: int) -> bytes:
    """Rules in the first 500 KiB (a disallowed /private/), padding rules to `size`, and a
    'Disallow: /' past the cap that must never be read."""
    head = b"User-agent: *\nDisallow: /private/\n"
    pad = b"".join(b"Disallow: /padding-%08d/\n" % n for n in range(size // 29))
    return head + pad + b"Disallow: /\n"


def host_with_big_robots(name: str):
    from tests.faultserver import FaultServer
    from tests.hostile_cases import HTML, RSS, page

    server = FaultServer(robots=(200, {"Content-Type": "text/plain"}, huge_robots(15 * MiB)))
    server.__enter__()
    items = "".join(f"<item><title>{p}</title><link>{server.base}{p}</link></item>"
                    for p in ("/news/ok.html", "/private/secret.html"))
    server.routes["/feed.xml"] = (200, {"Content-Type": RSS},
                                  f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
    for path in ("/news/ok.html", "/private/secret.html"):
        server.routes[path] = (200, {"Content-Type": HTML}, page(f"{name} {path}").encode())
    return server


def run_measured(args: list[str], timeout: float = 240) -> dict:
    """Run the tracker CLI; exit code, stderr and the crawl's own peak RSS."""
    env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0")
    proc, peak_mb = run_with_peak_rss(args, env, subprocess.DEVNULL, subprocess.PIPE, timeout)
    return {"code": proc.returncode, "stderr": proc.stderr.read(), "maxrss_mb": peak_mb}


@pytest.mark.slow
def test_robots_txt_is_read_up_to_500_kib(tmp_path):
    from tests.catalog_site import FAST, rows, write_sources

    servers = [host_with_big_robots(f"host{n}") for n in range(2)]
    try:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": f"big-robots-{n}", "kind": "feed", "url": f"{s.base}/feed.xml"}
            for n, s in enumerate(servers)])
        stats = tmp_path / "stats"
        result = run_measured(["crawl", "--sources", str(sources), "--db",
                                    str(tmp_path / "t.db"), "--stats-dir", str(stats), *FAST])
        hits = [(s.hit("/news/ok.html"), s.hit("/private/secret.html")) for s in servers]
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    assert result["maxrss_mb"] < RSS_LIMIT_MB, result["maxrss_mb"]
    assert result["code"] == 0, result["stderr"][-2000:]
    # The rule inside the cap is obeyed, the 'Disallow: /' 15 MB further down is never read.
    assert hits == [(1, 0), (1, 0)]
    assert len(rows(tmp_path / "t.db", "SELECT url FROM articles")) == 2
    assert json.loads((stats / "big-robots-0.json").read_text())["tracker/robots/truncated"] == 1
