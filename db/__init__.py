"""Storage: the only package that touches SQLite (through sqlite-utils)."""

from pathlib import Path

DEFAULT_DB = Path(__file__).with_name("tracker.db")
