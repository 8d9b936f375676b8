"""Item pipelines, one class per module, run in the order set in tracker.settings."""
