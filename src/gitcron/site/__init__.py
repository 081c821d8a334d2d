"""The status site."""
