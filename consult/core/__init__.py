"""Pieces every feature uses: templating, security headers, errors, time."""
