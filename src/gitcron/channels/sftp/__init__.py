"""The `sftp:` channel: its target model (`target`) and its delivery (`channel`)."""
