"""The idea board: the list, an idea's page, posting an idea, and the categories page."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from consult.core.forms import whole_number
from consult.core.limits import submit_limit
from consult.extensions import db, limiter
from consult.ideas.access import member_view
from consult.ideas.answers import add_outcome, answered_ideas, outcomes_of, surveys_of
from consult.ideas.drafts import comment_purpose, forget, idea_purpose, keep, recall
from consult.ideas.forms import (
    BoardFilterForm,
    ButtonForm,
    CategoryForm,
    CommentForm,
    IdeaForm,
    OutcomeForm,
    SupportForm,
)
from consult.ideas.models import Idea, IdeaStatus, ModerationState
from consult.ideas.participation import support_count, supporting, visible_comments
from consult.ideas.services import (
    CategoryInUseError,
    CategoryTakenError,
    Sort,
    add_category,
    can_see,
    categories_of,
    get_category,
    get_idea,
    list_ideas,
    post_idea,
    remove_category,
    similar_ideas,
    status_history,
)
from consult.neighbourhoods.access import get_neighbourhood_or_404, has_role
from consult.neighbourhoods.models import Neighbourhood, Role

bp = Blueprint("ideas", __name__, url_prefix="/n/<slug>/ideas")
log = logging.getLogger(__name__)

# What a signed-out resident typed is kept (consult.ideas.drafts) until they have signed in.
DRAFT_FIELDS = ("title", "description", "category", "place")


def idea_or_404(neighbourhood: Neighbourhood, idea_id: int) -> Idea:
    idea = get_idea(neighbourhood, idea_id)
    if idea is None:
        abort(404)
    return idea


def sign_in_first(next_url: str) -> ResponseReturnValue:
    return redirect(url_for("residents.request_link", next=next_url))


def _board_filters(categories: list[Any]) -> tuple[Sort, int | None, str | None, int]:
    """Sort, category, status and page from the query string; anything unknown is ignored."""
    args = request.args
    sort = Sort(args["sort"]) if args.get("sort") in set(Sort) else Sort.SUPPORTED
    category_id = whole_number(args.get("category", ""))
    if category_id not in {c.id for c in categories}:
        category_id = None
    status = args.get("status")
    if status not in {"new", *(s.value for s in IdeaStatus)}:
        status = None
    page = args.get("page", 1, type=int) or 1
    return sort, category_id, status, max(1, min(page, 100_000))


@bp.get("/")
def board(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    categories = categories_of(neighbourhood)
    sort, category_id, status, page = _board_filters(categories)
    filters = BoardFilterForm(
        data={"sort": sort.value, "category": str(category_id or ""), "status": status or ""},
        categories=categories,
    )
    result = list_ideas(neighbourhood, sort, category_id, status, page)
    query = {"sort": sort.value, "category": category_id, "status": status}
    return render_template(
        "ideas/board.html",
        neighbourhood=neighbourhood,
        filters=filters,
        result=result,
        query=query,
        is_member=has_role(current_user, neighbourhood, (Role.MEMBER,)),
    )


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def new(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    categories = categories_of(neighbourhood)
    draft = recall(idea_purpose(slug)) if request.method == "GET" else None
    form = IdeaForm(data=draft or None, categories=categories)
    similar: list[Idea] = []
    if form.validate_on_submit():
        if not current_user.is_authenticated:
            keep(idea_purpose(slug), {f: str(form[f].data or "") for f in DRAFT_FIELDS})
            db.session.commit()
            flash(_("Sign in to post your idea. We have kept what you typed."))
            return sign_in_first(url_for(".new", slug=slug))
        if form.checked.data != "1":
            similar = similar_ideas(
                neighbourhood, form.title.data or "", form.description.data or ""
            )
            form.checked.data = "1"
        if not similar:
            category = get_category(neighbourhood, int(form.category.data or 0))
            if category is None:
                abort(400)
            idea = post_idea(
                neighbourhood,
                current_user,
                form.title.data or "",
                form.description.data or "",
                category,
                form.place.data or "",
            )
            forget(idea_purpose(slug))
            db.session.commit()
            log.info("idea %s posted in neighbourhood %s", idea.id, neighbourhood.id)
            if idea.state == ModerationState.PENDING.value:
                flash(
                    _("Thank you. Your idea is waiting for the partnership to check it."), "success"
                )
            else:
                flash(_("Thank you. Your idea has been posted."), "success")
            return redirect(url_for(".show", slug=slug, idea_id=idea.id))
    return render_template(
        "ideas/new.html", neighbourhood=neighbourhood, form=form, similar=similar
    )


@bp.get("/<int:idea_id>")
def show(slug: str, idea_id: int) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    idea = idea_or_404(neighbourhood, idea_id)
    if idea.state == ModerationState.MERGED.value and idea.merged_into_id:
        return redirect(url_for(".show", slug=slug, idea_id=idea.merged_into_id), 301)
    if not can_see(idea, current_user):
        abort(404)
    draft = recall(comment_purpose(idea.id))
    comment_form = CommentForm(formdata=None)
    if draft:
        comment_form.body.data = draft.get("body", "")
    return render_idea(neighbourhood, idea, comment_form)


def render_idea(
    neighbourhood: Neighbourhood, idea: Idea, comment_form: CommentForm, status: int = 200
) -> ResponseReturnValue:
    """The idea page; a comment form with errors becomes ``form`` for the error summary."""
    context: dict[str, Any] = {
        "neighbourhood": neighbourhood,
        "idea": idea,
        "supports": support_count(idea),
        "support": supporting(idea, current_user),
        "comments": visible_comments(idea, current_user),
        "history": status_history(idea),
        "comment_form": comment_form,
        "support_form": SupportForm(formdata=None),
        "is_author": current_user.is_authenticated and idea.author_id == current_user.id,
        "is_member": has_role(current_user, neighbourhood, (Role.MEMBER,)),
    }
    if comment_form.errors:
        context["form"] = comment_form
    return render_template("ideas/show.html", **context), status


@bp.get("/you-said-we-did")
def you_said_we_did(slug: str) -> ResponseReturnValue:
    neighbourhood = get_neighbourhood_or_404(slug)
    return render_template(
        "ideas/you_said_we_did.html",
        neighbourhood=neighbourhood,
        answered=answered_ideas(neighbourhood),
        outcomes=outcomes_of(neighbourhood),
        is_member=has_role(current_user, neighbourhood, (Role.MEMBER,)),
    )


@bp.route("/you-said-we-did/new", methods=["GET", "POST"])
@member_view
def new_outcome(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = OutcomeForm(surveys=surveys_of(neighbourhood))
    if form.validate_on_submit():
        survey_id = int(form.survey.data) if form.survey.data else None
        outcome = add_outcome(
            neighbourhood, form.you_said.data or "", form.we_did.data or "", survey_id, current_user
        )
        db.session.commit()
        log.info("survey outcome %s added", outcome.id)
        flash(_("It is on the ‘You said, we did’ page."), "success")
        return redirect(url_for(".you_said_we_did", slug=neighbourhood.slug))
    return render_template("ideas/new_outcome.html", neighbourhood=neighbourhood, form=form)


@bp.route("/categories", methods=["GET", "POST"])
@member_view
def categories(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = add_category(neighbourhood, form.name.data or "")
        except CategoryTakenError:
            form.name.errors = [_("There is already a category with this name")]
        else:
            db.session.commit()
            flash(_("‘%(name)s’ has been added.", name=category.name), "success")
            return redirect(url_for(".categories", slug=neighbourhood.slug))
    return render_template(
        "ideas/categories.html",
        neighbourhood=neighbourhood,
        form=form,
        categories=categories_of(neighbourhood),
    )


@bp.post("/categories/<int:category_id>/remove")
@member_view
def remove(neighbourhood: Neighbourhood, category_id: int) -> ResponseReturnValue:
    if not ButtonForm().validate_on_submit():
        abort(400)
    category = get_category(neighbourhood, category_id)
    if category is None:
        abort(404)
    try:
        remove_category(category)
    except CategoryInUseError:
        flash(_("‘%(name)s’ cannot be removed: ideas use it.", name=category.name))
    else:
        db.session.commit()
        flash(_("‘%(name)s’ has been removed.", name=category.name), "success")
    return redirect(url_for(".categories", slug=neighbourhood.slug))
