"""Scrapy settings: polite, bounded and hardened defaults for an unattended crawler."""

import os

from db import DEFAULT_DB

BOT_NAME = "tracker"
SPIDER_MODULES = ["tracker.crawling.run"]  # one spider per run; source kinds are in spiders/

TRACKER_CONTACT = os.environ.get("TRACKER_CONTACT", "https://github.com/defense-ai-tracker/tracker")
USER_AGENT = f"defense-ai-tracker/0.1 (+{TRACKER_CONTACT})"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_ITEMS = 1  # one item per response: extra item workers only cost CPU
# Responses buffered by the run's one scraper. When every source had its own crawler, the 5 MB
# default x 20 sources kept 520 MB resident in the benchmark; one crawler at 1 MB holds 325 MB
# at 2 or 20 sources, at the same or a higher rate (bench/RESULTS.md, 2026-12-03).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 8  # a trap guard above every per-source page cap (feed/listing max_pages, ...)
CLOSESPIDER_TIMEOUT = int(os.environ.get("TRACKER_MAX_RUNTIME", "3600"))
# Hard bound behind CLOSESPIDER_TIMEOUT: the process ends this long after the graceful deadline.
TRACKER_SHUTDOWN_GRACE = int(os.environ.get("TRACKER_SHUTDOWN_GRACE", "120"))
MEMUSAGE_LIMIT_MB = 1024

EXTENSIONS = {"tracker.ops.statsdump.StatsDump": 500}  # on when TRACKER_STATS_DIR is set
TRACKER_STATS_DIR = os.environ.get("TRACKER_STATS_DIR") or None

ITEM_PIPELINES = {
    "tracker.pipelines.guard.BodyGuardPipeline": 50,
    "tracker.pipelines.extract.ExtractPipeline": 100,
    "tracker.pipelines.events.EventsPipeline": 300,
    "tracker.pipelines.store.StorePipeline": 900,
}

# Extraction runs in worker processes so the reactor keeps fetching; 0 = inline.
TRACKER_EXTRACT_WORKERS = int(os.environ.get("TRACKER_EXTRACT_WORKERS", "1"))
TRACKER_EXTRACT_MAX_BYTES = 2 * 1024 * 1024  # larger bodies are cut before extraction
TRACKER_DB_PATH = str(DEFAULT_DB)

LOG_LEVEL = os.environ.get("TRACKER_LOG_LEVEL", "WARNING")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# ---------------------------------------------------------------- source catalog behaviour
# Shared crawling behaviour, one class per module in tracker/crawling/.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "tracker.crawling.privateaddress.PrivateAddressMiddleware": 50,  # no SSRF from public hosts
    "tracker.crawling.robots.FailClosedRobotsTxtMiddleware": 100,  # unreachable = disallow
    "tracker.crawling.budget.RequestBudgetMiddleware": 110,  # counts requests, max_requests
    "tracker.crawling.spacing.HostSpacingMiddleware": 120,  # meta min_interval (GDELT 5 s)
    "tracker.crawling.retryafter.RetryAfterMiddleware": 560,  # 429/503 + Retry-After: wait
    "tracker.crawling.conditional.ConditionalGetMiddleware": 585,  # ETag / Last-Modified
    "tracker.crawling.redirectloop.RedirectLoopMiddleware": 610,  # A -> B -> A: a logged error
    "tracker.crawling.sourcestats.SourceDownloaderStatsMiddleware": 851,  # downloader/* per source
}
DUPEFILTER_CLASS = "tracker.crawling.dupefilter.SourceDupeFilter"  # duplicates within a source
SPIDER_MIDDLEWARES = {
    "tracker.crawling.since.SinceFilterMiddleware": 950,
    "tracker.crawling.listingerrors.ListingErrorsMiddleware": 960,  # escaped error: `parse`
}
TRACKER_SINCE = os.environ.get("TRACKER_SINCE") or None  # ISO date; `tracker crawl --since`
TRACKER_RETRY_AFTER_MAX = float(os.environ.get("TRACKER_RETRY_AFTER_MAX", "120"))
TRACKER_RETRY_AFTER_TIMES = 2
TRACKER_GDELT_INTERVAL = float(os.environ.get("TRACKER_GDELT_INTERVAL", "5"))
TRACKER_TED_INTERVAL = 1.0  # TED Search API: at most one request a second
TRACKER_BACKOFF_BASE = 2.0  # official-record APIs: 429/5xx retried after 2, 4, 8 s
TRACKER_BACKOFF_TIMES = 3
TRACKER_CONDITIONAL_GET = True
TRACKER_DEFAULT_MAX_REQUESTS = 1000  # per source and run, unless the entry sets max_requests

# ------------------------------------------------------------ scale-out (tracker/ops/scaleout.py)
# With TRACKER_REDIS_URL set, `tracker crawl` is a worker: shared Redis queue and dupefilter,
# items pushed to Redis; `tracker load-queue` on the database machine is the one writer.
TRACKER_REDIS_URL = os.environ.get("TRACKER_REDIS_URL") or None
if TRACKER_REDIS_URL:
    from tracker.ops.scaleout import apply as _scale_out

    _scale_out(globals(), TRACKER_REDIS_URL)
