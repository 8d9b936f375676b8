"""Storage: the only package that touches SQLite (through sqlite-utils)."""

import os
from pathlib import Path

# Relative to the working directory (the commands run from the project root): an installed
# package's own directory is neither the project nor writable.
DEFAULT_DB = Path(os.environ.get("TRACKER_DB") or "db/tracker.db")
