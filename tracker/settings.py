"""Scrapy settings: polite, bounded and hardened defaults for an unattended crawler."""

import os

BOT_NAME = "tracker"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

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
DEPTH_LIMIT = 3
CLOSESPIDER_TIMEOUT = int(os.environ.get("TRACKER_MAX_RUNTIME", "3600"))
MEMUSAGE_LIMIT_MB = 1024

ITEM_PIPELINES = {
    "tracker.pipelines.extract.ExtractPipeline": 100,
    "tracker.pipelines.events.EventsPipeline": 300,
    "tracker.pipelines.store.StorePipeline": 900,
}

# Extraction runs in worker processes so the reactor keeps fetching; 0 = inline.
TRACKER_EXTRACT_WORKERS = int(os.environ.get("TRACKER_EXTRACT_WORKERS", "1"))
TRACKER_DB_PATH = os.environ.get("TRACKER_DB", "db/tracker.db")

LOG_LEVEL = os.environ.get("TRACKER_LOG_LEVEL", "WARNING")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
