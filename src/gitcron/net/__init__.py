"""The only way gitcron reaches the network: the address guard (`guard`), the HTTP client (`http`)
and the SMTP connection (`smtp`), so one rule decides what a URL in a schedule or gitcron.yaml may
reach, and every connection goes to the address that rule checked."""
