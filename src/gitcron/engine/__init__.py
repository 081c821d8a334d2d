"""The tick: what is due (planner), running it (executor), and folding outcomes into state."""
