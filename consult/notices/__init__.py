"""The privacy notice of each neighbourhood and the site's accessibility statement."""
