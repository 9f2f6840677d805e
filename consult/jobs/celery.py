"""Celery wired to Flask: every task runs inside the application context."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

TASK_MODULES = (
    "consult.jobs.tasks",
    "consult.briefings.tasks",
    "consult.moderation.tasks",
    "consult.surveys.tasks",
    "consult.retention.tasks",
    "consult.surveys.imports_tasks",
)


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for ``app`` and make it the default for ``shared_task``."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.beat_schedule = _beat_schedule()
    celery_app.set_default()
    for module in TASK_MODULES:
        __import__(module)
    app.extensions["celery"] = celery_app
    return celery_app


def _beat_schedule() -> dict[str, Any]:
    from worker.schedule import BEAT_SCHEDULE

    return BEAT_SCHEDULE
