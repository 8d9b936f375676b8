"""Source kinds, one reader per module; each is thin and builds on tracker.crawling.base."""
