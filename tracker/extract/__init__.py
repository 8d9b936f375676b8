"""Pure extraction functions: bytes or text in, values out (no Scrapy, no DB)."""
