"""The plugin API: one module third-party jobs and channels import, stable across moves."""

from __future__ import annotations

import gitcron.jobs.base
import gitcron.plugin
from gitcron.channels import base as channel_base
from gitcron.core import artifact, run


def test_the_plugin_module_exports_the_job_and_channel_contracts() -> None:
    assert set(gitcron.plugin.__all__) == {
        "Artifact",
        "Channel",
        "DeliveryContext",
        "DeliveryError",
        "GitcronError",
        "Job",
        "JobContext",
        "JobError",
        "RunInfo",
    }
    assert gitcron.plugin.DeliveryContext is channel_base.DeliveryContext
    assert gitcron.plugin.Channel is channel_base.Channel
    assert gitcron.plugin.Artifact is artifact.Artifact
    assert gitcron.plugin.RunInfo is run.RunInfo


def test_jobs_base_still_exports_what_plugins_imported_from_it() -> None:
    """Plugins written for the first release import these names from gitcron.jobs.base."""
    for name in ("Artifact", "Job", "JobContext", "JobError", "RunInfo"):
        assert getattr(gitcron.jobs.base, name) is getattr(gitcron.plugin, name), name
    assert issubclass(gitcron.jobs.base.JobError, gitcron.plugin.GitcronError)
    error = gitcron.jobs.base.JobError("no rows", "check the query", permanent=True)
    assert (error.message, error.hint, error.permanent) == ("no rows", "check the query", True)
