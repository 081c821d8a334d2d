"""The `outbox:` channel: its target model (`target`) and its delivery (`channel`)."""
