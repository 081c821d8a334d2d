"""The `teams:` channel: its target model (`target`) and its delivery (`channel`)."""
