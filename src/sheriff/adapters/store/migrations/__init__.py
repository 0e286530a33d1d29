"""Alembic migrations of Sheriff's store, shipped inside the package (see ../migrate.py)."""
