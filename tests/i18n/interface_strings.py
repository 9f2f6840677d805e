"""Finds interface text that is not marked for translation, in templates and in Python.

Templates are read with Jinja's own parser. Text between tags (and in the attributes people
see or hear: alt, title, aria-label, placeholder) counts when it has a letter; so does a string
in an expression that is shown: in ``{{ ... }}``, as a GOV.UK macro's text (``'text':``,
``'html':``, ``'titleText':`` ...), as an argument of one of our macros, or set to a variable.
In expressions only strings that look like words count (a space, or a capital or non-Latin
first letter), so CSS classes and field names (``'govuk-button--secondary'``, ``'radios'``)
pass; a lone lower-case word shown from an expression is not caught.

Python: literal strings given to ``flash()``, as a WTForms field's label, description or
choices, as a validator's message, as an email's ``subject=``, as the message of an import
file's problem (``Problem``, ``UploadRefusedError``) or of a refused survey change, or put on
a field's ``errors`` by hand.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
TRANSLATING = {"_", "gettext", "ngettext", "_l", "lazy_gettext", "lazy_ngettext", "pgettext"}
OBJECT = "\ufffc"  # stands for whatever an expression prints, between two pieces of text
LETTER = re.compile(r"[^\W\d_]")
CSS = re.compile(r"(?:[a-z-]+\s*:[^;:]+;\s*)+")  # inline style for an email: 'padding: 6px;'
# A macro that writes attributes into a tag drawn elsewhere: ' required="required"'.
ATTRIBUTES_ONLY = re.compile(r'(?:\s*[\w-]+="[^"]*")+\s*')
# Not words: printf directives and named placeholders ("%-d %B %Y", "%(name)s").
DIRECTIVES = re.compile(r"%\([a-z_]+\)[sd]|%-?[a-zA-Z]")
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description", "label"}
# Keys of GOV.UK Frontend macro parameters whose value is shown or read out.
VISIBLE_KEYS = {
    "text",
    "html",
    "titleText",
    "descriptionText",
    "visuallyHiddenText",
    "summaryText",
    "caption",
    "menuButtonText",
    "menuButtonLabel",
    "navigationLabel",
    "ariaLabel",
    "hiddenText",
    "labelText",
    "iconFallbackText",
}
# Functions whose string arguments are names, not text.
NAMING_CALLS = {"url_for", "csrf_token", "range", "dict", "get_flashed_messages"}

# Text that stays as it is in every language, each with its reason.
EXCEPTIONS: dict[str, str] = {
    "CSV": "a file format's name, written the same in every language",
    "JSON": "a file format's name, written the same in every language",
    "HTML": "a file format's name, written the same in every language",
    "API": "the name of the programming interface, as developers look it up",
}


@dataclass(frozen=True, order=True)
class Offender:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter outside placeholders and is not a listed exception."""
    bare = DIRECTIVES.sub("", text.replace(OBJECT, " ")).strip(" \n\t\xa0.,:;()–-/|·")
    return bool(LETTER.search(bare)) and bare not in EXCEPTIONS


def looks_like_words(text: str) -> bool:
    """A string in an expression that reads as text: several words, or a capitalised one
    (``'Change'``), or a non-Latin one; not a class, field or endpoint name."""
    bare = DIRECTIVES.sub("", re.sub(r"<[^>]*>", " ", text)).strip()
    if not has_words(bare) or CSS.fullmatch(bare):
        return False
    return bool(re.search(r"\s", bare)) or bare[0].isupper() or not bare[0].isascii()


# -- templates -----------------------------------------------------------------------------


def template_environment() -> Environment:
    """Parses as the app does (nothing is rendered, so escaping does not matter here)."""
    return Environment(
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, autoescape=True
    )


