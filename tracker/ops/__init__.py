"""Running unattended: log rotation, a hard run-time bound, stats dumps and online backups."""
