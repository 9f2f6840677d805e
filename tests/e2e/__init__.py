"""Browser end-to-end tests: a real server, Chromium, and axe-core on every page."""
