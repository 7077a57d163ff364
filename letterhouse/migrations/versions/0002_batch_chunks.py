"""The chunks of a batch written so far, for batches written by Celery workers."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "batch_chunks",
        sa.Column("job_id", sa.String(24), primary_key=True),
        sa.Column("chunk", sa.Integer, primary_key=True),
        sa.Column("letters", sa.Integer, nullable=False),
    )


def downgrade():
    op.drop_table("batch_chunks")