def _pieces(node: nodes.Node) -> Iterator[tuple[str, int]]:
    """The template's literal text in source order, each expression printed as OBJECT."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Output):
            for item in child.nodes:
                text = item.data if isinstance(item, nodes.TemplateData) else OBJECT
                yield text, item.lineno
        else:
            yield from _pieces(child)


class _TextFinder(HTMLParser):
    """Text between tags and in the attributes people see, with where it starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str]] = []
        self.raw_text = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.raw_text += 1
        for name, value in attrs:
            button = tag == "input" and ("type", "submit") in attrs  # shows its value
            shown = name in VISIBLE_ATTRIBUTES or (name == "value" and button)
            if shown and value:
                self.found.append((self.getpos(), value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.raw_text = max(0, self.raw_text - 1)

    def handle_data(self, data: str) -> None:
        if not self.raw_text:
            self.found.append((self.getpos(), data))


def _literal_text(relative: str, tree: nodes.Template) -> Iterator[Offender]:
    pieces = list(_pieces(tree))
    if relative.endswith(".txt"):
        for text, line in pieces:
            if has_words(text):
                before = text[: len(text) - len(text.lstrip())]
                yield Offender(relative, line + before.count("\n"), text.strip())
        return
    joined = "".join(text for text, _ in pieces)
    # Where each piece starts in the joined text, to find a finding's line in the template.
    starts, offset = [], 0
    for text, line in pieces:
        starts.append((offset, line, text))
        offset += len(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", joined)]
    finder = _TextFinder()
    finder.feed(joined)
    finder.close()
    for (row, column), text in finder.found:
        if not has_words(text) or ATTRIBUTES_ONLY.fullmatch(text.replace(OBJECT, "")):
            continue
        at = line_starts[row - 1] + column
        start, line, piece = max((s for s in starts if s[0] <= at), default=(0, 1, ""))
        at += len(text) - len(text.lstrip())
        yield Offender(relative, line + piece[: max(0, at - start)].count("\n"), text.strip())


def _shown_parts(expression: nodes.Node) -> list[nodes.Node | None]:
    """The parts of ``expression`` whose strings would be shown with it."""
    if isinstance(expression, nodes.Call):
        name = getattr(expression.node, "name", None)
        if name in TRANSLATING or name in NAMING_CALLS or name is None:
            return []  # translated, a name, or a method call such as .strftime('%d')
        return [*expression.args, *(kw.value for kw in expression.kwargs)]
    if isinstance(expression, nodes.CondExpr):
        return [expression.expr1, expression.expr2]
    if isinstance(expression, nodes.Filter):
        return [expression.node, *expression.args]
    if isinstance(expression, (nodes.Concat, nodes.Add, nodes.Or, nodes.And)):
        return list(expression.iter_child_nodes())
    if isinstance(expression, (nodes.List, nodes.Tuple)):
        return list(expression.items)
    # Dicts are checked key by key; comparisons, tests, subscripts and attributes use
    # strings as names.
    return []


def _shown_strings(expression: nodes.Node) -> Iterator[nodes.Const]:
    """String constants in ``expression`` that end up shown, not those used as names."""
    if isinstance(expression, nodes.Const):
        if isinstance(expression.value, str):
            yield expression
        return
    for part in _shown_parts(expression):
        if part is not None:
            yield from _shown_strings(part)


def _shown_expressions(tree: nodes.Template) -> Iterator[nodes.Node]:
    """Expressions whose value is shown: printed, a GOV.UK macro's text, a variable, a macro's
    default, a loop's items or a {% call %}'s arguments."""
    for output in tree.find_all(nodes.Output):
        yield from (item for item in output.nodes if not isinstance(item, nodes.TemplateData))
    for dictionary in tree.find_all(nodes.Dict):
        for pair in dictionary.items:
            if isinstance(pair.key, nodes.Const) and pair.key.value in VISIBLE_KEYS:
                yield pair.value
    yield from (assignment.node for assignment in tree.find_all(nodes.Assign))
    yield from (default for macro in tree.find_all(nodes.Macro) for default in macro.defaults)
    yield from (loop.iter for loop in tree.find_all(nodes.For))
    yield from (block.call for block in tree.find_all(nodes.CallBlock))


def _hand_made_plural(choice: nodes.CondExpr) -> bool:
    """``'idea' if n == 1 else 'ideas'``: a plural that only works in English."""
    test, branches = choice.test, (choice.expr1, choice.expr2)
    counts_one = isinstance(test, nodes.Compare) and any(
        isinstance(operand.expr, nodes.Const) and operand.expr.value == 1 for operand in test.ops
    )
    return counts_one and all(
        isinstance(branch, nodes.Const)
        and isinstance(branch.value, str)
        and has_words(branch.value)
        for branch in branches
    )


def _expression_text(relative: str, tree: nodes.Template) -> Iterator[Offender]:
    for choice in tree.find_all(nodes.CondExpr):
        if _hand_made_plural(choice):
            yield Offender(relative, choice.lineno, f"{choice.expr1.value} / {choice.expr2.value}")  # type: ignore[union-attr]
    for expression in _shown_expressions(tree):
        for const in _shown_strings(expression):
            if looks_like_words(const.value):
                yield Offender(relative, const.lineno, const.value.strip())


def template_offenders(path: Path, environment: Environment | None = None) -> list[Offender]:
    """Every piece of interface text in the template at ``path`` that is not translated."""
    environment = environment or template_environment()
    relative = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    tree = environment.parse(path.read_text(encoding="utf-8"))
    found = {*_literal_text(relative, tree), *_expression_text(relative, tree)}
    return sorted(found)


# -- Python --------------------------------------------------------------------------------

# Where a validator (or error) takes its message among its positional arguments.
MESSAGE_POSITION = {
    "DataRequired": 0,
    "InputRequired": 0,
    "Email": 0,
    "FileRequired": 0,
    "ValidationError": 0,
    "StopValidation": 0,
    "EqualTo": 1,
    "AnyOf": 1,
    "NoneOf": 1,
    "FileAllowed": 1,
    "URL": 1,
    "Length": 2,
    "NumberRange": 2,
    "Regexp": 2,
    "FileSize": 2,
    # An import file's problems, shown to the member on the import report.
    "Problem": 2,
    "UploadRefusedError": 0,
    "HeaderError": 0,
    # A survey change refused, shown to the member building it.
    "ChangeRefusedError": 0,
    # Refusals whose message a page shows: a link that cannot be used, a moderation step or
    # status change that cannot be made.
    "AccessRefusedError": 0,
    "DeletionLinkError": 0,
    "InvitationError": 0,
    "ModerationError": 0,
    "ResumeLinkError": 0,
    "SignInLinkError": 0,
    "StatusError": 0,
}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _untranslated(node: ast.expr | None) -> bool:
    """A literal string (or an f-string, a formatted or joined one) not passed to gettext."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _untranslated(node.left) or _untranslated(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _untranslated(node.func.value)
    if isinstance(node, ast.IfExp):
        return _untranslated(node.body) or _untranslated(node.orelse)
    return False


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _positional(call: ast.Call, index: int) -> ast.expr | None:
    return call.args[index] if len(call.args) > index else None


def _texts_of_call(call: ast.Call) -> Iterator[ast.expr]:
    """The arguments of ``call`` that people read."""
    name = _name(call.func) or ""
    yield from filter(None, [_keyword(call, "subject")])  # an email's subject line
    if name == "flash":
        yield from call.args[:1]
        yield from filter(None, [_keyword(call, "message")])
    elif name.endswith("Field"):
        label = _positional(call, 0) or _keyword(call, "label")
        yield from filter(None, [label, _keyword(call, "description")])
        choices = _keyword(call, "choices")
        if isinstance(choices, (ast.List, ast.Tuple)):
            for choice in choices.elts:
                if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                    yield choice.elts[1]
    elif name == "SelectChoice":
        yield from filter(None, [_positional(call, 1) or _keyword(call, "label")])
    elif name in MESSAGE_POSITION:
        message = _positional(call, MESSAGE_POSITION[name]) or _keyword(call, "message")
        yield from filter(None, [message])


def _texts_of_errors(node: ast.AST) -> Iterator[ast.expr]:
    """Messages put on a field by hand: ``field.errors = [...]``, ``field.errors.append(...)``."""
    if isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Attribute) and target.attr == "errors" for target in node.targets
    ):
        if isinstance(node.value, (ast.List, ast.Tuple)):
            yield from node.value.elts
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and _name(node.func.value) == "errors"
    ):
        yield from node.args[:1]


def python_offenders(path: Path) -> list[Offender]:
    """Literal interface text in a Python module that does not go through gettext."""
    relative = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    source = path.read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        texts = [*_texts_of_errors(node)]
        if isinstance(node, ast.Call):
            texts.extend(_texts_of_call(node))
        for text in texts:
            if _untranslated(text):
                shown = ast.get_source_segment(source, text) or ""
                found.add(Offender(relative, text.lineno, shown))
    return sorted(found)
