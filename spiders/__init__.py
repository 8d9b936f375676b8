"""Spiders, one module per source kind; each is thin and builds on tracker.crawling.base."""
