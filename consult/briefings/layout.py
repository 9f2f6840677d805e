"""How a briefing's tables look: one set of macros (templates/briefings/_tables.html) draws them
for the archive page, with GOV.UK classes, and for the email, with the inline styles Outlook
needs, set on the side a line starts on in the reader's language (right in Urdu)."""

from __future__ import annotations

from markupsafe import Markup

from consult.core.i18n import current_language

PAGE = {
    "table": 'class="govuk-table"',
    "caption": 'class="govuk-table__caption govuk-table__caption--s"',
    "hidden_caption": 'class="govuk-table__caption govuk-visually-hidden"',
    "thead": 'class="govuk-table__head"',
    "tbody": 'class="govuk-table__body"',
    "tr": 'class="govuk-table__row"',
    "th": 'class="govuk-table__header"',
    "th_num": 'class="govuk-table__header govuk-table__header--numeric"',
    "th_row": 'class="govuk-table__header"',
    "td": 'class="govuk-table__cell"',
    "td_num": 'class="govuk-table__cell govuk-table__cell--numeric"',
    "note": 'class="govuk-body-s"',
    "bars": "",
}
HEADER = "border-bottom: 2px solid #0b0c0c; padding: 6px;"
CELL = "border-bottom: 1px solid #b1b4b6; padding: 6px;"


def email_attributes(start: str, end: str) -> dict[str, str]:
    return {
        "table": 'cellpadding="0" cellspacing="0" border="0" '
        'style="border-collapse: collapse; margin: 0 0 16px;"',
        "caption": f'style="text-align: {start}; font-weight: bold; padding: 0 0 4px;"',
        "hidden_caption": "",
        "thead": "",
        "tbody": "",
        "tr": "",
        "th": f'style="{HEADER} text-align: {start};"',
        "th_num": f'style="{HEADER} text-align: {end};"',
        "th_row": f'style="{CELL} text-align: {start}; font-weight: normal;"',
        "td": f'style="{CELL}"',
        "td_num": f'align="{end}" style="{CELL}"',
        "note": 'style="margin: 0 0 8px; font-size: 14px;"',
        "bars": "yes",
    }


def table_attributes(email: bool = False) -> dict[str, Markup]:
    """Each table element's attributes (constants here, never data) for the page or the email."""
    if not email:
        return {name: Markup(value) for name, value in PAGE.items()}  # noqa: S704
    start, end = ("right", "left") if current_language().direction == "rtl" else ("left", "right")
    attributes = email_attributes(start, end)
    return {name: Markup(value) for name, value in attributes.items()}  # noqa: S704
