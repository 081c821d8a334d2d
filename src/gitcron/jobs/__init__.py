"""Jobs: what a run does (`report:`, `event:`, plugins); `registry.job_for` picks one."""
