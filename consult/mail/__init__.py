"""Email: the local outbox backend and messages other than briefings."""
