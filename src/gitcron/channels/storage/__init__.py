"""The `storage:` channel: its target model (`target`) and its delivery (`channel`)."""
