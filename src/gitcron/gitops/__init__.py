"""gitcron on git and GitHub: reading other revisions, and what a pull request changes."""
