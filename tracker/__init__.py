"""Defense-AI adoption tracker: crawl announcements, derive events, keep a SQLite timeline."""

from pathlib import Path

__version__ = "0.1.0"
# The directory holding tracker/ and db/: the checkout, or site-packages when installed (read
# package data from it, never write there).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
