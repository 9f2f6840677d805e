"""Who may reach each route: the access-control contract that the matrix test enforces.

Every endpoint in the app must be listed here, so a new route cannot be added without saying
who may use it. Policies:

- ``public``: anyone, signed in or not.
- ``signed_in``: any account; anonymous visitors are sent to sign in.
- ``staff``: members and officers of *that* neighbourhood, and admins; other signed-in people
  get 404; anonymous visitors are sent to sign in.
- ``member``: partnership members of that neighbourhood and admins (officers get 404).
- ``admin``: site admins; everyone else signed in gets 404.
- ``token``: reached by a secret link (an invitation); without a valid token, 404 or 410.
- ``staff_anywhere``: anyone with a role in any neighbourhood, and admins (the API token page);
  accounts with no role get 404.
- ``api_token``: the read API's non-public data. A session cookie opens nothing (401 for
  everyone); with a personal API token, the ``staff`` rule applies (``test_api_access.py``).
"""

from __future__ import annotations

ROUTE_POLICY: dict[str, str] = {
    "static": "public",
    "core.home": "public",
    "core.healthz": "public",
    "core.readyz": "public",
    "language.choose": "public",
    "auth.sign_in": "public",
    "auth.sign_out": "signed_in",
    "auth.account": "signed_in",
    "auth.accept": "token",
    "admin.index": "admin",
    "admin.people": "admin",
    "neighbourhoods.show": "public",
    "surveys.answer": "public",
    "surveys.section": "public",
    "surveys.check": "public",
    "surveys.thank_you": "public",
    "surveys.enter_code": "public",
    "surveys.request_access": "public",
    "surveys.access_sent": "public",
    "surveys.use_access": "token",
    "surveys.save": "public",
    "surveys.saved": "public",
    "surveys.resume": "token",
    "survey_links.short": "public",
    "surveys.assisted_start": "staff",
    "surveys.assisted_section": "staff",
    "surveys.assisted_check": "staff",
    "surveys.assisted_sent": "staff",
    "surveys.codes": "member",
    "surveys.print_codes": "member",
    "surveys.new_survey": "member",
    "surveys.build": "member",
    "surveys.details": "member",
    "surveys.edit_section": "member",
    "surveys.edit_question": "member",
    "surveys.arrange": "member",
    "surveys.change_status": "member",
    "surveys.preview": "member",
    "surveys.demographics": "member",
    "surveys.breakdowns": "member",
    "surveys.translations": "member",
    "surveys.staff_index": "staff",
    "surveys.results": "staff",
    "surveys.results_tables": "staff",
    "surveys.export_responses": "staff",
    "surveys.import_file": "staff",
    "surveys.import_template": "staff",
    "surveys.import_report": "staff",
    "briefings.index": "staff",
    "briefings.send_now": "staff",
    "briefings.show": "staff",
    "briefings.tables": "staff",
    "briefings.preview": "staff",
    "briefings.retry_delivery": "staff",
    "briefings.subscriptions.subscription": "staff",
    "briefings.subscriptions.unsubscribe": "token",
    "briefings.population.edit": "member",
    "briefings.population.import_csv": "member",
    "residents.request_link": "public",
    "residents.link_sent": "public",
    "residents.use_link": "token",
    "residents.choose_name": "signed_in",
    "ideas.board": "public",
    "ideas.show": "public",
    "ideas.you_said_we_did": "public",
    "ideas.new": "public",  # anyone may start typing; sending asks them to sign in
    "ideas.categories": "member",
    "ideas.remove": "member",
    "ideas.new_outcome": "member",
    "idea_actions.support": "signed_in",
    "idea_actions.withdraw": "signed_in",
    "idea_actions.comment": "public",  # a signed-out comment is kept through sign-in
    "idea_actions.report_idea": "signed_in",
    "idea_actions.report_comment": "signed_in",
    "moderation.public": "public",
    "moderation.queue": "member",
    "moderation.idea": "member",
    "moderation.comment": "member",
    "moderation.merge_idea": "member",
    "moderation.redact_idea": "member",
    "moderation.redact_comment": "member",
    "moderation.status": "member",
    "api.surveys": "public",
    "api.openapi": "public",
    "api.results": "api_token",
    "api_tokens.tokens": "staff_anywhere",
    "api_tokens.revoke": "staff_anywhere",
    "rights.your_data": "signed_in",
    "rights.download_json": "signed_in",
    "rights.download_html": "signed_in",
    "rights.delete_account": "signed_in",
    "rights.deletion_link_sent": "signed_in",
    "rights.confirm_deletion": "token",
    "rights.account_deleted": "public",
    "retention.schedule": "member",
    "notices.site_privacy": "public",
    "notices.privacy": "public",
    "notices.edit_privacy": "admin",
    "notices.accessibility": "public",
    "notices.edit_accessibility": "admin",
}

# POST routes that are authenticated by a token in the URL rather than a session, and so take
# no CSRF token (RFC 8058 one-click unsubscribe is POSTed by mail programs without cookies).
CSRF_EXEMPT: set[str] = {"briefings.subscriptions.unsubscribe"}
