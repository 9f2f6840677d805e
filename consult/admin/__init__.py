"""Site administration: neighbourhoods and the people who run them."""
