"""A neighbourhood's population profile: entered by hand or imported from CSV."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from consult.briefings.forms import ProfileImportForm, population_form
from consult.briefings.population import (
    CENSUS_CATEGORIES,
    CSV_HEADER,
    load_profile,
    parse_profile_csv,
    replace_profile,
)
from consult.briefings.wording import VARIABLES
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role

bp = Blueprint("population", __name__, url_prefix="/population")
# Members keep the profile; officers read it in the briefings.
EDITORS = (Role.MEMBER,)


def _page(
    neighbourhood: Neighbourhood,
    form: FlaskForm,
    import_form: FlaskForm,
    row_errors: list[str] | None = None,
) -> ResponseReturnValue:
    errors = form if form.errors else import_form
    return render_template(
        "briefings/population.html",
        neighbourhood=neighbourhood,
        form=errors,
        entry_form=form,
        import_form=import_form,
        labels=VARIABLES,
        categories=CENSUS_CATEGORIES,
        header=",".join(CSV_HEADER),
        row_errors=row_errors or [],
    )


# The import form shares the page with the entry form: its own prefix keeps every id unique.
IMPORT_PREFIX = "import"


@bp.route("/", methods=["GET", "POST"])
@staff_view(*EDITORS)
def edit(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = population_form(load_profile(neighbourhood.id))
    if form.validate_on_submit():
        replace_profile(neighbourhood.id, form.profile())
        db.session.commit()
        flash(_("The population profile has been saved."), "success")
        return redirect(url_for(".edit", slug=neighbourhood.slug))
    return _page(neighbourhood, form, ProfileImportForm(formdata=None, prefix=IMPORT_PREFIX))


@bp.post("/import")
@staff_view(*EDITORS)
def import_csv(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    import_form = ProfileImportForm(prefix=IMPORT_PREFIX)
    row_errors: list[str] = []
    if import_form.validate_on_submit():
        raw = import_form.csv_file.data.read()
        try:
            parsed = parse_profile_csv(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            import_form.csv_file.errors = [_("The file must be a CSV saved as UTF-8")]
        else:
            if not parsed.errors:
                replace_profile(neighbourhood.id, parsed.profile)
                db.session.commit()
                flash(_("The population profile has been imported."), "success")
                return redirect(url_for(".edit", slug=neighbourhood.slug))
            row_errors = parsed.errors
            import_form.csv_file.errors = [
                ngettext(
                    "The file has %(num)d problem, listed below, so nothing was imported",
                    "The file has %(num)d problems, listed below, so nothing was imported",
                    len(row_errors),
                )
            ]
    entry = population_form(load_profile(neighbourhood.id), formdata=None)
    return _page(neighbourhood, entry, import_form, row_errors)
