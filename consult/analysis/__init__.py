"""Pure statistics: plain data in, plain data out. Knows nothing of Flask or the database."""
