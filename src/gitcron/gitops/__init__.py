"""gitcron on git: reading other revisions, and committing and pushing what a tick recorded."""
