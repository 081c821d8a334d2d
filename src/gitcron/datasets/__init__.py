"""Datasets: named sources of rows from gitcron.yaml, streamed; see `registry.open_dataset`."""
