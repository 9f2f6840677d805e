"""consult: community consultation for neighbourhoods."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from config import load_config
from consult.core.application import ConsultFlask


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the consult web application.

    ``config_name`` picks a class from ``config.py`` (default: ``CONSULT_ENV``); ``overrides``
    replaces individual settings, which is how tests point the app at their database and broker.
    """
    settings = load_config(config_name)
    settings.update(overrides or {})
    app = ConsultFlask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(settings["INSTANCE_PATH"]),
        instance_relative_config=True,
    )
    app.config.update(settings)

    register_logging(app)
    register_extensions(app)
    register_templates(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_celery(app)
    return app


def register_logging(app: Flask) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def register_extensions(app: Flask) -> None:
    from consult import models  # noqa: F401  (every table registered before migrations run)
    from consult.auth.session import init_login
    from consult.core.database import init_database
    from consult.core.i18n import init_i18n
    from consult.extensions import csrf, db, limiter, mail, migrate
    from consult.jobs.outbox import init_outbox
    from consult.surveys.structure import init_structure_cache

    db.init_app(app)
    init_database(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    mail.init_app(app)
    init_i18n(app)
    limiter.init_app(app)
    init_login(app)
    init_outbox(app)
    init_structure_cache(app)


def register_templates(app: Flask) -> None:
    from consult.briefings.wording import init_wording
    from consult.core.templating import init_templates

    init_templates(app)
    init_wording(app)


def register_security(app: Flask) -> None:
    from consult.core.security import init_security

    init_security(app)


def register_blueprints(app: Flask) -> None:
    from consult.admin.views import bp as admin_bp
    from consult.api.token_views import bp as api_tokens_bp
    from consult.api.views import bp as api_bp
    from consult.auth.link_views import bp as residents_bp
    from consult.auth.views import bp as auth_bp
    from consult.briefings.views import bp as briefings_bp
    from consult.core.views import bp as core_bp
    from consult.ideas.participation_views import bp as idea_actions_bp
    from consult.ideas.views import bp as ideas_bp
    from consult.moderation.views import bp as moderation_bp
    from consult.neighbourhoods.views import bp as neighbourhoods_bp
    from consult.notices.views import bp as notices_bp
    from consult.retention.views import bp as retention_bp
    from consult.rights.views import bp as rights_bp
    from consult.surveys.access_views import short_bp as survey_links_bp
    from consult.surveys.views import bp as surveys_bp

    for blueprint in (
        core_bp,
        auth_bp,
        residents_bp,
        admin_bp,
        neighbourhoods_bp,
        surveys_bp,
        survey_links_bp,
        briefings_bp,
        ideas_bp,
        idea_actions_bp,
        moderation_bp,
        api_bp,
        api_tokens_bp,
        rights_bp,
        retention_bp,
        notices_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from consult.core.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from consult.cli import register_cli

    register_cli(app)


def register_celery(app: Flask) -> None:
    from consult.jobs.celery import celery_init_app

    celery_init_app(app)
