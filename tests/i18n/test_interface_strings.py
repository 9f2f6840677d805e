"""Every interface string is marked for translation: templates (read with Jinja's parser),
flash messages, form labels and validator messages (read with Python's). The checker is
tested on small samples first, so a checker that finds nothing cannot pass for a clean tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.i18n.interface_strings import (
    EXCEPTIONS,
    ROOT,
    Offender,
    python_offenders,
    template_environment,
    template_offenders,
)

TEMPLATES = sorted(
    path for path in (ROOT / "templates").rglob("*") if path.suffix in (".html", ".txt")
)
MODULES = sorted((ROOT / "consult").rglob("*.py"))
WIDGETS = "consult.core.widgets"


def offenders_in(tmp_path: Path, name: str, source: str) -> list[Offender]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    finder = python_offenders if name.endswith(".py") else template_offenders
    return finder(path)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('<p class="govuk-body">Nothing yet.</p>', [(1, "Nothing yet.")]),
        ("<h1>\n  Build: {{ survey.title }}\n</h1>", [(2, "Build: \ufffc")]),
        ('<img alt="A map of the park" src="{{ src }}">', [(1, "A map of the park")]),
        ('<a aria-label="Close" href="#">×</a>', [(1, "Close")]),
        ("{{ govukButton({'text': 'Save'}) }}", [(1, "Save")]),
        ("{{ govukInsetText({'text': n ~ ' responses so far'}) }}", [(1, "responses so far")]),
        ("{{ govukSummaryList({'rows': [{'key': {'text': 'Opens'}}]}) }}", [(1, "Opens")]),
        ("{{ x.title or 'Not set' }}", [(1, "Not set")]),
        ("{{ x|default('No name') }}", [(1, "No name")]),
        ("{% set title = 'Your data' %}", [(1, "Your data")]),
        ("{{ action('Move up', url) }}", [(1, "Move up")]),
        ("{% if a %}\n<p>\nShown\n</p>{% endif %}", [(3, "Shown")]),
        ("{{ n }} {{ 'idea' if n == 1 else 'ideas' }}", [(1, "idea / ideas")]),
    ],
)
def test_the_checker_finds_untranslated_template_text(
    tmp_path: Path, source: str, found: list[tuple[int, str]]
) -> None:
    offenders = offenders_in(tmp_path, "page.html", source)
    assert [(o.line, o.text) for o in offenders] == found
    assert all(str(o).startswith("page.html:") for o in offenders)


@pytest.mark.parametrize(
    "source",
    [
        '<p class="govuk-body">{{ _("Nothing yet.") }}</p>',
        "<h1>{{ _('Build: %(title)s', title=survey.title) }}</h1>",
        "{% trans n=count %}{{ n }} idea{% pluralize %}{{ n }} ideas{% endtrans %}",
        "{{ govukButton({'text': _('Save'), 'classes': 'govuk-button--secondary'}) }}",
        "{{ url_for('surveys.build', slug=slug) }} {{ '%-d %B %Y'|format }} {{ x == 'Open' }}",
        '<button class="{{ \'warning\' if w else \'secondary\' }}" name="save" value="later">',
        "<script>const label = 'Not a visible text';</script><style>p::after{content:'x'}</style>",
        "<p>{{ neighbourhood.name }} – {{ count }}</p><p>CSV</p>",
        '{% macro r(f) %}{% if f.required %} required="required"{% endif %}{% endmacro %}',
        "{% set td = 'border-bottom: 1px solid #b1b4b6; padding: 6px;' %}",
    ],
)
def test_the_checker_passes_translated_and_non_text(tmp_path: Path, source: str) -> None:
    assert offenders_in(tmp_path, "page.html", source) == []


def test_the_checker_reads_email_text_templates_whole(tmp_path: Path) -> None:
    source = "{{ _('Hello') }}\n\nYour briefing is ready:\n{{ url }}\n"
    assert offenders_in(tmp_path, "mail.txt", source) == [
        Offender("mail.txt", 3, "Your briefing is ready:")
    ]


def test_the_checker_finds_untranslated_python_text(tmp_path: Path) -> None:
    source = """
flash("Saved.")
flash(f"{n} saved.", "success")
flash(_("Saved."))
title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=9)])
name = StringField(_l("Name"), description="Shown to everyone", validators=[
    Length(max=60, message="Too long"), DataRequired(message=_l("Enter a name"))])
kind = RadioField(_l("Kind"), choices=[("a", "First"), ("b", _l("Second"))])
SelectChoice("", "Choose one"), SelectChoice("x", _l("Ex"))
raise ValidationError("Choose one")
form.slug.errors = ["Already taken"]
form.slug.errors.append(_("Already taken"))
EmailMessage(subject=f"Invited to {name}", to=[email])
problems.append(Problem(number, "Channel", f"{value} is not a channel"))
problems.append(Problem(number, "Channel", _("%(value)s is not a channel", value=value)))
raise UploadRefusedError("The file is empty")
raise HeaderError(" ".join(problems))
raise ChangeRefusedError(f"‘{text}’ cannot be removed.", field="kind")
raise ModerationError("Choose a reason for rejecting it.")
raise DeletionLinkError(_("This link has already been used."))
"""
    found = [(o.line, o.text) for o in offenders_in(tmp_path, "forms.py", source)]
    assert found == [
        (2, '"Saved."'),
        (3, 'f"{n} saved."'),
        (5, '"Enter a title"'),
        (5, '"Title"'),
        (6, '"Shown to everyone"'),
        (7, '"Too long"'),
        (8, '"First"'),
        (9, '"Choose one"'),
        (10, '"Choose one"'),
        (11, '"Already taken"'),
        (13, 'f"Invited to {name}"'),
        (14, 'f"{value} is not a channel"'),
        (16, '"The file is empty"'),
        (18, 'f"‘{text}’ cannot be removed."'),
        (19, '"Choose a reason for rejecting it."'),
    ]


def test_every_exception_gives_its_reason() -> None:
    assert EXCEPTIONS and all(len(reason.split()) >= 4 for reason in EXCEPTIONS.values())


def test_every_template_string_is_translatable() -> None:
    environment = template_environment()
    offenders = [o for path in TEMPLATES for o in template_offenders(path, environment)]
    assert not offenders, "Wrap these in _() or {% trans %}:\n" + "\n".join(map(str, offenders))


def test_every_flash_label_and_validator_message_is_translatable() -> None:
    offenders = [o for path in MODULES for o in python_offenders(path)]
    assert not offenders, "Wrap these in _() or _l():\n" + "\n".join(map(str, offenders))


def test_forms_take_widgets_that_translate_govuk_texts() -> None:
    """GOV.UK's own widgets say "Error:" in English; ours say it in the page's language."""
    ours = ROOT / (WIDGETS.replace(".", "/") + ".py")
    direct = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in MODULES
        if path != ours
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "govuk_frontend_wtf.wtforms_widgets"
    ]
    assert not direct, f"import widgets from {WIDGETS}: " + ", ".join(direct)
