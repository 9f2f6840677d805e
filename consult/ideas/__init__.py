"""Idea boards: residents post, support, comment on and report ideas."""
