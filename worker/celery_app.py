"""Entry point of the worker: ``celery -A worker.celery_app worker -B``."""

from consult import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
