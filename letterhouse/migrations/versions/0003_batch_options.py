"""A batch's options chosen on upload (date order, own columns, style for every letter), kept for a re-check."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batch_jobs") as table:
        table.add_column(sa.Column("options", sa.JSON, nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("batch_jobs") as table:
        table.drop_column("options")
