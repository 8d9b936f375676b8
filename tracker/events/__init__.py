"""Events layer: relevance, mentions from alias tables, recipient roles, dates and dedup keys."""
