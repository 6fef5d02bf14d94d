"""The mail outbox: messages written in the same transaction as the change that causes them, and a worker
that delivers them (SMTP, or .eml files in the instance mailbox when no mail server is configured)."""
