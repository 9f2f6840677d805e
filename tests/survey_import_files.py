"""Import files for the "every kind" survey (tests.factories.survey_of_every_kind), and uploading.

Columns are named here by short keys in the template's order; the template test checks that
order against the real headers, so a row built here lands in the columns it means.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient

from consult.surveys.models import Survey
from tests.conftest import csrf_from

HEADERS = [
    "Q1: Which park do you use most?",
    "Q1: Which park do you use most? – other, please specify",
    "Q2: What would help? – Seats",
    "Q2: What would help? – Lights",
    "Q2: What would help? – Toilets",
    "Q3: I feel safe there.",
    "Q4: Do you have a dog?",
    "Q5: Where do you walk your dog?",
    "Q6: How many dogs?",
    "Q7: Rank the walks. – 1st choice",
    "Q7: Rank the walks. – 2nd choice",
    "Q8: What is your postcode?",
    "Q9: How many years have you lived here?",
    "Channel",
    "Event name",
]
KEYS = ["park", "other", "seats", "lights", "toilets", "safe", "dog", "walk", "dogs", "rank1",
        "rank2", "postcode", "years", "channel", "event"]  # fmt: skip
COLUMN = dict(zip(KEYS, HEADERS, strict=True))

# A resident without a dog, and one with two: every kind of answer between them.
NO_DOG = {"park": "North park", "seats": "x", "safe": "agree", "dog": "No", "postcode": "LS9 7AB"}
TWO_DOGS = {
    "park": "Another park",
    "other": "Canal side",
    "lights": "x",
    "toilets": "yes",
    "safe": "Don't know",
    "dog": "yes",
    "walk": "Along the canal",
    "dogs": "2",
    "rank1": "Woods",
    "rank2": "canal",
    "postcode": "ls9 7ab",
    "years": "4.5",
    "channel": "Event",
    "event": "Summer fair, 12 July",
}


def csv_text(rows: list[dict[str, str]], headers: list[str] = HEADERS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(key, "") for key in KEYS[: len(headers)]])
    return out.getvalue()


def import_url(survey: Survey) -> str:
    return f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}/import"


def upload(client: FlaskClient, survey: Survey, content: bytes, filename: str = "paper.csv") -> Any:
    """Send a file through the import form, as a browser does."""
    url = import_url(survey)
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, "csv_file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
