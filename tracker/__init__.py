"""Defense-AI adoption tracker: crawl announcements, derive events, keep a SQLite timeline."""

__version__ = "0.1.0"
