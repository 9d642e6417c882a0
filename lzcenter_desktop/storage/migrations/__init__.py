"""Alembic environment and revisions of the database schema (package data: no ``alembic.ini``).

The migration runner is :mod:`lzcenter_desktop.storage.schema`; it builds Alembic's configuration
in code and points ``script_location`` at this folder, so it works from an installed package or a
frozen bundle.
"""
