"""A hard bound on a run's wall time, behind Scrapy's own graceful CLOSESPIDER_TIMEOUT.

CLOSESPIDER_TIMEOUT asks every spider to close; a stuck pipeline, a hung extraction worker or a
shutdown that never finishes would still keep cron's next run out forever. The watchdog ends the
process after the graceful deadline plus a grace period. Every article is written in its own
transaction, so this is as safe as `kill -9` (which the test suite exercises).
"""

from __future__ import annotations

import os
import sys
import threading
import time

EXIT_DEADLINE = 1  # "some sources failed": the run did not complete


class Watchdog:
    def __init__(self, seconds: float, code: int = EXIT_DEADLINE, stream=None):
        self.seconds = seconds
        self.code = code
        self.stream = stream or sys.stderr
        self._timer: threading.Timer | None = None
        self.started = time.monotonic()

    def _expire(self) -> None:
        try:
            self.stream.write("FAILED run: exceeded the hard run-time limit of "
                              f"{self.seconds:.0f} s; "
                              "stopped (committed articles are kept, the next run resumes)\n")
            self.stream.flush()
        finally:
            os._exit(self.code)

    def __enter__(self) -> Watchdog:
        if self.seconds and self.seconds > 0:
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
