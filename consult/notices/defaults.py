"""Sensible first versions of the notices, in plain English, for an admin to adjust.

A neighbourhood's privacy notice is made from this template until an admin saves their own. The
words follow the ICO's guidance on what a privacy notice says: who we are, what we collect and
why (the lawful basis), how long we keep it, people's rights, and how to complain.
"""

from __future__ import annotations

from flask import current_app

from consult.neighbourhoods.models import Neighbourhood

PRIVACY_FIELDS = ("who_runs_it", "lawful_basis", "what_we_keep", "your_rights", "contact")
ACCESSIBILITY_FIELDS = ("organisation", "contact", "compliance", "known_issues", "improvements",
                        "prepared")  # fmt: skip


def default_privacy(neighbourhood: Neighbourhood) -> dict[str, str]:
    """The privacy notice of a neighbourhood whose admins have not written their own."""
    name = neighbourhood.name
    council = neighbourhood.local_authority or "the local council"
    site = current_app.config["SITE_NAME"]
    return {
        "who_runs_it": (
            f"The {name} partnership runs this part of {site}: its surveys and its idea board. "
            f"The partnership works with {council}. Together they decide what information is "
            "collected and what it is used for."
        ),
        "lawful_basis": (
            "We use your information to find out what people in the neighbourhood think and "
            "need, so that the partnership and the council can act on it. This is a task in "
            "the public interest (UK GDPR, Article 6(1)(e)).\n\n"
            "Some survey questions ask about things like your ethnic group, health or "
            "disability. These questions are always optional and have a “Prefer not to say” "
            "answer. We use the answers only to check that everyone’s voice is heard, for "
            "reasons of substantial public interest (equality of opportunity)."
        ),
        "what_we_keep": (
            "Survey answers: anonymous. We do not ask for your name and do not link answers "
            "to an account. We keep each response for 24 months after the survey closes (or "
            "the time the survey says), then delete it and keep only the counts of answers.\n\n"
            "Ideas, comments and supports: if you sign in, we keep your email address and the "
            "name you choose, with what you post, until you delete your account. Your ideas "
            "and comments are public, with the name you chose.\n\n"
            "Briefings to officers never name anyone, and small numbers are hidden so nobody "
            "can be picked out."
        ),
        "your_rights": (
            "You can ask for a copy of your information: if you have an account, you can "
            "download it yourself from your account page.\n\n"
            "You can ask us to correct it, to delete it, or to stop using it. You can delete "
            "your account yourself from your account page; your ideas and comments then stay "
            "on the board without your name.\n\n"
            "If you are unhappy with how we used your information, you can complain to the "
            "Information Commissioner’s Office (ICO): ico.org.uk/make-a-complaint or 0303 123 "
            "1113."
        ),
        "contact": (
            f"To ask about your information, speak to a member of the {name} partnership, or "
            f"write to {council}’s data protection officer and say it is about the {name} "
            f"partnership on {site}."
        ),
    }


def default_accessibility() -> dict[str, str]:
    """The site's accessibility statement before an admin has written their own."""
    site = current_app.config["SITE_NAME"]
    return {
        "organisation": f"the {site} team",
        "contact": (
            "If you need information on this website in a different format, like large print, "
            "easy read or audio, or you find a problem, tell a member of your neighbourhood’s "
            "partnership. We will reply within 10 working days."
        ),
        "compliance": "full",
        "known_issues": (
            "We are not aware of any content that does not meet the standard. If you find "
            "something, please tell us."
        ),
        "improvements": (
            "We check every page with automated tests (axe-core) each time the website changes, "
            "and test new pages with a keyboard, at 320 pixels wide and without JavaScript."
        ),
        "prepared": (
            "This statement was prepared when the website was set up. It is reviewed whenever "
            "the website changes in a way that could affect accessibility."
        ),
    }
