"""Moderation of ideas and comments by a neighbourhood's partnership members, and its public log."""
