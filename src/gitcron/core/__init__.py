"""The shared vocabulary: what a run is, what it makes, how it fails, and how secrets are hidden.

Datasets, renderers and channels depend only on this package and on `gitcron.config`, so any of
them can be read, tested and replaced without the engine that calls them.
"""

from gitcron.core.artifact import Artifact, JobError
from gitcron.core.redact import Redactor
from gitcron.core.run import RunInfo, RunScope

__all__ = ["Artifact", "JobError", "Redactor", "RunInfo", "RunScope"]
