"""The `slack:` channel: its target model (`target`), its message and answers, its delivery."""
