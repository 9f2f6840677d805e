"""The ``consult`` command: Flask's CLI with consult's own commands."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from consult.extensions import db


def _create_app() -> Flask:
    from consult import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """consult: community consultation for neighbourhoods."""


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(create_neighbourhood_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(translate_defaults_command)
    app.cli.add_command(briefing)
    app.cli.add_command(export)
    app.cli.add_command(import_group)
    app.cli.add_command(dev)


@click.command("dev")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def dev(host: str, port: int) -> None:
    """Run the web app, a worker and beat together until Ctrl-C."""
    from consult.devserver import run_all

    click.echo(f"consult is running on http://{host}:{port}/ (Ctrl-C stops it)")
    raise SystemExit(run_all(host, port, Path(current_app.instance_path)))


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="", help="Display name")
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create a site admin (or make an existing account one)."""
    from consult.auth.passwords import MIN_PASSWORD_LENGTH
    from consult.auth.services import create_user, find_user, set_password

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )
    user = find_user(email)
    if user is None:
        user = create_user(email, password, display_name=name)
    else:
        set_password(user, password)
    user.is_admin = True
    db.session.commit()
    click.echo(f"Admin ready: {user.email}")


@click.command("create-neighbourhood")
@click.option("--slug", required=True, help="Short name for the web address")
@click.option("--name", required=True)
@click.option("--local-authority", default="")
def create_neighbourhood_command(slug: str, name: str, local_authority: str) -> None:
    """Create a neighbourhood."""
    from consult.neighbourhoods.services import SlugTakenError, create_neighbourhood

    try:
        neighbourhood = create_neighbourhood(slug, name, local_authority)
    except SlugTakenError:
        raise click.ClickException(f"a neighbourhood called {slug!r} exists already") from None
    db.session.commit()
    click.echo(f"Created /n/{neighbourhood.slug}/")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo neighbourhood with an open survey and three accounts (once)."""
    from consult.demo import DEMO_ACCOUNTS, seed_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("the demo has known passwords: not in production")
    neighbourhood, created = seed_demo()
    db.session.commit()
    click.echo(
        ("Seeded" if created else "Kept") + f" the demo neighbourhood at "
        f"{current_app.config['PUBLIC_URL']}/n/{neighbourhood.slug}/"
    )
    click.echo("Sign in at /sign-in with:")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.label:<20} {account.email:<28} {account.password}")


@click.command("translate-defaults")
def translate_defaults_command() -> None:
    """Translate the words consult wrote into surveys ("About you", "Yes", "Don't know"...).

    Adds the Polish and Urdu from the catalogues wherever a survey has no translation of such a
    text yet, in the languages each neighbourhood offers; members' own translations are kept.
    Safe to run again, for example after the catalogues gain translations.
    """
    from consult.surveys.default_texts import translate_all_defaults

    added = translate_all_defaults()
    db.session.commit()
    click.echo(f"Added {added} translation{'' if added == 1 else 's'}.")


@click.group()
def briefing() -> None:
    """Briefings."""


@briefing.command("send")
@click.argument("slug")
def briefing_send(slug: str) -> None:
    """Build and email a briefing for the neighbourhood SLUG now."""
    from consult.briefings.services import request_briefing
    from consult.neighbourhoods.models import Neighbourhood

    neighbourhood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
    if neighbourhood is None:
        raise click.ClickException(f"no neighbourhood called {slug!r}")
    new = request_briefing(neighbourhood)
    db.session.commit()
    click.echo(f"Briefing {new.id} queued; a worker will build and email it.")


@click.group()
def export() -> None:
    """Exports."""


@export.command("responses")
@click.argument("survey_id", type=int)
@click.argument("output", type=click.File("wb"))
def export_responses(survey_id: int, output: BinaryIO) -> None:
    """Write every response to survey SURVEY_ID as CSV to OUTPUT ("-" for standard output).

    The same file as the results page's download: free text redacted, formula-safe, UTF-8 with
    a byte order mark. The export is recorded (survey, time, "cli"); nothing else is kept.
    """
    from consult.surveys.export import export_csv, record_export
    from consult.surveys.models import Survey

    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise click.ClickException(f"no survey with id {survey_id}")
    record_export(survey, None, "cli")
    db.session.commit()
    for piece in export_csv(survey):
        output.write(piece.encode("utf-8"))


@click.group("import")
def import_group() -> None:
    """Import data from CSV files."""


@import_group.command("ideas")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_ideas_command(slug: str, path: Path) -> None:
    """Import ideas into the board of neighbourhood SLUG from the CSV file PATH.

    Columns: title, description, category, created date and (optional) support count. Every
    row is checked first; if any has a problem, each is listed and nothing is imported.
    """
    from consult.core.csv_files import ENCODING_NAMES, UploadRefusedError
    from consult.ideas.imports import import_ideas
    from consult.neighbourhoods.models import Neighbourhood

    neighbourhood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
    if neighbourhood is None:
        raise click.ClickException(f"no neighbourhood called {slug!r}")
    with path.open("rb") as stream:
        try:
            outcome = import_ideas(neighbourhood, stream)
        except UploadRefusedError as error:
            db.session.rollback()
            raise click.ClickException(f"{error}. Nothing was imported.") from None
    if outcome.encoding == "cp1252":
        click.echo(f"The file is not UTF-8: it was read as {ENCODING_NAMES['cp1252']}.")
    if outcome.problems:
        db.session.rollback()
        for problem in outcome.problems:
            click.echo(f"Row {problem.row}, column {problem.column}: {problem.message}", err=True)
        count = len(outcome.problems)
        raise click.ClickException(
            f"{count} problem{'' if count == 1 else 's'} in the file: nothing was imported."
        )
    db.session.commit()
    click.echo(f"Imported {outcome.imported} ideas into /n/{slug}/ideas.")
