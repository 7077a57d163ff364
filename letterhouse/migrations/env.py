"""Alembic's environment: migrate on the connection upgrade_database hands over."""

from alembic import context

from letterhouse.batch.job_tables import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
