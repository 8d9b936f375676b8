"""Helpers for the cron entry point: `-s NAME=VALUE` overrides and the hard deadline."""

from __future__ import annotations

import json


def parse_overrides(pairs) -> dict:
    """`NAME=VALUE` strings to settings; VALUE is parsed as JSON when it is JSON (numbers,
    booleans, lists, objects), else kept as a string."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum() or not name.isupper():
            raise ValueError("--set expects NAME=VALUE with an upper-case setting name, "
                             f"got {pair!r}")
        try:
            out[name] = json.loads(value)
        except ValueError:
            out[name] = value
    return out


def hard_deadline(settings) -> float:
    """Seconds after which the watchdog ends the process: graceful timeout + grace period."""
    graceful = settings.getfloat("CLOSESPIDER_TIMEOUT", 0)
    if graceful <= 0:
        return 0
    return graceful + settings.getfloat("TRACKER_SHUTDOWN_GRACE", 120)
