"""gitcron: recurring customer deliveries, scheduled by YAML files in a git repository."""

__version__ = "0.1.0"
