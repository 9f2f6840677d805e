"""A neighbourhood's population profile: entered by members, or imported from CSV all or nothing."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient

from consult.briefings.population import load_profile
from consult.briefings.services import Period, briefing_content
from consult.core.time import utcnow
from tests.conftest import AuthActions, csrf_from, submit
from tests.factories import NeighbourhoodFactory, staff

URL = "/n/hill/briefings/population/"


def upload(client: FlaskClient, text: str | bytes) -> str:
    token = csrf_from(client.get(URL).get_data(as_text=True))
    response = client.post(
        URL + "import",
        data={
            "import-csrf_token": token,
            "import-csv_file": (
                io.BytesIO(text if isinstance(text, bytes) else text.encode()),
                "p.csv",
            ),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def test_a_member_enters_the_profile_by_hand(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    auth.sign_in(staff(area, "member").email)
    assert URL in client.get("/n/hill/briefings/").get_data(as_text=True)
    page = submit(client, URL, {"sex_0": "1,200"}).get_data(as_text=True)
    assert "Enter a whole number for Female" in page and "govuk-error-summary" in page
    assert load_profile(area.id) == {}
    response = submit(client, URL, {"sex_0": "1210", "sex_1": " 1190 ", "age_band_1": "412"})
    assert response.status_code == 302
    assert load_profile(area.id) == {
        "age_band": {"16 to 24": 412},
        "sex": {"Female": 1210, "Male": 1190},
    }
    assert 'value="1210"' in client.get(URL).get_data(as_text=True)
    content = briefing_content(area, Period(area.created_at, utcnow()))
    assert not any("No population profile" in caveat for caveat in content["caveats"])


def test_csv_import_is_all_or_nothing_and_lists_every_row_error(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    auth.sign_in(staff(area, "member").email)
    good = "variable,category,count\nsex,Female,1210\nsex,Male,1190\nage_band,75 or over,300\n"
    assert "has been imported" in upload(client, good)
    assert load_profile(area.id)["sex"] == {"Female": 1210, "Male": 1190}
    bad = (
        "variable,category,count\n"
        "sex,Female,900\n"
        "sex,Unknown,4\n"
        "shoe_size,9,12\n"
        "age_band,16 to 24,-3\n"
        "sex,Female,10\n"
        "sex,Male\n"
    )
    page = upload(client, bad)
    for error in (
        "Row 3: “Unknown” is not a Census 2021 category of sex",
        "Row 4: the variable must be one of age_band, sex, ethnic_group",
        "Row 5: the count must be a whole number",
        "Row 6: sex “Female” is given twice",
        "Row 7: needs exactly 3 values",
    ):
        assert error in page, error
    assert load_profile(area.id)["sex"] == {"Female": 1210, "Male": 1190}  # nothing changed
    assert "The first row must be the headings" in upload(client, "a,b,c\nsex,Male,1\n")
    assert "must be a CSV saved as UTF-8" in upload(client, b"variable,category,count\n\xff")


def test_only_this_neighbourhoods_members_edit_the_profile(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="hill")
    auth.sign_in(staff(area, "officer").email)
    assert client.get(URL).status_code == 404
    assert URL not in client.get("/n/hill/briefings/").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(staff(NeighbourhoodFactory(), "member").email)
    assert client.get(URL).status_code == 404
