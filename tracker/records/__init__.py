"""Official records beside the news: linking timeline events to award, authorization and
notice records (tracker/records/linking.py), pure functions over plain dicts."""
