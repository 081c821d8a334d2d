"""The `email:` channel: its target model (`target`) and its delivery (`channel`)."""
