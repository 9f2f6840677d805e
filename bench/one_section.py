"""Add a one-section survey to the demo neighbourhood for ``load_submit.py``; print its id.

Its one section is a copy of the demo survey's first ("Using the park": single choice,
multiple choice, scale, yes/no), open, anyone may answer, sent from its page (no
check-your-answers page), as a partnership would set up a short survey. Run with the same
environment as the app (``DATABASE_URL`` and so on).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from consult import create_app  # noqa: E402
from consult.core.time import utcnow  # noqa: E402
from consult.demo import DEMO_SLUG  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Neighbourhood, Survey  # noqa: E402
from consult.surveys.building import add_question, add_section  # noqa: E402
from consult.surveys.models import OptionRole, QuestionKind, SurveyStatus  # noqa: E402


def add_one_section_survey() -> int:
    """Add the survey (inside an app context); its id."""
    area = db.session.scalars(select(Neighbourhood).where(Neighbourhood.slug == DEMO_SLUG)).one()
    demo = db.session.get_one(
        Survey,
        db.session.scalar(select(func.min(Survey.id)).where(Survey.neighbourhood_id == area.id)),
    )
    survey = Survey(
        neighbourhood_id=area.id,
        title=f"{demo.title} (one page)",
        status=SurveyStatus.OPEN.value,
        opens_at=utcnow(),
        send_from_last_page=True,
    )
    db.session.add(survey)
    first = demo.sections[0]
    section = add_section(survey, first.title, first.intro)
    for question in first.questions:
        kind = QuestionKind(question.kind)
        ordinary = [o.label for o in question.options if o.role is None]
        add_question(
            section,
            kind,
            question.text,
            [] if kind is QuestionKind.YES_NO else ordinary,
            dont_know=any(o.role == OptionRole.DONT_KNOW for o in question.options),
            help_text=question.help_text,
            max_choices=question.max_choices,
            required=question.required,
        )
    db.session.commit()
    return survey.id


def main() -> None:
    with create_app().app_context():
        print(add_one_section_survey())


if __name__ == "__main__":
    main()
