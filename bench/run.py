"""`make bench [N=2000] [SCALE=20000]`: what one tracker run costs, stage by stage, on 127.0.0.1.

Generates N realistic article pages (bench/pages.py: ~48 KB with boilerplate, 7 languages,
every ninth page a supply report, three reports an event) listed by RSS feeds of 1,000 items,
served from memory by an aiohttp server in its own process, and reports in one run, at N pages
(and at M with --scale M):

  fetch      bare Scrapy fetch of the same feeds and pages (baseline, bench/fetch_spider.py)
  floor      trafilatura alone over the same pages: its own call for text, title and date
             (the floor), and the library calls the tracker makes (strict floor; bench/floor.py)
  crawl      the full `tracker crawl` (extraction in its worker process, politeness off)
  ratios     tracker CPU per article / (fetch + floor), the same against the strict floor,
             wall rate / fetch rate
  events     events layer per article, median and p95 ms; store write per article (replayed)
  reprocess  `tracker reprocess` articles/s
  memory     peak RSS of the crawl's process tree; DB size per 1,000 articles
  scaling    with --scale M: the figures above at N and M side by side, with their ratio
  datasette  timeline pages (facets, filters, search) at --events events (default 100,000)

Fetch and floor are measured right before and right after the crawl and averaged: the crawl
lasts minutes, and a machine shared with other work changes speed meanwhile.
Politeness is switched off (DOWNLOAD_DELAY=0, no AutoThrottle, 16 per host): this measures CPU,
not the ~1 page/s per domain a real crawl is held to. Results: bench/out/<stamp>.json + table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `make bench` runs this file as a script, not as bench.run

from bench.pages import SITE_SEED, article_page, article_path, rss  # noqa: E402 (needs ROOT)

FEED_SIZE = 1000
# MEMUSAGE off: Scrapy's check reads ru_maxrss, which a child inherits from its parent at
# exec (vfork), so this harness (holding 20,000 pages) would trip it; memory is measured here.
CRAWL_SETTINGS = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS=16",
                  "CONCURRENT_REQUESTS_PER_DOMAIN=8", "CLOSESPIDER_TIMEOUT=0", "MEMUSAGE_LIMIT_MB=0"]


# ---------------------------------------------------------------- the site
def feed_paths(n: int, feed_size: int = FEED_SIZE) -> list[str]:
    """The site's feeds (one source each), `feed_size` articles each."""
    return [f"/feed-{k}.xml" for k in range((n + feed_size - 1) // feed_size)]


def make_site(n: int, base: str, feed_size: int = FEED_SIZE) -> tuple[dict[str, bytes], list[str]]:
    routes: dict[str, bytes] = {}
    paths = feed_paths(n, feed_size)
    feeds: list[list] = [[] for _ in paths]
    for i in range(n):
        path = article_path(i)
        html, title, published = article_page(i, base, path, seed=SITE_SEED)
        routes[path] = html.encode()
        feeds[i // feed_size].append((base + path, title, published))
    for path, items in zip(paths, feeds, strict=True):  # one item list per feed path
        routes[path] = rss(items, base=base).encode()
    return routes, paths


def _serve(n: int, feed_size: int, port_pipe, stop_pipe) -> None:
    import asyncio
    import socket

    from aiohttp import web

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    routes, _feeds = make_site(n, f"http://127.0.0.1:{port}", feed_size)

    async def handler(request):
        body = routes.get(request.path)
        if body is None:
            return web.Response(status=404, text="not found")
        ctype = "application/rss+xml" if request.path.endswith(".xml") else "text/html"
        return web.Response(body=body, content_type=ctype, charset="utf-8")

    async def main():
        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        port_pipe.send(port)
        await asyncio.get_running_loop().run_in_executor(None, stop_pipe.recv)
        await runner.cleanup()

    asyncio.run(main())


class Site:
    def __init__(self, n: int, feed_size: int = FEED_SIZE):
        self.n = n
        self.feed_size = feed_size
        ctx = multiprocessing.get_context("fork")
        self.port_recv, port_send = ctx.Pipe(duplex=False)
        stop_recv, self.stop_send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_serve, args=(n, feed_size, port_send, stop_recv),
                                daemon=True)

    def __enter__(self):
        self.proc.start()
        port = self.port_recv.recv()
        self.base = f"http://127.0.0.1:{port}"
        self.feed_paths = feed_paths(self.n, self.feed_size)
        return self

    def __exit__(self, *exc):
        self.stop_send.send(True)
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()


# ---------------------------------------------------------------- measuring processes
def run_measured(cmd: list[str], env: dict | None = None, sample: float = 0.25) -> dict:
    """Run a command; wall time, own CPU (wait4), descendants' CPU and tree peak RSS (psutil)."""
    import psutil

    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    child_cpu: dict[int, float] = {}
    peak_tree = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            rss = 0
            for p in tree:
                try:
                    rss += p.memory_info().rss
                    if p.pid != proc.pid:
                        t = p.cpu_times()
                        child_cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
            peak_tree = max(peak_tree, rss)
        except psutil.Error:
            pass
        time.sleep(sample)
    out, err = proc.communicate()
    return {"code": proc.returncode, "stdout": out, "stderr": err,
            "wall": time.monotonic() - started, "children_cpu": sum(child_cpu.values()),
            "peak_tree_rss_mb": peak_tree / 2**20}


def py(*args: str) -> list[str]:
    return [sys.executable, *args]


def tracker_env(workers: int) -> dict:
    return dict(os.environ, TRACKER_EXTRACT_WORKERS=str(workers), TRACKER_LOG_LEVEL="WARNING",
                PYTHONPATH=str(ROOT))


# ---------------------------------------------------------------- stages
def stage_fetch(site: Site, work: Path) -> dict:
    out = work / "fetch.json"
    r = run_measured(py("bench/fetch_spider.py", str(out),
                        *[site.base + p for p in site.feed_paths]), env=tracker_env(0))
    assert r["code"] == 0, r["stderr"][-3000:]
    data = json.loads(out.read_text())
    return {"pages": data["pages"], "cpu_ms_per_page": 1000 * data["cpu"] / data["pages"],
            "pages_per_s": data["pages"] / data["wall"], "wall_s": data["wall"]}


def stage_floor(site: Site, work: Path, pages: int, offset: int) -> dict:
    out = work / f"floor-{offset}.json"
    r = subprocess.run(py("bench/floor.py", str(site.n), site.base, str(pages), str(offset),
                          str(out)), cwd=ROOT, env=tracker_env(0), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(out.read_text())


def stage_crawl(site: Site, work: Path, workers: int, label: str) -> dict:
    db = work / f"{label}.db"
    sources = work / f"{label}.yml"
    sources.write_text("sources:\n" + "".join(
        f"  - {{name: bench-{k}, kind: feed, url: '{site.base}{p}', max_requests: 1000000, "
        f"max_pages: 1}}\n" for k, p in enumerate(site.feed_paths)))
    stats_dir = work / f"stats-{label}"
    cmd = py("-m", "tracker.cli", "crawl", "--sources", str(sources), "--db", str(db),
             "--stats-dir", str(stats_dir))
    for setting in CRAWL_SETTINGS:
        cmd += ["-s", setting]
    r = run_measured(cmd, env=tracker_env(workers))
    assert r["code"] == 0, r["stderr"][-3000:]
    stats = [json.loads(p.read_text()) for p in stats_dir.glob("*.json")]
    cpu_main = max(s["tracker/process_time/close"] for s in stats) - min(
        s["tracker/process_time/open"] for s in stats)
    wall = max(s["tracker/wall/close"] for s in stats) - min(s["tracker/wall/open"] for s in stats)
    con = sqlite3.connect(db)
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    fetched = [r[0] for r in con.execute("SELECT fetched_at FROM articles ORDER BY fetched_at")]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    size = db.stat().st_size
    deciles = _decile_rates(fetched)
    return {"articles": articles, "events": events, "wall_s": wall, "process_wall_s": r["wall"],
            "articles_per_s": articles / wall, "main_cpu_ms_per_article": 1000 * cpu_main / articles,
            "worker_cpu_ms_per_article": 1000 * r["children_cpu"] / articles,
            "cpu_ms_per_article": 1000 * (cpu_main + r["children_cpu"]) / articles,
            "peak_tree_rss_mb": r["peak_tree_rss_mb"], "db_mb": size / 2**20,
            "db_mb_per_1000_articles": size / 2**20 / articles * 1000,
            "rate_first_decile": deciles[0], "rate_last_decile": deciles[-1], "db": str(db)}


def _decile_rates(stamps: list[str]) -> list[float]:
    from datetime import datetime

    times = [datetime.fromisoformat(s).timestamp() for s in stamps]
    if len(times) < 20:
        return [0.0]
    tenth = len(times) // 10
    rates = []
    for k in range(10):
        chunk = times[k * tenth:(k + 1) * tenth + 1]
        span = chunk[-1] - chunk[0]
        rates.append((len(chunk) - 1) / span if span > 0 else float("inf"))
    return rates


def stage_replay(crawl_db: str, work: Path, n: int) -> dict:
    out = work / f"replay-{n}.json"
    fresh = work / f"replay-{n}.db"
    r = subprocess.run(py("bench/replay.py", crawl_db, str(fresh), str(out)), cwd=ROOT,
                       env=tracker_env(0), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(out.read_text())


def stage_reprocess(crawl_db: str, work: Path, n: int) -> dict:
    db = work / f"reprocess-{n}.db"
    shutil.copy(crawl_db, db)
    con = sqlite3.connect(db)
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    r = run_measured(py("-m", "tracker.cli", "reprocess", "--db", str(db)), env=tracker_env(0))
    assert r["code"] == 0, r["stderr"][-3000:]
    db.unlink()
    return {"articles": articles, "wall_s": r["wall"], "articles_per_s": articles / r["wall"],
            "peak_tree_rss_mb": r["peak_tree_rss_mb"], "output": r["stdout"].strip()}


def stage_datasette(work: Path, events: int, requests: int) -> dict:
    from bench.timeline_db import build

    db = work / "timeline.db"
    t = time.monotonic()
    info = build(db, events)
    info["build_s"] = time.monotonic() - t
    out = work / "datasette.json"
    r = subprocess.run(py("bench/datasette_latency.py", str(db), str(out), str(requests)),
                       cwd=ROOT, env=tracker_env(0), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return {"db": info, "pages": json.loads(out.read_text())}


# ---------------------------------------------------------------- report
def crawl_point(n: int, work: Path, floor_pages: int, workers: int, skip: set[str],
                feed_size: int = FEED_SIZE) -> dict:
    """Every per-article figure at one size: fetch, floor, crawl, events + store, reprocess."""
    point = {"pages": n, "sources": len(feed_paths(n, feed_size))}
    with Site(n, feed_size) as site:
        print(f"[{n}] fetch baseline and extraction floor, before the crawl ...", flush=True)
        fetched = [stage_fetch(site, work)]
        before = stage_floor(site, work, floor_pages, 0)
        print(f"[{n}] tracker crawl ...", flush=True)
        point["crawl"] = stage_crawl(site, work, workers, f"crawl-{n}")
        print(f"[{n}] fetch baseline and extraction floor, after the crawl ...", flush=True)
        fetched.append(stage_fetch(site, work))
        after = stage_floor(site, work, floor_pages, floor_pages + 1)
    point["fetch"] = {"before": fetched[0], "after": fetched[1], **{
        key: statistics.fmean(f[key] for f in fetched) for key in ("cpu_ms_per_page", "pages_per_s")}}
    point["floor"] = {"before": before, "after": after, "page_kb_median": before["page_kb_median"],
                      **{f"{name}_mean_ms": statistics.fmean(
                          [before[name]["mean_ms"], after[name]["mean_ms"]])
                         for name in ("trafilatura", "library_calls")}}
    fetch, crawl = point["fetch"], point["crawl"]
    budget = fetch["cpu_ms_per_page"] + point["floor"]["trafilatura_mean_ms"]
    strict = fetch["cpu_ms_per_page"] + point["floor"]["library_calls_mean_ms"]
    point["ratios"] = {
        "cpu_vs_fetch_plus_floor": crawl["cpu_ms_per_article"] / budget,
        "cpu_vs_fetch_plus_strict_floor": crawl["cpu_ms_per_article"] / strict,
        "crawl_rate_vs_fetch_rate": crawl["articles_per_s"] / fetch["pages_per_s"],
        "fetch_plus_floor_ms": budget,
    }
    if "replay" not in skip:
        print(f"[{n}] events layer + store replay ...", flush=True)
        point["replay"] = stage_replay(crawl["db"], work, n)
    if "reprocess" not in skip:
        print(f"[{n}] tracker reprocess ...", flush=True)
        point["reprocess"] = stage_reprocess(crawl["db"], work, n)
    return point


SCALED = (  # (label, path in a point)
    ("tracker CPU per article, ms", ("crawl", "cpu_ms_per_article")),
    ("  reactor (fetch, events, store), ms", ("crawl", "main_cpu_ms_per_article")),
    ("  extraction worker, ms", ("crawl", "worker_cpu_ms_per_article")),
    ("bare fetch CPU per page, ms", ("fetch", "cpu_ms_per_page")),
    ("extraction floor per page, ms", ("floor", "trafilatura_mean_ms")),
    ("strict floor (the tracker's library calls), ms", ("floor", "library_calls_mean_ms")),
    ("CPU / (fetch + floor)", ("ratios", "cpu_vs_fetch_plus_floor")),
    ("CPU / (fetch + strict floor)", ("ratios", "cpu_vs_fetch_plus_strict_floor")),
    ("crawl rate, articles/s", ("crawl", "articles_per_s")),
    ("peak RSS of the crawl, MB", ("crawl", "peak_tree_rss_mb")),
    ("DB MB per 1,000 articles", ("crawl", "db_mb_per_1000_articles")),
    ("events layer median, ms", ("replay", "events", "median_ms")),
    ("events layer p95, ms", ("replay", "events", "p95_ms")),
    ("store write median, ms", ("replay", "store", "median_ms")),
    ("store write, last tenth mean, ms", ("replay", "store", "last_decile_mean_ms")),
    ("reprocess, articles/s", ("reprocess", "articles_per_s")),
)


def _dig(point: dict, path: tuple[str, ...]):
    for key in path:
        point = point.get(key) if isinstance(point, dict) else None
    return point


def table(result: dict) -> str:
    lines = []
    add = lines.append
    for point in result["points"]:
        n = point["pages"]
        f, fl, c, r = point["fetch"], point["floor"], point["crawl"], point["ratios"]
        add(f"\n== {n} pages, {point.get('sources', '?')} sources "
            f"(median page {fl['page_kb_median']:.0f} KB) ==")
        add(f"{'stage':<44}{'figure':>14}  unit")
        fb, fa = f["before"], f["after"]
        add(f"{'bare Scrapy fetch (baseline)':<44}{f['pages_per_s']:>14.1f}  pages/s "
            f"(before / after the crawl {fb['pages_per_s']:.0f} / {fa['pages_per_s']:.0f})")
        add(f"{'  CPU':<44}{f['cpu_ms_per_page']:>14.2f}  ms/page "
            f"({fb['cpu_ms_per_page']:.2f} / {fa['cpu_ms_per_page']:.2f})")
        tb, ta = fl["before"]["trafilatura"], fl["after"]["trafilatura"]
        add(f"{'extraction floor: trafilatura alone':<44}{fl['trafilatura_mean_ms']:>14.2f}  ms/page "
            f"(before / after the crawl {tb['mean_ms']:.1f} / {ta['mean_ms']:.1f}; "
            f"median {tb['median_ms']:.1f} / {ta['median_ms']:.1f}; {tb['n']} + {ta['n']} pages)")
        lb, la = fl["before"]["library_calls"], fl["after"]["library_calls"]
        add(f"{'strict floor: library calls of the tracker':<44}{fl['library_calls_mean_ms']:>14.2f}  ms/page "
            f"(text-only trafilatura + title and date finders; {lb['mean_ms']:.1f} / {la['mean_ms']:.1f})")
        eb, ea = fl["before"]["extract_article"], fl["after"]["extract_article"]
        add(f"{'  tracker extract_article, same pages':<44}{(eb['mean_ms'] + ea['mean_ms']) / 2:>14.2f}  ms/page "
            f"(page by page with both floors)")
        add(f"{'full tracker crawl':<44}{c['articles_per_s']:>14.1f}  articles/s ({c['articles']} articles, {c['events']} events)")
        add(f"{'  CPU, all processes':<44}{c['cpu_ms_per_article']:>14.2f}  ms/article "
            f"(reactor {c['main_cpu_ms_per_article']:.1f} + extraction worker {c['worker_cpu_ms_per_article']:.1f})")
        add(f"{'  ratio CPU / (fetch + floor)':<44}{r['cpu_vs_fetch_plus_floor']:>14.2f}  x  (target <= 1.25)")
        add(f"{'  ratio CPU / (fetch + strict floor)':<44}{r['cpu_vs_fetch_plus_strict_floor']:>14.2f}  x")
        add(f"{'  ratio crawl rate / fetch rate':<44}{r['crawl_rate_vs_fetch_rate']:>14.2f}  x")
        add(f"{'  rate first / last tenth of the crawl':<44}{c['rate_first_decile']:>7.1f} /{c['rate_last_decile']:>5.1f}  articles/s")
        add(f"{'  peak RSS, crawl process tree':<44}{c['peak_tree_rss_mb']:>14.0f}  MB (target < 500)")
        add(f"{'  database size per 1,000 articles':<44}{c['db_mb_per_1000_articles']:>14.1f}  MB")
        if "replay" in point:
            e, st = point["replay"]["events"], point["replay"]["store"]
            add(f"{'events layer per article':<44}{e['median_ms']:>14.2f}  ms median (p95 {e['p95_ms']:.1f}; target <= 5)")
            add(f"{'store write per article':<44}{st['median_ms']:>14.2f}  ms median (p95 {st['p95_ms']:.1f}); "
                f"first/last tenth {st['first_decile_mean_ms']:.2f}/{st['last_decile_mean_ms']:.2f} ms")
        if "reprocess" in point:
            rp = point["reprocess"]
            add(f"{'tracker reprocess':<44}{rp['articles_per_s']:>14.1f}  articles/s (target >= 200; "
                f"peak RSS {rp['peak_tree_rss_mb']:.0f} MB)")
    if len(result["points"]) > 1:
        small, large = result["points"][0], result["points"][-1]
        add(f"\n== scaling: {small['pages']} -> {large['pages']} pages ==")
        add(f"{'figure':<44}{small['pages']:>10}{large['pages']:>10}{'ratio':>8}")
        for label, path in SCALED:
            a, b = _dig(small, path), _dig(large, path)
            if a is None or b is None:
                continue
            add(f"{label:<44}{a:>10.2f}{b:>10.2f}{(b / a if a else float('nan')):>8.2f}")
    if "datasette" in result:
        d = result["datasette"]
        add(f"\nDatasette at {d['db']['events']} events ({d['db']['articles']} articles, "
            f"{d['db']['bytes'] / 2**20:.0f} MB):")
        for label, figures in d["pages"].items():
            if "median_ms" in figures:
                add(f"  {label:<42}{figures['median_ms']:>10.0f}  ms median (p95 {figures['p95_ms']:.0f})"
                    + ("  FACETS TIMED OUT" if figures["timed_out_facets"] else ""))
            else:
                add(f"  {label:<42}{figures['ms']:>10.0f}  ms")
        add("  target: every timeline page, search included, <= 100 ms median")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("N", "2000") or 2000))
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", "0") or 0),
                        help="also run the crawl at this many pages (e.g. 20000)")
    parser.add_argument("--feed-size", type=int, default=FEED_SIZE,
                        help="articles per feed, one source each (2,000 pages at 100: 20 sources)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="TRACKER_EXTRACT_WORKERS")
    parser.add_argument("--floor-pages", type=int, default=500,
                        help="pages of each floor measurement (before and after the crawl)")
    parser.add_argument("--skip", default="", help="comma list: datasette,reprocess,replay")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    result = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "cpus": os.cpu_count(),
              "python": sys.version.split()[0], "points": []}
    try:
        for n in filter(None, (args.pages, args.scale)):
            result["points"].append(crawl_point(n, work, args.floor_pages, args.workers, skip,
                                                args.feed_size))
        if "datasette" not in skip:
            print(f"datasette at {args.events} events ...", flush=True)
            result["datasette"] = stage_datasette(work, args.events, args.requests)
    finally:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        path = out_dir / f"bench-{stamp}.json"
        path.write_text(json.dumps(result, indent=1, default=str))
        report = table(result)
        (out_dir / f"bench-{stamp}.txt").write_text(report + "\n")
        print(report)
        print(f"\nwritten: {path}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
