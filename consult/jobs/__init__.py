"""Background work: Celery wiring and the outbox that publishes tasks after commit."""
