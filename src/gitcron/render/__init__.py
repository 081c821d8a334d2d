"""Renderers: rows into a file (`csv`, `xlsx`, `json`, `pdf`), and user templates into text."""
