"""A repository's schedules: found, read, checked against gitcron.yaml, and turned into timings."""
