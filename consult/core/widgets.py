"""GOV.UK Frontend's WTForms widgets, in the page's language.

GOV.UK's macros add some text of their own, in English unless told otherwise: the visually
hidden "Error:" before a field's message, the password box's "Show" button and the character
count's messages. The widgets here pass them translated; forms take their widgets from this
module, not from ``govuk_frontend_wtf`` (tests/i18n/test_interface_strings.py checks it).

GOV.UK Frontend's JavaScript chooses a plural by CLDR category (one, few, many, other) with
``%{count}`` in the text; those texts come from the catalogues' plural forms here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from babel import Locale
from flask import current_app
from flask_babel import get_locale, gettext, ngettext
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup


class GovSubmitInput(gov.GovSubmitInput):
    """A button (no error and no text of GOV.UK's own), drawn by the page's ``govukButton``,
    which keeps its renderings (consult.core.templating.KeptMacro), rather than by a whole
    template rendering per button (what govuk_frontend_wtf's ``button.html`` does)."""

    def render(self, params: dict[str, Any]) -> Markup:
        button = current_app.jinja_env.globals["govukButton"]
        return cast(Markup, button(params))  # type: ignore[operator]


JS_COUNT = "%{count}"  # GOV.UK Frontend's own placeholder, filled in by its JavaScript


class _TranslatedErrorPrefix:
    """Gives GOV.UK's error message its visually hidden prefix in the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if params.get("errorMessage"):
            # Translators: read out by screen readers before a field's error; GOV.UK adds ":".
            params["errorMessage"]["visuallyHiddenText"] = gettext("Error")
        return params


def plural_messages(message: Callable[[int], str]) -> dict[str, str]:
    """``message(n)`` for each CLDR plural category of the page's language.

    Each category takes the catalogue's form for a whole number in it; a category that holds
    no whole number (Polish "other" is for fractions) takes the form of a large one, as a
    count of characters is never a fraction.
    """
    rule = (get_locale() or Locale("en")).plural_form
    return {
        category: message(next((n for n in range(200) if rule(n) == category), 1000))
        for category in sorted(rule.tags | {"other"})
    }


class GovTextInput(_TranslatedErrorPrefix, gov.GovTextInput):
    pass


class GovTextArea(_TranslatedErrorPrefix, gov.GovTextArea):
    pass


class GovSelect(_TranslatedErrorPrefix, gov.GovSelect):
    pass


class GovRadioInput(_TranslatedErrorPrefix, gov.GovRadioInput):
    pass


class GovCheckboxesInput(_TranslatedErrorPrefix, gov.GovCheckboxesInput):
    pass


class GovCheckboxInput(_TranslatedErrorPrefix, gov.GovCheckboxInput):
    pass


class GovFileInput(_TranslatedErrorPrefix, gov.GovFileInput):
    pass


class GovPasswordInput(_TranslatedErrorPrefix, gov.GovPasswordInput):
    """A password box whose "Show"/"Hide" button (drawn by JavaScript) is translated."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        texts = {
            "showPasswordText": gettext("Show"),
            "hidePasswordText": gettext("Hide"),
            "showPasswordAriaLabelText": gettext("Show password"),
            "hidePasswordAriaLabelText": gettext("Hide password"),
            "passwordShownAnnouncementText": gettext("Your password is visible"),
            "passwordHiddenAnnouncementText": gettext("Your password is hidden"),
        }
        return {**texts, **params}


class GovCharacterCount(_TranslatedErrorPrefix, gov.GovCharacterCount):
    """A text area that counts characters, with the count's messages translated.

    The limit line under the box is drawn on the server (so it shows without JavaScript);
    the running count is drawn by GOV.UK Frontend's JavaScript from these texts.
    """

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        texts = {
            "textareaDescriptionText": gettext(
                "You can enter up to %(count)s characters", count=JS_COUNT
            ),
            "charactersUnderLimitText": plural_messages(
                lambda n: ngettext(
                    "You have %(count)s character remaining",
                    "You have %(count)s characters remaining",
                    n,
                    count=JS_COUNT,
                )
            ),
            "charactersAtLimitText": gettext("You have no characters remaining"),
            "charactersOverLimitText": plural_messages(
                lambda n: ngettext(
                    "You have %(count)s character too many",
                    "You have %(count)s characters too many",
                    n,
                    count=JS_COUNT,
                )
            ),
        }
        return {**texts, **params}
