"""SQLAlchemy 2 (async Core): tables, the database handle and the queries the core needs."""
