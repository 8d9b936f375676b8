"""Shared crawling machinery: the base spider every source kind builds on, per-source health,
and one downloader/spider middleware per module (robots fail-closed, request budget, host
spacing, Retry-After, conditional GET, --since), enabled in tracker/settings.py."""
